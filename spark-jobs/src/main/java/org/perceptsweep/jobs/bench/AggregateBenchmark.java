package org.perceptsweep.jobs.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.randn;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.perceptsweep.jobs.aggregate.AggregateJob;
import org.perceptsweep.jobs.manifest.ManifestTable;
import org.perceptsweep.jobs.tables.OutputLayout;
import org.perceptsweep.jobs.tables.TableWriter;

/**
 * Benchmark (not a test) of the correlations step of aggregate on synthetic distances shaped like
 * TID2013: 25 references x 24 distortion types x 5 levels = 3000 pairs per cell, MOS rounded to 2
 * decimals (ties), as many cells (net x tap, readout l2) as the row count needs. Each cell gives 25
 * correlation rows ({@code all} and 24 types), each with SROCC, KROCC, PLCC and the logistic fit.
 *
 * <p>Three timed runs in the same JVM, after a small warm-up run. The baseline is the same job with
 * {@code --resamples 0} (everything but the bootstrap) on a slice of the table (its first cells,
 * the same rows); the bootstrap run with the given resamples on the same slice gives the ratio at
 * equal size; the full table with the bootstrap gives the headline rows/s, and its rows/s against
 * the slice's says whether the cost grows linearly. Wall time, so run it on a quiet machine.
 */
public final class AggregateBenchmark {
  public static final String DATASET = "tid2013-like";
  static final int REFS = 25;
  static final int TYPES = 24;
  static final int LEVELS = 5;
  static final int PAIRS = REFS * TYPES * LEVELS;
  static final int TAPS_PER_NET = 5;

  /** One timed run: distance rows in, correlation rows out, seconds, and how many fits converged. */
  public record Timing(long rows, long correlationRows, double seconds, long fitsConverged) {
    public double rowsPerSecond() {
      return rows / seconds;
    }
  }

  /** Timings of one benchmark: baseline and bootstrap on the slice, bootstrap on the full table. */
  public record Result(long rows, long cells, int resamples, double generateSeconds, Timing baseline,
      Timing sliceBootstrap, Timing bootstrap) {
    /** Full-size bootstrap rows/s over baseline rows/s (the baseline is measured on the slice). */
    public double ratio() {
      return bootstrap.rowsPerSecond() / baseline.rowsPerSecond();
    }
  }

  private AggregateBenchmark() {}

  public static Result run(SparkSession spark, String work, long rows, long sliceRows, int resamples,
      int fitIterations, PrintStream log) {
    long cells = wholeCells(rows);
    long sliceCells = Math.min(cells, wholeCells(sliceRows));
    long actualRows = cells * PAIRS;
    log.printf(Locale.ROOT, "bench aggregate: %d distance rows = %d cells (%d nets x %d taps) x %d pairs "
        + "(%d references x %d types x %d levels), %d resamples, fit limit %d iterations; baseline slice %d rows"
        + " (%d cells)%n", actualRows, cells, cells / TAPS_PER_NET, TAPS_PER_NET, PAIRS, REFS, TYPES, LEVELS,
        resamples, fitIterations, sliceCells * PAIRS, sliceCells);

    OutputLayout warm = new OutputLayout(work + "/warmup");
    generate(spark, warm, 2 * PAIRS * TAPS_PER_NET);
    AggregateJob.correlations(spark, warm, new AggregateJob.Options(List.of(), resamples, 1, List.of(), fitIterations));
    AggregateJob.correlations(spark, warm, new AggregateJob.Options(List.of(), 0, 1, List.of(), fitIterations));

    long t0 = System.nanoTime();
    OutputLayout slice = new OutputLayout(work + "/slice");
    generate(spark, slice, sliceCells * PAIRS);
    OutputLayout out = new OutputLayout(work + "/study");
    generate(spark, out, actualRows);
    double generate = seconds(t0);
    log.printf(Locale.ROOT, "  generated and wrote the distances in %.1f s%n", generate);

    Timing baseline = timed(spark, slice, sliceCells * PAIRS, 0, AggregateJob.DEFAULT_SEED, fitIterations);
    log.printf(Locale.ROOT, "  baseline, slice (--resamples 0): %s%n", describe(baseline));
    Timing sliceBoot = timed(spark, slice, sliceCells * PAIRS, resamples, AggregateJob.DEFAULT_SEED, fitIterations);
    log.printf(Locale.ROOT, "  bootstrap, slice (--resamples %d): %s%n", resamples, describe(sliceBoot));
    Timing boot = timed(spark, out, actualRows, resamples, AggregateJob.DEFAULT_SEED, fitIterations);
    log.printf(Locale.ROOT, "  bootstrap, full (--resamples %d): %s%n", resamples, describe(boot));
    Result r = new Result(actualRows, cells, resamples, generate, baseline, sliceBoot, boot);
    log.printf(Locale.ROOT, "  rows/s: %.0f full with bootstrap, %.0f slice with bootstrap, %.0f slice baseline; "
        + "full bootstrap vs baseline %.2fx (rows/s ratio), slice bootstrap vs baseline %.2fx; full vs slice "
        + "rows/s with bootstrap %.2fx (1.00x = linear growth)%n", boot.rowsPerSecond(), sliceBoot.rowsPerSecond(),
        baseline.rowsPerSecond(), r.ratio(), sliceBoot.rowsPerSecond() / baseline.rowsPerSecond(),
        boot.rowsPerSecond() / sliceBoot.rowsPerSecond());
    return r;
  }

