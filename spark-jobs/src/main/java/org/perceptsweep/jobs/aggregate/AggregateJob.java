package org.perceptsweep.jobs.aggregate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.perceptsweep.core.MetricDirection;
import org.perceptsweep.core.UserInputException;
import org.perceptsweep.core.stats.Agreement;
import org.perceptsweep.core.stats.BootstrapInterval;
import org.perceptsweep.core.stats.CellSummary;
import org.perceptsweep.core.stats.CorrelationResult;
import org.perceptsweep.core.stats.LogisticFit;
import org.perceptsweep.core.stats.LogisticFitResult;
import org.perceptsweep.core.stats.ReferenceBootstrap;
import org.perceptsweep.core.stats.ReferenceResamples;
import org.perceptsweep.core.stats.findings.FindingsSettings;
import org.perceptsweep.core.util.Hashing;
import org.perceptsweep.jobs.manifest.ManifestTable;
import org.perceptsweep.jobs.tables.FileHashes;
import org.perceptsweep.jobs.tables.OutputLayout;
import org.perceptsweep.jobs.tables.TableWriter;

/**
 * Correlates the {@code distances} with the manifest's scores and writes {@code correlations}: one
 * row per dataset x net x tap x readout x distortion subset ({@code all} and each distortion type),
 * then the {@code comparisons} ({@link ComparisonsJob}), {@code factors}/{@code depth}
 * ({@link FactorsJob}) and {@code findings} ({@link FindingsJob}) tables. Spark groups the points
 * of a cell; the statistics are plain Java ({@link CellSummary}).
 *
 * <p>Per cell: SROCC, KROCC (tau-b), PLCC, each stored signed as computed ({@code *_signed}) and
 * agreement-signed (positive = agrees with humans); PLCC and RMSE after the 5-parameter logistic
 * ({@code plcc_fitted} is never signed, see {@code LogisticFitResult}); reference-bootstrap 95%
 * intervals of agreement-signed SROCC and PLCC ({@code low <= high}). The resample count and seed
 * go into {@code input_hash}.
 */
public final class AggregateJob {
  public static final String ALL = "all";
  public static final long DEFAULT_SEED = 2302;
  /** Partitions of the cells per Spark core: several, so that slow cells do not leave a core idle. */
  static final int CELL_PARTITIONS_PER_CORE = 4;

  public static final StructType SCHEMA = new StructType()
      .add("dataset", DataTypes.StringType, false)
      .add("net", DataTypes.StringType, false)
      .add("tap", DataTypes.StringType, false)
      .add("tap_index", DataTypes.IntegerType, false)
      .add("readout", DataTypes.StringType, false)
      .add("distortion", DataTypes.StringType, false)
      .add("n", DataTypes.IntegerType, false)
      .add("references", DataTypes.IntegerType, false)
      .add("srocc", DataTypes.DoubleType, true)
      .add("krocc", DataTypes.DoubleType, true)
      .add("plcc", DataTypes.DoubleType, true)
      .add("srocc_signed", DataTypes.DoubleType, true)
      .add("krocc_signed", DataTypes.DoubleType, true)
      .add("plcc_signed", DataTypes.DoubleType, true)
      .add("plcc_fitted", DataTypes.DoubleType, true)
      .add("rmse_fitted", DataTypes.DoubleType, true)
      .add("fit_converged", DataTypes.BooleanType, false)
      .add("fit_reason", DataTypes.StringType, true)
      .add("srocc_ci_low", DataTypes.DoubleType, true)
      .add("srocc_ci_high", DataTypes.DoubleType, true)
      .add("plcc_ci_low", DataTypes.DoubleType, true)
      .add("plcc_ci_high", DataTypes.DoubleType, true)
      .add("bootstrap_resamples", DataTypes.IntegerType, false)
      .add("bootstrap_undefined", DataTypes.IntegerType, false)
      .add("bootstrap_reason", DataTypes.StringType, true)
      .add("bootstrap_seed", DataTypes.LongType, false)
      .add("metric_higher_is_worse", DataTypes.BooleanType, false)
      .add("higher_is_better", DataTypes.BooleanType, false)
      .add("score_kind", DataTypes.StringType, false)
      .add("undefined_reason", DataTypes.StringType, true)
      .add("input_hash", DataTypes.StringType, false);

