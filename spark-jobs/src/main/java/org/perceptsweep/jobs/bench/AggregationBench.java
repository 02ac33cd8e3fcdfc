package org.perceptsweep.jobs.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.perceptsweep.datasets.SyntheticDistortion;
import org.perceptsweep.datasets.SyntheticSpec;

/**
 * Benchmark 6: distance rows/s of the correlation job ('aggregate') with the reference bootstrap
 * (1000 resamples) against the same job without it (--resamples 0), on a synthetic study whose
 * distances are made once, untimed. The inner loop has its own benchmark in core's test sources
 * (BootstrapBenchmark: ReferenceBootstrap vs Commons Math on materialised resamples).
 */
final class AggregationBench {
  static final String ID = "aggregation";
  static final String TITLE = "6. Aggregation job (correlations with bootstrap)";
  private static final Pattern ROWS = Pattern.compile("(\\d+) distance rows");

  private AggregationBench() {}

  static BenchResult run(BenchContext ctx) throws Exception {
    int refs = ctx.quick() ? 3 : 25;
    List<String> families = ctx.quick() ? SyntheticDistortion.names().subList(0, 2) : SyntheticDistortion.names();
    int levels = ctx.quick() ? 2 : 5;
    SyntheticSpec spec = new SyntheticSpec(2302, refs, 64, families, levels);
    Path dir = ctx.work().resolve("aggregation");
    ctx.log().accept("benchmark 6: preparing " + refs + " references");
    SyntheticStudy study = SyntheticStudy.generate(spec, dir, ctx.hadoopConf());
    Path out = dir.resolve("study");
    study.manifest(out);
    CliCall e = CliCall.run("extract", "--out", out.toString(), "--net", "psnr", "--net", "pixels", "--net",
        "builtin:random-convnet", "--readouts", "l2,unit_l2");
    Matcher m = ROWS.matcher(e.out());
    if (!m.find()) {
      throw new IllegalStateException("extract printed no row count: " + e.out());
    }
    long rows = Long.parseLong(m.group(1));
    String with = "aggregate --resamples 1000";
    String without = "aggregate --resamples 0";
    Rounds rounds = new Rounds()
        .add(with, () -> {
          CliCall.run("aggregate", "--out", out.toString(), "--resamples", "1000");
          return rows;
        })
        .add(without, () -> {
          CliCall.run("aggregate", "--out", out.toString(), "--resamples", "0");
          return rows;
        });
    rounds.run(ctx.warmups(), ctx.runs(), ctx.log());
    String caseName = String.format(Locale.ROOT, "synthetic %d refs x %d pairs, %d distance rows", refs,
        study.pairs() / refs, rows);
    List<BenchRow> table = List.of(new BenchRow("6 aggregation", caseName, with, rounds.medianRate(with), without,
        rounds.medianRate(without), "distance rows/s", rounds.medianRatio(with, without), Double.NaN, ctx.runs()));
    List<String> notes = new ArrayList<>();
    notes.add("Nets psnr, pixels, builtin:random-convnet (readouts l2,unit_l2) on " + ctx.master() + "; each run "
        + "rewrites the correlations, comparisons, factors and depth tables. Ratio < 1 is the price of the "
        + "bootstrap intervals.");
    notes.add("Inner loop: core/src/test/java/org/perceptsweep/core/stats/BootstrapBenchmark.java (ReferenceBootstrap "
        + "vs Commons Math on materialised resamples, 25 x 120 cells); its command is in its javadoc.");
    return new BenchResult(ID, TITLE, table, notes, rounds.raw(""));
  }
}
