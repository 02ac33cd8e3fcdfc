package org.perceptsweep.jobs.aggregate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.perceptsweep.core.util.Hashing;

/**
 * Factor analysis of a sweep, plain Java (the Spark glue is {@link FactorsJob}).
 *
 * <p>Unit of analysis: one dataset x net x readout, scored by its <b>best tap</b>: the highest
 * agreement SROCC (distortion {@code all}) over the net's real taps (those listed in the nets
 * table; the summed pseudo-tap {@code sum} is a tap combination, not a tap). Classic metrics are
 * not units (they have no factors to vary). For each factor (goal, training_data, architecture,
 * readout) and each of its levels, the distribution of the best-tap agreement over the units at
 * that level, i.e. across all the other factors: n, min, median, mean, max, and which cell is best.
 * Units whose every tap is undefined are counted in {@code undefined_units}, never dropped unseen.
 *
 * <p>Depth profile: for each dataset x net x readout x real tap, the relative depth
 * {@code tap_index / tap_count} (1 = the deepest tap) with the tap's agreement SROCC and interval.
 */
public final class FactorTable {
  public static final List<String> FACTORS = List.of("goal", "training_data", "architecture", "readout");

  /** A net's row of the nets table. */
  public record Net(String net, String architecture, String goal, String trainingData, List<String> taps,
      String sha256) {
    String level(String factor, String readout) {
      return switch (factor) {
        case "goal" -> goal;
        case "training_data" -> trainingData;
        case "architecture" -> architecture;
        case "readout" -> readout;
        default -> throw new IllegalArgumentException("unknown factor " + factor);
      };
    }
  }

  /** A correlations row on distortion {@code all}; srocc and interval agreement-signed. */
  public record Cell(String dataset, String net, String tap, int tapIndex, String readout, int n, Double srocc,
      Double ciLow, Double ciHigh, String inputHash) {
    String label() {
      return net + "/" + tap + "/" + readout;
    }
  }

  /** One dataset x net x readout and its best tap (null when no tap is defined). */
  public record Unit(String dataset, Net net, String readout, Cell best, String inputHash) {}

  public record FactorRow(String dataset, String factor, String level, int n, int undefinedUnits, Double min,
      Double median, Double mean, Double max, String bestCell, List<String> cells, String inputHash) {}

  public record DepthRow(String dataset, String net, String readout, String tap, int tapIndex, int tapCount,
      double relativeDepth, int n, Double srocc, Double ciLow, Double ciHigh, String inputHash) {}

  private FactorTable() {}

  /** Units in (dataset, net, readout) order. Cells of nets not in {@code nets} are ignored. */
  public static List<Unit> units(List<Cell> cells, Map<String, Net> nets) {
    TreeMap<List<String>, List<Cell>> groups = new TreeMap<>(Comparator.comparing((List<String> k) -> k.get(0))
        .thenComparing(k -> k.get(1)).thenComparing(k -> k.get(2)));
    for (Cell c : cells) {
      Net net = nets.get(c.net());
      if (net == null || !isRealTap(net, c)) {
        continue;
      }
      groups.computeIfAbsent(List.of(c.dataset(), c.net(), c.readout()), k -> new ArrayList<>()).add(c);
    }
    List<Unit> units = new ArrayList<>();
    for (Map.Entry<List<String>, List<Cell>> e : groups.entrySet()) {
      Cell best = null;
      List<String> hashes = new ArrayList<>();
      for (Cell c : e.getValue()) {
        hashes.add(c.inputHash());
        if (c.srocc() != null && (best == null || c.srocc() > best.srocc()
            || (c.srocc().equals(best.srocc()) && c.tapIndex() < best.tapIndex()))) {
          best = c;
        }
      }
      hashes.sort(null);
      Net net = nets.get(e.getKey().get(1));
      units.add(new Unit(e.getKey().get(0), net, e.getKey().get(2), best,
          Hashing.sha256Hex("factors/unit/v1", String.join(",", hashes), net.sha256())));
    }
    return units;
  }

  /** Factor rows, per dataset, factor (in {@link #FACTORS} order) and level (name order). */
  public static List<FactorRow> factors(List<Unit> units) {
    List<FactorRow> out = new ArrayList<>();
    TreeMap<String, List<Unit>> byDataset = new TreeMap<>();
    for (Unit u : units) {
      byDataset.computeIfAbsent(u.dataset(), k -> new ArrayList<>()).add(u);
    }
    for (Map.Entry<String, List<Unit>> d : byDataset.entrySet()) {
      for (String factor : FACTORS) {
        TreeMap<String, List<Unit>> byLevel = new TreeMap<>();
        for (Unit u : d.getValue()) {
          byLevel.computeIfAbsent(u.net().level(factor, u.readout()), k -> new ArrayList<>()).add(u);
        }
        for (Map.Entry<String, List<Unit>> level : byLevel.entrySet()) {
          out.add(row(d.getKey(), factor, level.getKey(), level.getValue()));
        }
      }
    }
    return out;
  }

  private static FactorRow row(String dataset, String factor, String level, List<Unit> units) {
    List<Cell> defined = new ArrayList<>();
    List<String> hashes = new ArrayList<>();
    for (Unit u : units) {
      hashes.add(u.inputHash());
      if (u.best() != null) {
        defined.add(u.best());
      }
    }
    hashes.sort(null);
    String hash = Hashing.sha256Hex("factors/v1", factor, level, String.join(",", hashes));
    int undefined = units.size() - defined.size();
    if (defined.isEmpty()) {
      return new FactorRow(dataset, factor, level, 0, undefined, null, null, null, null, null, List.of(), hash);
    }
    double[] v = new double[defined.size()];
    double sum = 0;
    Cell best = defined.get(0);
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < v.length; i++) {
      Cell c = defined.get(i);
      v[i] = c.srocc();
      sum += v[i];
      labels.add(c.label());
      if (c.srocc() > best.srocc()) {
        best = c;
      }
    }
    labels.sort(null);
    Arrays.sort(v);
    return new FactorRow(dataset, factor, level, v.length, undefined, v[0], median(v), sum / v.length,
        v[v.length - 1], best.label(), labels, hash);
  }

  /** Median of sorted values: the middle one, or the mean of the two middle ones. */
  static double median(double[] sorted) {
    int m = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2.0;
  }

  /** The depth profile: every real tap of every net, per dataset and readout, in depth order. */
  public static List<DepthRow> depth(List<Cell> cells, Map<String, Net> nets) {
    List<DepthRow> out = new ArrayList<>();
    for (Cell c : cells) {
      Net net = nets.get(c.net());
      if (net == null || !isRealTap(net, c)) {
        continue;
      }
      int count = net.taps().size();
      out.add(new DepthRow(c.dataset(), c.net(), c.readout(), c.tap(), c.tapIndex(), count,
          (double) c.tapIndex() / count, c.n(), c.srocc(), c.ciLow(), c.ciHigh(),
          Hashing.sha256Hex("depth/v1", c.inputHash(), net.sha256())));
    }
    out.sort(Comparator.comparing(DepthRow::dataset).thenComparing(DepthRow::net).thenComparing(DepthRow::readout)
        .thenComparingInt(DepthRow::tapIndex));
    return out;
  }

  private static boolean isRealTap(Net net, Cell c) {
    int i = c.tapIndex();
    return i >= 1 && i <= net.taps().size() && net.taps().get(i - 1).equals(c.tap());
  }
}