  /**
   * @param datasets only these datasets (empty: all)
   * @param resamples bootstrap resamples per cell; 0 skips the bootstrap (intervals null)
   * @param seed seed of the reference resamples
   * @param compares extra comparisons, each {@code net/tap/readout=net/tap/readout}
   * @param fitIterations iteration limit of the logistic fit; a fit that reaches it is reported
   *     as not converged
   * @param equivalenceDelta the findings' equivalence band (+-delta SROCC)
   * @param depthThreshold the findings' split: nets with more weight layers are very deep
   */
  public record Options(List<String> datasets, int resamples, long seed, List<String> compares, int fitIterations,
      double equivalenceDelta, int depthThreshold) {
    public Options {
      datasets = List.copyOf(datasets);
      compares = List.copyOf(compares);
      if (resamples < 0) {
        throw new UserInputException("--resamples is " + resamples
            + ": give 0 (no intervals) or a positive count such as " + ReferenceBootstrap.DEFAULT_RESAMPLES);
      }
      if (fitIterations < 1) {
        throw new UserInputException("--fit-iterations is " + fitIterations + ": give a positive limit such as "
            + LogisticFit.DEFAULT_MAX_ITERATIONS);
      }
      // Checks the findings settings here, before any work.
      new FindingsSettings(resamples, seed, equivalenceDelta, depthThreshold);
    }

    public Options(List<String> datasets, int resamples, long seed, List<String> compares, int fitIterations) {
      this(datasets, resamples, seed, compares, fitIterations, FindingsSettings.DEFAULT_DELTA,
          FindingsSettings.DEFAULT_DEPTH_THRESHOLD);
    }

    public Options(List<String> datasets, int resamples, long seed, List<String> compares) {
      this(datasets, resamples, seed, compares, LogisticFit.DEFAULT_MAX_ITERATIONS);
    }

    public static Options defaults(List<String> datasets) {
      return new Options(datasets, ReferenceBootstrap.DEFAULT_RESAMPLES, DEFAULT_SEED, List.of());
    }
  }

  /**
   * @param cells correlation rows written
   * @param comparisons comparison rows written
   * @param factorRows factor rows written (0 when there is no nets table)
   * @param depthRows depth-profile rows written
   * @param notes what was skipped and why (e.g. no nets table)
   */
  public record Summary(long cells, long comparisons, long factorRows, long depthRows, long findingRows,
      List<String> notes) {}

  private AggregateJob() {}

  /** All three steps with the default resamples and seed. */
  public static Summary run(SparkSession spark, OutputLayout out, List<String> datasets) {
    return run(spark, out, Options.defaults(datasets));
  }

  public static Summary run(SparkSession spark, OutputLayout out, Options options) {
    // Parse the comparisons before any work, so that a typo fails in a second.
    List<ComparisonPlan.Request> requested = ComparisonPlan.parseAll(options.compares());
    if (!requested.isEmpty()) {
      // ... and a cell no dataset has fails before anything is written.
      ComparisonsJob.requireKnown(requested, knownCells(spark, out, options.datasets()));
    }
    long cells = correlations(spark, out, options);
    List<String> notes = new ArrayList<>();
    long comparisons = ComparisonsJob.run(spark, out, options, requested);
    FactorsJob.Summary f = FactorsJob.run(spark, out, options.datasets());
    if (f.note() != null) {
      notes.add(f.note());
    }
    FindingsJob.Summary findings = FindingsJob.run(spark, out, options);
    if (findings.note() != null) {
      notes.add(findings.note());
    }
    return new Summary(cells, comparisons, f.factorRows(), f.depthRows(), findings.rows(), notes);
  }

  /** The cells (net, tap, readout) of the distances of the selected datasets, as comparison candidates. */
  static Map<String, List<ComparisonPlan.Candidate>> knownCells(SparkSession spark, OutputLayout out,
      List<String> datasets) {
    Map<String, List<ComparisonPlan.Candidate>> known = new TreeMap<>();
    String path = out.table(OutputLayout.DISTANCES);
    if (!FileHashes.exists(path, spark.sparkContext().hadoopConfiguration())) {
      return known;
    }
    Dataset<Row> d = spark.read().parquet(path);
    if (!datasets.isEmpty()) {
      d = d.filter(col("dataset").isin(datasets.toArray()));
    }
    for (Row r : d.select("dataset", "net", "tap", "readout", "tap_index").distinct().collectAsList()) {
      known.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(new ComparisonPlan.Candidate(
          new ComparisonPlan.CellKey(r.getString(1), r.getString(2), r.getString(3)), r.getInt(4), null));
    }
    return known;
  }