  private static long wholeCells(long rows) {
    long cells = Math.max(1, (rows + PAIRS - 1) / PAIRS);
    long nets = (cells + TAPS_PER_NET - 1) / TAPS_PER_NET;
    return nets * TAPS_PER_NET;
  }

  private static Timing timed(SparkSession spark, OutputLayout out, long rows, int resamples, long seed,
      int fitIterations) {
    long t = System.nanoTime();
    long written = AggregateJob.correlations(spark, out,
        new AggregateJob.Options(List.of(), resamples, seed, List.of(), fitIterations));
    double s = seconds(t);
    long converged = spark.read().parquet(out.table(OutputLayout.CORRELATIONS))
        .filter(col("fit_converged")).count();
    return new Timing(rows, written, s, converged);
  }

  private static String describe(Timing t) {
    return String.format(Locale.ROOT, "%d distance rows -> %d correlation rows in %.1f s (%.0f rows/s); "
        + "logistic fits converged in %d of %d rows (%.1f%%)", t.rows(), t.correlationRows(), t.seconds(),
        t.rowsPerSecond(), t.fitsConverged(), t.correlationRows(), 100.0 * t.fitsConverged() / t.correlationRows());
  }

  /** Writes a TID2013-like manifest and {@code rows} distance rows (whole cells) under {@code out}. */
  static void generate(SparkSession spark, OutputLayout out, long rows) {
    List<Row> manifest = new ArrayList<>(PAIRS);
    SplittableRandom random = new SplittableRandom(2013);
    for (int p = 0; p < PAIRS; p++) {
      int ref = p / (TYPES * LEVELS);
      int type = (p / LEVELS) % TYPES;
      int level = p % LEVELS + 1;
      double mos = Math.round(100 * (7.0 - level + 0.8 * random.nextGaussian())) / 100.0;
      String refId = String.format(Locale.ROOT, "I%02d", ref + 1);
      String pairId = String.format(Locale.ROOT, "i%02d_%02d_%d", ref + 1, type + 1, level);
      manifest.add(RowFactory.create(DATASET, pairId, refId, "file:/bench/" + refId + ".bmp",
          "file:/bench/" + pairId + ".bmp", String.format(Locale.ROOT, "type%02d", type + 1), level, mos, null,
          true, "mos", "bench-manifest"));
    }
    TableWriter.overwritePartitions(spark.createDataFrame(manifest, ManifestTable.SCHEMA),
        out.table(OutputLayout.MANIFEST), "dataset");

    // Row id -> cell (id / PAIRS) and pair (id % PAIRS), the same numbering as the manifest above.
    Dataset<Row> ids = spark.range(0, rows, 1, Math.max(2, (int) (rows / 500_000))).toDF();
    Dataset<Row> d = ids
        .withColumn("cell", floor(col("id").divide(PAIRS)))
        .withColumn("pair", pmod(col("id"), lit(PAIRS)))
        .withColumn("ref", floor(col("pair").divide(TYPES * LEVELS)).plus(1))
        .withColumn("type", pmod(floor(col("pair").divide(LEVELS)), lit(TYPES)).plus(1))
        .withColumn("level", pmod(col("pair"), lit(LEVELS)).plus(1))
        .withColumn("dataset", lit(DATASET))
        .withColumn("pair_id", format_string("i%02d_%02d_%d", col("ref"), col("type"), col("level")))
        .withColumn("ref_id", format_string("I%02d", col("ref")))
        .withColumn("dist_path", concat(lit("file:/bench/"), col("pair_id"), lit(".bmp")))
        .withColumn("net", format_string("bench-net-%04d", floor(col("cell").divide(TAPS_PER_NET))))
        .withColumn("tap_index", pmod(col("cell"), lit(TAPS_PER_NET)).plus(1).cast(DataTypes.IntegerType))
        .withColumn("tap", format_string("tap%d", col("tap_index")))
        .withColumn("readout", lit("l2"))
        // A distance that grows with the level, with a per-cell gain and noise: correlations vary.
        .withColumn("distance", col("level").multiply(lit(1.0).plus(pmod(col("cell"), lit(7)).multiply(0.1)))
            .plus(randn(7).multiply(lit(0.5).plus(pmod(col("cell"), lit(10)).multiply(0.3)))))
        .withColumn("input_hash", lit("bench-distances"))
        .select("dataset", "pair_id", "ref_id", "dist_path", "net", "tap", "tap_index", "readout", "distance",
            "input_hash");
    TableWriter.overwritePartitions(d, out.table(OutputLayout.DISTANCES), "dataset", "net");
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }
}
