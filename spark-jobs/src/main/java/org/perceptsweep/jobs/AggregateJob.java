package org.perceptsweep.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;

import java.util.List;
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
import org.perceptsweep.core.stats.CorrelationResult;
import org.perceptsweep.core.stats.Correlations;
import org.perceptsweep.core.util.Hashing;

/**
 * Correlates the {@code distances} with the manifest's scores and writes {@code correlations}: one
 * row per dataset x net x tap x readout x distortion subset ({@code all} and each distortion type).
 * Spark does the grouping; the statistics are plain Java ({@link Correlations}).
 *
 * <p>Correlations are stored signed (as computed between metric and score) and agreement-signed
 * (positive = the metric agrees with humans), with both directions recorded.
 */
public final class AggregateJob {
  public static final String ALL = "all";

  public static final StructType SCHEMA = new StructType()
      .add("dataset", DataTypes.StringType, false)
      .add("net", DataTypes.StringType, false)
      .add("tap", DataTypes.StringType, false)
      .add("tap_index", DataTypes.IntegerType, false)
      .add("readout", DataTypes.StringType, false)
      .add("distortion", DataTypes.StringType, false)
      .add("n", DataTypes.IntegerType, false)
      .add("srocc", DataTypes.DoubleType, true)
      .add("krocc", DataTypes.DoubleType, true)
      .add("plcc", DataTypes.DoubleType, true)
      .add("srocc_signed", DataTypes.DoubleType, true)
      .add("krocc_signed", DataTypes.DoubleType, true)
      .add("plcc_signed", DataTypes.DoubleType, true)
      .add("metric_higher_is_worse", DataTypes.BooleanType, false)
      .add("higher_is_better", DataTypes.BooleanType, false)
      .add("score_kind", DataTypes.StringType, false)
      .add("undefined_reason", DataTypes.StringType, true)
      .add("input_hash", DataTypes.StringType, false);

  public record Summary(long cells) {}

  private AggregateJob() {}

  public static Summary run(SparkSession spark, OutputLayout out, List<String> datasets) {
    String distancesPath = out.table(OutputLayout.DISTANCES);
    if (!FileHashes.exists(distancesPath, spark.sparkContext().hadoopConfiguration())) {
      throw new UserInputException("no distances at " + distancesPath
          + ": run 'percept-sweep extract --out " + out.root() + " --net ...' first");
    }
    Dataset<Row> distances = spark.read().parquet(distancesPath);
    Dataset<Row> manifest = ExtractJob.readManifest(spark, out)
        .select("dataset", "pair_id", "distortion", "score", "higher_is_better", "score_kind", "manifest_hash");
    if (!datasets.isEmpty()) {
      distances = distances.filter(col("dataset").isin(datasets.toArray()));
    }
    Dataset<Row> joined = distances.join(manifest, new String[] {"dataset", "pair_id"});
    Dataset<Row> subsets = joined.withColumn("distortion", lit(ALL)).unionByName(joined);
    Dataset<Row> cells = subsets
        .groupBy("dataset", "net", "tap", "tap_index", "readout", "distortion")
        .agg(collect_list(struct(col("distance"), col("score"))).as("points"),
            first("higher_is_better").as("higher_is_better"),
            first("score_kind").as("score_kind"),
            sort_array(collect_set(col("input_hash"))).as("distance_hashes"),
            first("manifest_hash").as("manifest_hash"));
    JavaRDD<Row> rows = cells.javaRDD().map(AggregateJob::correlate);
    Dataset<Row> correlations = spark.createDataFrame(rows, SCHEMA);
    TableWriter.overwritePartitions(correlations, out.table(OutputLayout.CORRELATIONS), "dataset");
    return new Summary(spark.read().parquet(out.table(OutputLayout.CORRELATIONS)).count());
  }

  static Row correlate(Row cell) {
    List<Row> points = cell.getList(cell.fieldIndex("points"));
    double[] metric = new double[points.size()];
    double[] score = new double[points.size()];
    for (int i = 0; i < points.size(); i++) {
      metric[i] = points.get(i).getDouble(0);
      score[i] = points.get(i).getDouble(1);
    }
    String readout = cell.getAs("readout");
    boolean metricHigherIsWorse = MetricDirection.higherIsWorse(readout);
    boolean higherIsBetter = cell.getAs("higher_is_better");
    int sign = Agreement.sign(metricHigherIsWorse, higherIsBetter);
    CorrelationResult c = Correlations.of(metric, score);
    List<String> hashes = cell.getList(cell.fieldIndex("distance_hashes"));
    String inputHash = Hashing.sha256Hex("aggregate/v1", String.join(",", hashes),
        cell.getAs("manifest_hash"));
    return RowFactory.create(cell.getAs("dataset"), cell.getAs("net"), cell.getAs("tap"),
        cell.getAs("tap_index"), readout, cell.getAs("distortion"), c.n(),
        times(c.srocc(), sign), times(c.krocc(), sign), times(c.plcc(), sign),
        c.srocc(), c.krocc(), c.plcc(), metricHigherIsWorse, higherIsBetter,
        cell.getAs("score_kind"), c.undefinedReason(), inputHash);
  }

  private static Double times(Double value, int sign) {
    return value == null ? null : value * sign;
  }
}
