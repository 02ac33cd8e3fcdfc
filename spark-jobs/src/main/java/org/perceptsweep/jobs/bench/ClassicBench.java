package org.perceptsweep.jobs.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import org.perceptsweep.core.image.RgbImage;
import org.perceptsweep.udf.metrics.ClassicMetrics;
import org.perceptsweep.udf.metrics.WindowSsim;

/**
 * Benchmark 4: SSIM and MS-SSIM pairs/s of {@link ClassicMetrics} on the 512x384 calibration pairs
 * against {@link WindowSsim} (plain 2-D window), one thread, interleaved rounds; the values of
 * both are compared on every pair.
 */
final class ClassicBench {
  static final String ID = "classic";
  static final String TITLE = "4. Classic metrics (SSIM, MS-SSIM at 512x384 vs a plain 2-D window implementation)";
  private static final List<String> PAIRS = List.of("I03", "I04", "I06");

  private ClassicBench() {}

  static BenchResult run(BenchContext ctx) throws Exception {
    String missing = ctx.missingShared("data/calibration/ref/I03.bmp");
    if (missing != null) {
      return BenchResult.skipped(ID, TITLE, missing);
    }
    List<RgbImage[]> pairs = new ArrayList<>();
    for (String id : ctx.quick() ? PAIRS.subList(0, 1) : PAIRS) {
      pairs.add(new RgbImage[] {
          DecodedSet.read(ctx.data("calibration/ref/" + id + ".bmp").toString(), ctx.hadoopConf()),
          DecodedSet.read(ctx.data("calibration/dist/" + id + ".bmp").toString(), ctx.hadoopConf())});
    }
    String size = pairs.get(0)[0].sizeString();
    List<BenchRow> rows = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    List<String> raw = new ArrayList<>();
    measure(ctx, "SSIM", ClassicMetrics::ssim, WindowSsim::ssim, pairs, size, rows, notes, raw);
    measure(ctx, "MS-SSIM", ClassicMetrics::msSsim, WindowSsim::msSsim, pairs, size, rows, notes, raw);
    notes.add(0, "Pairs: calibration " + String.join(", ", ctx.quick() ? PAIRS.subList(0, 1) : PAIRS) + " (" + size
        + "), decoded before timing; one thread. ClassicMetrics filters separably (11 + 11 taps per moment) with a "
        + "ring of rows; the baseline applies the 11x11 window directly (121 taps per moment).");
    return new BenchResult(ID, TITLE, rows, notes, raw);
  }

  private static void measure(BenchContext ctx, String metric, BiFunction<RgbImage, RgbImage, Double> ours,
      BiFunction<RgbImage, RgbImage, Double> reference, List<RgbImage[]> pairs, String size, List<BenchRow> rows,
      List<String> notes, List<String> raw) {
    ctx.log().accept("benchmark 4: " + metric);
    String subject = "ClassicMetrics." + (metric.equals("SSIM") ? "ssim" : "msSsim");
    String baseline = "plain 2-D window " + metric;
    Rounds rounds = new Rounds()
        .add(subject, () -> {
          pairs.forEach(p -> ours.apply(p[0], p[1]));
          return pairs.size();
        })
        .add(baseline, () -> {
          pairs.forEach(p -> reference.apply(p[0], p[1]));
          return pairs.size();
        });
    rounds.run(ctx.warmups(), ctx.runs(), ctx.log());
    rows.add(new BenchRow("4 classic metrics", metric + " " + size + ", " + pairs.size() + " pairs", subject,
        rounds.medianRate(subject), baseline, rounds.medianRate(baseline), "pairs/s",
        rounds.medianRatio(subject, baseline), Double.NaN, ctx.runs()));
    double maxDiff = 0;
    StringBuilder values = new StringBuilder();
    for (RgbImage[] p : pairs) {
      double a = ours.apply(p[0], p[1]);
      double b = reference.apply(p[0], p[1]);
      maxDiff = Math.max(maxDiff, Math.abs(a - b));
      values.append(values.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f", a));
    }
    notes.add(String.format(Locale.ROOT, "%s values %s; largest difference from the baseline %.1e.", metric, values,
        maxDiff));
    if (maxDiff > 1e-9) {
      throw new IllegalStateException(metric + ": ClassicMetrics and the plain 2-D baseline differ by " + maxDiff
          + ": the comparison would be meaningless");
    }
    rounds.raw(metric + ", ").forEach(raw::add);
  }
}
