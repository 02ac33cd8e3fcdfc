package org.perceptsweep.jobs;

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

/**
 * Benchmark (not a test) of the correlations step of aggregate on synthetic distances shaped like
 * TID2013: 25 references x 24 distortion types x 5 levels = 3000 pairs per cell, MOS rounded to 2
 * decimals (ties), as many cells (net x tap, readout l2) as the row count needs. Each cell gives 25
 * correlation rows ({@code all} and 24 types), each with SROCC, KROCC, PLCC and the logistic fit.
 *
 * <p>Two timed runs on the same table in the same JVM, after a small warm-up run: the baseline is
 * the same job with {@code --resamples 0} (everything but the bootstrap); the measured run adds the
 * reference bootstrap with the given resamples. Reports wall time, distance rows per second and the
 * ratio of the two. Wall time, so run it on a quiet machine.
 */
public final class AggregateBenchmark {
  public static final String DATASET = "tid2013-like";
  static final int REFS = 25;
  static final int TYPES = 24;
  static final int LEVELS = 5;
  static final int PAIRS = REFS * TYPES * LEVELS;
  static final int TAPS_PER_NET = 5;

  /** Timings of one benchmark. */
  public record Result(long rows, long cells, long correlationRows, double generateSeconds, double baselineSeconds,
      double bootstrapSeconds, int resamples) {
    public double baselineRowsPerSecond() {
      return rows / baselineSeconds;
    }

    public double bootstrapRowsPerSecond() {
      return rows / bootstrapSeconds;
    }
  }

  private AggregateBenchmark() {}

  public static Result run(SparkSession spark, String work, long rows, int resamples, int fitIterations,
      PrintStream log) {
    long cells = Math.max(1, (rows + PAIRS - 1) / PAIRS);
    long nets = (cells + TAPS_PER_NET - 1) / TAPS_PER_NET;
    cells = nets * TAPS_PER_NET;
    long actualRows = cells * PAIRS;
    log.printf(Locale.ROOT, "bench aggregate: %d distance rows = %d cells (%d nets x %d taps) x %d pairs "
        + "(%d references x %d types x %d levels), %d resamples, fit limit %d iterations%n", actualRows, cells, nets,
        TAPS_PER_NET, PAIRS, REFS, TYPES, LEVELS, resamples, fitIterations);

    OutputLayout warm = new OutputLayout(work + "/warmup");
    generate(spark, warm, 2 * PAIRS * TAPS_PER_NET);
    AggregateJob.correlations(spark, warm, new AggregateJob.Options(List.of(), resamples, 1, List.of(), fitIterations));
    AggregateJob.correlations(spark, warm, new AggregateJob.Options(List.of(), 0, 1, List.of(), fitIterations));

    OutputLayout out = new OutputLayout(work + "/study");
    long t0 = System.nanoTime();
    generate(spark, out, actualRows);
    double generate = seconds(t0);
    log.printf(Locale.ROOT, "  generated and wrote the distances in %.1f s%n", generate);

    long t1 = System.nanoTime();
    long written = AggregateJob.correlations(spark, out, new AggregateJob.Options(List.of(), 0, 1, List.of(), fitIterations));
    double baseline = seconds(t1);
    log.printf(Locale.ROOT, "  baseline (--resamples 0): %d correlation rows in %.1f s%n", written, baseline);

    long t2 = System.nanoTime();
    written = AggregateJob.correlations(spark, out,
        new AggregateJob.Options(List.of(), resamples, AggregateJob.DEFAULT_SEED, List.of(), fitIterations));
    double bootstrap = seconds(t2);
    log.printf(Locale.ROOT, "  bootstrap (--resamples %d): %d correlation rows in %.1f s%n", resamples, written,
        bootstrap);
    Result r = new Result(actualRows, cells, written, generate, baseline, bootstrap, resamples);
    log.printf(Locale.ROOT, "  rows/s: %.0f with bootstrap, %.0f baseline; bootstrap run takes %.2fx the baseline%n",
        r.bootstrapRowsPerSecond(), r.baselineRowsPerSecond(), bootstrap / baseline);
    return r;
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
