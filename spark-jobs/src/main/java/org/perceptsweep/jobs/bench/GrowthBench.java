package org.perceptsweep.jobs.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.perceptsweep.datasets.SyntheticDistortion;
import org.perceptsweep.datasets.SyntheticSpec;
import org.perceptsweep.jobs.DemoJob;

/**
 * Benchmark 5: a demo-style run (manifest, extract with the demo's nets and readouts, aggregate
 * with the default bootstrap) on the synthetic set at 1x, 2x and 4x the pairs (2x and 4x the
 * references), interleaved rounds, each run into a fresh output folder; states whether the time
 * grows linearly with the pairs; then 1 vs 2 Workers on a standalone cluster ({@link WorkersBench}).
 */
final class GrowthBench {
  static final String ID = "growth";
  static final String TITLE = "5. Growth (demo-style run at 1x, 2x, 4x the pairs; Workers)";

  private GrowthBench() {}

  static BenchResult run(BenchContext ctx) throws Exception {
    // --refs N: N references at 1x (mid-size); --quick: 1 small one; else 8 (240, 480, 960 pairs).
    boolean tiny = ctx.quick() && ctx.refs() == 0;
    int baseRefs = ctx.refs() > 0 ? ctx.refs() : tiny ? 1 : 8;
    int size = tiny ? 192 : 256;
    List<String> families = tiny ? SyntheticDistortion.names().subList(0, 2) : SyntheticDistortion.names();
    int levels = tiny ? 2 : 5;
    int[] factors = {1, 2, 4};
    SyntheticStudy[] studies = new SyntheticStudy[factors.length];
    for (int i = 0; i < factors.length; i++) {
      SyntheticSpec spec = new SyntheticSpec(2302, baseRefs * factors[i], size, families, levels);
      ctx.log().accept("benchmark 5: generating " + spec.references() + " references at " + size + "x" + size);
      studies[i] = SyntheticStudy.generate(spec, ctx.work().resolve("growth-" + factors[i] + "x"), ctx.hadoopConf());
    }
    Rounds rounds = new Rounds();
    int[] counter = {0};
    for (int i = 0; i < factors.length; i++) {
      SyntheticStudy s = studies[i];
      rounds.add(factors[i] + "x", () -> {
        Path out = ctx.work().resolve("growth-run-" + (counter[0]++));
        try {
          s.manifest(out);
          List<String> args = new ArrayList<>(List.of("extract", "--out", out.toString(), "--readouts",
              DemoJob.DEFAULT_READOUTS));
          DemoJob.DEFAULT_NETS.forEach(n -> args.addAll(List.of("--net", n)));
          CliCall.run(args.toArray(String[]::new));
          CliCall.run("aggregate", "--out", out.toString());
        } finally {
          deleteTree(out);
        }
        return s.pairs();
      });
    }
    ctx.log().accept("benchmark 5: demo-style runs");
    rounds.run(ctx.warmups(), ctx.runs(), ctx.log());

    double[] t = new double[factors.length];
    int[] pairs = new int[factors.length];
    List<BenchRow> rows = new ArrayList<>();
    for (int i = 0; i < factors.length; i++) {
      t[i] = rounds.medianSeconds(factors[i] + "x");
      pairs[i] = studies[i].pairs();
    }
    for (int i = 0; i < factors.length; i++) {
      rows.add(new BenchRow("5 growth", String.format(Locale.ROOT, "%dx: %d refs, %d pairs", factors[i],
          studies[i].references(), pairs[i]), factors[i] + "x run", t[i], "1x run", t[0], "s", t[i] / t[0],
          Double.NaN, ctx.runs()));
    }
    List<String> notes = new ArrayList<>();
    notes.add("Run = manifest (csv of the generated set) + extract (" + String.join(", ", DemoJob.DEFAULT_NETS)
        + "; readouts " + DemoJob.DEFAULT_READOUTS + ") + aggregate (default 1000 bootstrap resamples), through the "
        + "CLI on " + ctx.master() + "; images " + size + "x" + size + ", " + families.size() + " families x " + levels
        + " levels per reference; generation not timed. Ratio here = time(kx) / time(1x): linear growth with no "
        + "fixed cost would be k.");
    notes.add(linearity(pairs, t));
    List<String> raw = new ArrayList<>(rounds.raw(""));
    // 1 vs 2 Workers on the 2x set (enough references for both Workers, half the 4x time).
    String caseName = String.format(Locale.ROOT, "2x set: %d refs, %d pairs", studies[1].references(), pairs[1]);
    try {
      BenchResult workers = WorkersBench.run(ctx, studies[1], caseName, raw);
      rows.addAll(workers.rows());
      notes.addAll(workers.notes());
      notes.add("The two clusters share this machine's " + Runtime.getRuntime().availableProcessors() + " cores with "
          + "their driver JVM (and the Master and Worker JVMs, idle during jobs): on 2 cores, 2 one-core executors "
          + "plus the driver can at best approach 2x on the executors' part of the time.");
    } catch (RuntimeException | Error e) {
      notes.add("1 vs 2 Workers: not measured, the standalone clusters failed: " + e.getMessage().lines().findFirst()
          .orElse(e.toString()));
    }
    return new BenchResult(ID, TITLE, rows, notes, raw);
  }

  /** The verdict on growth from the medians: marginal seconds per pair between 1x-2x and 2x-4x. */
  static String linearity(int[] pairs, double[] t) {
    double s12 = (t[1] - t[0]) / (pairs[1] - pairs[0]);
    double s24 = (t[2] - t[1]) / (pairs[2] - pairs[1]);
    // least-squares line t = a + b * pairs
    double mp = (pairs[0] + pairs[1] + pairs[2]) / 3.0;
    double mt = (t[0] + t[1] + t[2]) / 3.0;
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < 3; i++) {
      sxy += (pairs[i] - mp) * (t[i] - mt);
      sxx += (pairs[i] - mp) * (pairs[i] - mp);
    }
    double b = sxy / sxx;
    double a = mt - b * mp;
    String verdict;
    double r = s24 / s12;
    if (s12 <= 0 || s24 <= 0) {
      verdict = "not measurably growing (noise exceeds the added work at these sizes)";
    } else if (r > 1.33) {
      verdict = "SUPERLINEAR: the marginal cost per pair rises with size";
    } else if (r < 0.75) {
      verdict = "sublinear over this range: the marginal cost per pair falls with size (fixed costs amortised)";
    } else {
      verdict = "linear: the marginal cost per pair is steady";
    }
    return String.format(Locale.ROOT, "Growth is %s (marginal %.1f ms/pair from 1x to 2x, %.1f ms/pair from 2x to "
        + "4x, ratio %.2f); least-squares fit time = %.1f s + %.1f ms x pairs.", verdict, s12 * 1e3, s24 * 1e3, r,
        a, b * 1e3);
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }
}
