package org.perceptsweep.jobs.aggregate;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.perceptsweep.core.UserInputException;
import org.perceptsweep.udf.readout.ReadoutSet;

/**
 * Which pairs of cells the {@code comparisons} table compares, per dataset (plain Java, no Spark).
 *
 * <p>Default pairs: every net's best cell (the tap and readout with the highest agreement SROCC on
 * distortion {@code all}, over its real taps: tap_index >= 1 and not the summed pseudo-tap
 * {@code sum}) against each baseline present in the dataset: {@link #BASELINES}. Classic metrics
 * (tap_index 0) are baselines or ignored, never "nets". Requested pairs ({@code --compare
 * A=B}, each side {@code net/tap/readout}) are added after the defaults; a pair already planned is
 * not repeated.
 */
public final class ComparisonPlan {
  public static final String ORIGIN_DEFAULT = "best_vs_baseline";
  public static final String ORIGIN_REQUESTED = "requested";

  /** PSNR, SSIM, MS-SSIM and LPIPS-alex v0.1 (alexnet-imagenet's summed weighted readout). */
  public static final List<CellKey> BASELINES = List.of(
      new CellKey("psnr", "image", "psnr"),
      new CellKey("ssim", "image", "ssim"),
      new CellKey("ms_ssim", "image", "ms_ssim"),
      new CellKey("alexnet-imagenet", ReadoutSet.SUM_TAP, "weighted"));

  /** One cell of a dataset: net, tap, readout. */
  public record CellKey(String net, String tap, String readout) implements Serializable {
    public String label() {
      return net + "/" + tap + "/" + readout;
    }

    /** Parses {@code net/tap/readout}; {@code flag} names where the text came from in errors. */
    static CellKey parse(String text, String flag) {
      String[] parts = text.trim().split("/", -1);
      if (parts.length != 3 || parts[0].isBlank() || parts[1].isBlank() || parts[2].isBlank()) {
        throw new UserInputException(flag + ": '" + text + "' is not net/tap/readout"
            + " (e.g. alexnet-imagenet/relu3/l2 or psnr/image/psnr)");
      }
      return new CellKey(parts[0].trim(), parts[1].trim(), parts[2].trim());
    }
  }

  /** A requested comparison as given on the command line. */
  public record Request(CellKey a, CellKey b, String text) implements Serializable {}

  /** A cell of one dataset's correlations on distortion {@code all}: srocc is agreement-signed. */
  public record Candidate(CellKey key, int tapIndex, Double srocc) implements Serializable {}

  /** One planned comparison; {@code missing} names the cells that the dataset lacks (none: null). */
  public record Planned(CellKey a, CellKey b, String origin, String missing) implements Serializable {}

  private ComparisonPlan() {}

  /** Parses every {@code --compare} value; one clear error for the first bad one. */
  public static List<Request> parseAll(List<String> values) {
    List<Request> out = new ArrayList<>();
    for (String v : values) {
      String flag = "--compare " + v;
      int eq = v.indexOf('=');
      if (eq < 0 || v.indexOf('=', eq + 1) >= 0) {
        throw new UserInputException(flag + ": give exactly one '=' between the two cells, "
            + "as A=B with each net/tap/readout (e.g. alexnet-imagenet/relu3/l2=ssim/image/ssim)");
      }
      CellKey a = CellKey.parse(v.substring(0, eq), flag);
      CellKey b = CellKey.parse(v.substring(eq + 1), flag);
      if (a.equals(b)) {
        throw new UserInputException(flag + ": both sides are " + a.label() + "; compare two different cells");
      }
      out.add(new Request(a, b, v));
    }
    return out;
  }

  /** Each net's best cell: highest agreement SROCC; ties go to the shallower tap, then by name. */
  public static Map<String, Candidate> bestPerNet(List<Candidate> cells) {
    Map<String, Candidate> best = new LinkedHashMap<>();
    Comparator<Candidate> better = Comparator.<Candidate>comparingDouble(c -> c.srocc())
        .thenComparing(Comparator.comparingInt(Candidate::tapIndex).reversed())
        .thenComparing(c -> c.key().tap(), Comparator.reverseOrder())
        .thenComparing(c -> c.key().readout(), Comparator.reverseOrder());
    List<Candidate> sorted = new ArrayList<>(cells);
    sorted.sort(Comparator.comparing((Candidate c) -> c.key().net()));
    for (Candidate c : sorted) {
      if (c.srocc() == null || c.tapIndex() < 1 || ReadoutSet.SUM_TAP.equals(c.key().tap())) {
        continue;
      }
      Candidate current = best.get(c.key().net());
      if (current == null || better.compare(c, current) > 0) {
        best.put(c.key().net(), c);
      }
    }
    return best;
  }

  /** The comparisons of one dataset, given its cells on distortion {@code all}. */
  public static List<Planned> plan(List<Candidate> cells, List<Request> requested) {
    Set<CellKey> present = new LinkedHashSet<>();
    for (Candidate c : cells) {
      present.add(c.key());
    }
    List<Planned> out = new ArrayList<>();
    Set<List<CellKey>> seen = new LinkedHashSet<>();
    for (Candidate best : bestPerNet(cells).values()) {
      for (CellKey baseline : BASELINES) {
        if (present.contains(baseline) && !baseline.equals(best.key())
            && seen.add(List.of(best.key(), baseline))) {
          out.add(new Planned(best.key(), baseline, ORIGIN_DEFAULT, null));
        }
      }
    }
    for (Request r : requested) {
      if (!seen.add(List.of(r.a(), r.b()))) {
        continue;
      }
      List<String> missing = new ArrayList<>();
      for (CellKey k : List.of(r.a(), r.b())) {
        if (!present.contains(k)) {
          missing.add(k.label());
        }
      }
      out.add(new Planned(r.a(), r.b(), ORIGIN_REQUESTED,
          missing.isEmpty() ? null : "no cell " + String.join(" nor ", missing) + " in this dataset"));
    }
    return out;
  }
}