  /** Writes the correlations table; returns its row count for the datasets written. */
  public static long correlations(SparkSession spark, OutputLayout out, Options options) {
    Dataset<Row> joined = pointsWithScores(spark, out, options.datasets());
    Dataset<Row> cells = joined
        .groupBy("dataset", "net", "tap", "tap_index", "readout")
        .agg(collect_list(struct(col("pair_id"), col("ref_id"), col("distortion"), col("distance"),
                col("score"))).as("points"),
            first("higher_is_better").as("higher_is_better"),
            first("score_kind").as("score_kind"),
            sort_array(collect_set(col("input_hash"))).as("distance_hashes"),
            first("manifest_hash").as("manifest_hash"));
    int resamples = options.resamples();
    long seed = options.seed();
    int fitIterations = options.fitIterations();
    // The statistics cost CPU per cell, not per byte: adaptive execution would coalesce the small
    // shuffle of a few thousand cells into one or two partitions and leave cores idle, so spread
    // the cells evenly over a fixed number of partitions instead.
    int partitions = Math.max(1, spark.sparkContext().defaultParallelism() * CELL_PARTITIONS_PER_CORE);
    JavaRDD<Row> rows = cells.repartition(partitions).javaRDD()
        .mapPartitions(it -> correlateAll(it, resamples, seed, fitIterations));
    Dataset<Row> correlations = spark.createDataFrame(rows, SCHEMA);
    TableWriter.overwritePartitions(correlations, out.table(OutputLayout.CORRELATIONS), "dataset");
    Dataset<Row> written = spark.read().parquet(out.table(OutputLayout.CORRELATIONS));
    if (!options.datasets().isEmpty()) {
      written = written.filter(col("dataset").isin(options.datasets().toArray()));
    }
    return written.count();
  }

  /**
   * Distances joined with the manifest: dataset, net, tap, tap_index, readout, pair_id, ref_id,
   * distortion, distance, score, higher_is_better, score_kind, input_hash, manifest_hash.
   */
  static Dataset<Row> pointsWithScores(SparkSession spark, OutputLayout out, List<String> datasets) {
    String distancesPath = out.table(OutputLayout.DISTANCES);
    if (!FileHashes.exists(distancesPath, spark.sparkContext().hadoopConfiguration())) {
      throw new UserInputException("no distances at " + distancesPath
          + ": run 'percept-sweep extract --out " + out.root() + " --net ...' first");
    }
    Dataset<Row> distances = spark.read().parquet(distancesPath)
        .select("dataset", "net", "tap", "tap_index", "readout", "pair_id", "ref_id", "distance", "input_hash");
    Dataset<Row> manifest = ManifestTable.read(spark, out)
        .select("dataset", "pair_id", "distortion", "score", "higher_is_better", "score_kind", "manifest_hash");
    if (!datasets.isEmpty()) {
      distances = distances.filter(col("dataset").isin(datasets.toArray()));
      if (distances.isEmpty()) {
        throw new UserInputException("no distances for dataset(s) " + String.join(", ", datasets) + " under "
            + distancesPath + ": check --dataset against the datasets that extract ran");
      }
    }
    return distances.join(manifest, new String[] {"dataset", "pair_id"});
  }

  /** One cell's points (pair order by pair id), plain Java. */
  record Points(String[] pairIds, String[] refIds, String[] distortions, double[] metric, double[] score) {
    int size() {
      return metric.length;
    }

    /** The points of one distortion type, in the same order. */
    Points subset(String distortion) {
      int m = 0;
      for (String d : distortions) {
        if (d.equals(distortion)) {
          m++;
        }
      }
      Points s = new Points(new String[m], new String[m], new String[m], new double[m], new double[m]);
      int k = 0;
      for (int i = 0; i < size(); i++) {
        if (distortions[i].equals(distortion)) {
          s.pairIds[k] = pairIds[i];
          s.refIds[k] = refIds[i];
          s.distortions[k] = distortion;
          s.metric[k] = metric[i];
          s.score[k] = score[i];
          k++;
        }
      }
      return s;
    }
  }

  /**
   * The points of a collected list of structs (pair_id, ref_id, distortion, distance, score),
   * sorted by pair id: Spark collects in no fixed order, and a fixed order makes every sum, hence
   * every stored number, the same on every run. A null distance or score becomes NaN, which the
   * statistics report as undefined (never silently dropped).
   */
  static Points points(List<Row> rows) {
    List<Row> sorted = new ArrayList<>(rows);
    sorted.sort(Comparator.comparing((Row r) -> r.getString(0)));
    int n = sorted.size();
    Points p = new Points(new String[n], new String[n], new String[n], new double[n], new double[n]);
    for (int i = 0; i < n; i++) {
      Row r = sorted.get(i);
      p.pairIds[i] = r.getString(0);
      p.refIds[i] = r.getString(1);
      p.distortions[i] = r.getString(2);
      p.metric[i] = r.isNullAt(3) ? Double.NaN : r.getDouble(3);
      p.score[i] = r.isNullAt(4) ? Double.NaN : r.getDouble(4);
    }
    return p;
  }

  private static Iterator<Row> correlateAll(Iterator<Row> cells, int resamples, long seed, int fitIterations) {
    // Resamples depend only on (reference count, resamples, seed): draw each shape once per task.
    Map<Integer, ReferenceResamples> cache = new HashMap<>();
    CellSummary.ResampleSource source = resamples == 0 ? null
        : refs -> cache.computeIfAbsent(refs, r -> ReferenceResamples.draw(r, resamples, seed));
    return new Iterator<>() {
      private Iterator<Row> current = Collections.emptyIterator();

      @Override
      public boolean hasNext() {
        while (!current.hasNext() && cells.hasNext()) {
          List<Row> rows = new ArrayList<>();
          correlate(cells.next(), source, resamples, seed, fitIterations, rows);
          current = rows.iterator();
        }
        return current.hasNext();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return current.next();
      }
    };
  }

  /** The rows of one grouped cell: distortion {@code all}, then each distortion type in name order. */
  static void correlate(Row cell, CellSummary.ResampleSource source, int resamples, long seed, int fitIterations,
      List<Row> out) {
    Points all = points(cell.getList(cell.fieldIndex("points")));
    List<String> hashes = cell.getList(cell.fieldIndex("distance_hashes"));
    String inputHash = Hashing.sha256Hex("aggregate/v2", String.join(",", hashes),
        cell.getAs("manifest_hash"), "resamples=" + resamples, "seed=" + seed, "fit-iterations=" + fitIterations);
    out.add(row(cell, ALL, all, source, resamples, seed, fitIterations, inputHash));
    TreeMap<String, Boolean> types = new TreeMap<>();
    for (String d : all.distortions()) {
      types.put(d, Boolean.TRUE);
    }
    for (String d : types.keySet()) {
      out.add(row(cell, d, all.subset(d), source, resamples, seed, fitIterations, inputHash));
    }
  }

  private static Row row(Row cell, String distortion, Points p, CellSummary.ResampleSource source,
      int resamples, long seed, int fitIterations, String inputHash) {
    String readout = cell.getAs("readout");
    boolean metricHigherIsWorse = MetricDirection.higherIsWorse(readout);
    boolean higherIsBetter = cell.getAs("higher_is_better");
    int sign = Agreement.sign(metricHigherIsWorse, higherIsBetter);
    CellSummary s = CellSummary.of(p.metric(), p.score(), p.refIds(), source, fitIterations);
    CorrelationResult c = s.correlations();
    LogisticFitResult fit = s.fit();
    Double[] sroccCi = {null, null};
    Double[] plccCi = {null, null};
    int undefined = 0;
    String bootReason = resamples == 0 ? "bootstrap off (--resamples 0)" : null;
    if (s.bootstrap() != null) {
      BootstrapInterval sr = s.bootstrap().srocc();
      BootstrapInterval pl = s.bootstrap().plcc();
      sroccCi = CellSummary.agreementInterval(sr, sign);
      plccCi = CellSummary.agreementInterval(pl, sign);
      undefined = Math.max(sr.undefinedResamples(), pl.undefinedResamples());
      bootReason = sr.undefinedReason() != null ? "srocc: " + sr.undefinedReason()
          : pl.undefinedReason() != null ? "plcc: " + pl.undefinedReason() : null;
    }
    return RowFactory.create(cell.getAs("dataset"), cell.getAs("net"), cell.getAs("tap"),
        cell.getAs("tap_index"), readout, distortion, s.n(), s.references(),
        CellSummary.agreement(c.srocc(), sign), CellSummary.agreement(c.krocc(), sign),
        CellSummary.agreement(c.plcc(), sign),
        c.srocc(), c.krocc(), c.plcc(),
        fit.converged() ? fit.plcc() : null, fit.converged() ? fit.rmse() : null, fit.converged(),
        fit.failureReason(),
        sroccCi[0], sroccCi[1], plccCi[0], plccCi[1], resamples, undefined, bootReason, seed,
        metricHigherIsWorse, higherIsBetter, cell.getAs("score_kind"), c.undefinedReason(), inputHash);
  }
}
