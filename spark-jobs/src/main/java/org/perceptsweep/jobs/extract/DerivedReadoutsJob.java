package org.perceptsweep.jobs.extract;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.perceptsweep.jobs.tables.FileHashes;
import org.perceptsweep.jobs.tables.OutputLayout;
import org.perceptsweep.jobs.tables.TableWriter;
import org.perceptsweep.udf.readout.ChannelNorm;
import org.perceptsweep.udf.readout.ReadoutSet;
import scala.Tuple2;

/**
 * Readouts that need a dataset-wide pass over stored per-channel terms, and the merge of such
 * derived rows into the {@code distances} table. The arithmetic is plain Java ({@link ChannelNorm});
 * this class is the Spark glue.
 */
public final class DerivedReadoutsJob {
  /** The columns of the distances table, in order. */
  public static final StructType DISTANCES = new StructType()
      .add("dataset", DataTypes.StringType, false)
      .add("net", DataTypes.StringType, false)
      .add("pair_id", DataTypes.StringType, false)
      .add("ref_id", DataTypes.StringType, false)
      .add("dist_path", DataTypes.StringType, false)
      .add("tap", DataTypes.StringType, false)
      .add("tap_index", DataTypes.IntegerType, false)
      .add("readout", DataTypes.StringType, false)
      .add("distance", DataTypes.DoubleType, false)
      .add("input_hash", DataTypes.StringType, false);

  private DerivedReadoutsJob() {}

  /**
   * {@code channel_norm_l2} per pair and tap from {@code mse} channel terms: n_c is the mean of d_c
   * over all pairs of the same dataset, net and tap present in {@code mseTerms}.
   *
   * @param mseTerms rows with dataset, net, pair_id, ref_id, dist_path, tap, tap_index, values
   *     (float array), input_hash: one per pair and tap, all of kind mse
   * @param sumTapIndexByNet when not null, also the pseudo-tap {@code sum} (the per-tap values summed),
   *     at this tap index per net
   * @return rows in the {@link #DISTANCES} layout with readout {@value ReadoutSet#CHANNEL_NORM_L2}
   */
  public static Dataset<Row> channelNormL2(SparkSession spark, Dataset<Row> mseTerms,
      Map<String, Integer> sumTapIndexByNet) {
    Dataset<Row> terms = mseTerms.select("dataset", "net", "pair_id", "ref_id", "dist_path", "tap", "tap_index",
        "values", "input_hash");
    JavaRDD<Row> rows = terms.javaRDD();
    Map<String, Tuple2<double[], Long>> sums = rows
        .mapToPair(r -> new Tuple2<>(cellKey(r), new Tuple2<>(ChannelNorm.accumulate(null, values(r, 7)), 1L)))
        .reduceByKey((a, b) -> new Tuple2<>(add(a._1(), b._1()), a._2() + b._2()))
        .collectAsMap();
    Map<String, double[]> means = new HashMap<>();
    sums.forEach((k, v) -> means.put(k, ChannelNorm.means(v._1(), v._2())));
    Broadcast<Map<String, double[]>> shared = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(means);
    JavaRDD<Row> out = rows.map(r -> RowFactory.create(r.getString(0), r.getString(1), r.getString(2), r.getString(3),
        r.getString(4), r.getString(5), r.getInt(6), ReadoutSet.CHANNEL_NORM_L2,
        ChannelNorm.distance(values(r, 7), shared.value().get(cellKey(r))), r.getString(8)));
    Dataset<Row> perTap = spark.createDataFrame(out, DISTANCES);
    if (sumTapIndexByNet == null || sumTapIndexByNet.isEmpty()) {
      return perTap;
    }
    Dataset<Row> summed = perTap.groupBy("dataset", "net", "pair_id", "ref_id", "dist_path", "input_hash")
        .agg(sum("distance").as("distance"));
    Dataset<Row> index = spark.createDataFrame(sumTapIndexByNet.entrySet().stream()
        .map(e -> RowFactory.create(e.getKey(), e.getValue())).toList(),
        new StructType().add("net", DataTypes.StringType).add("tap_index", DataTypes.IntegerType));
    Dataset<Row> sumRows = summed.join(index, "net")
        .withColumn("tap", lit(ReadoutSet.SUM_TAP))
        .withColumn("readout", lit(ReadoutSet.CHANNEL_NORM_L2))
        .select(columns());
    return perTap.unionByName(sumRows);
  }

  /**
   * Replaces, in the distances table, the rows of the given readouts in the (dataset, net)
   * partitions that {@code rows} touches, keeping every other row of those partitions. The merged
   * partitions are staged under the output folder first (a job may not overwrite what it reads)
   * and then swapped in with dynamic partition overwrite.
   *
   * @param rows new rows in the {@link #DISTANCES} layout
   * @return the number of rows written
   */
  public static long replaceReadouts(SparkSession spark, OutputLayout out, Dataset<Row> rows, List<String> readouts) {
    String table = out.table(OutputLayout.DISTANCES);
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Dataset<Row> fresh = rows.select(columns()).persist();
    try {
      List<Row> cells = fresh.select("dataset", "net").distinct().collectAsList();
      Dataset<Row> merged = fresh;
      if (FileHashes.exists(table, conf) && !cells.isEmpty()) {
        Dataset<Row> touched = spark.createDataFrame(cells, new StructType()
            .add("dataset", DataTypes.StringType).add("net", DataTypes.StringType));
        Dataset<Row> kept = spark.read().parquet(table).join(touched, new String[] {"dataset", "net"}, "left_semi")
            .filter(col("readout").isin(readouts.toArray()).unary_$bang())
            .select(columns());
        merged = kept.unionByName(fresh);
      }
      Path staging = new Path(out.root(), "_staging/distances-" + UUID.randomUUID());
      try {
        merged.write().partitionBy("dataset", "net").parquet(staging.toString());
        Dataset<Row> staged = spark.read().parquet(staging.toString()).select(columns());
        TableWriter.overwritePartitions(staged, table, "dataset", "net");
      } finally {
        FileSystem fs = staging.getFileSystem(conf);
        fs.delete(staging, true);
      }
      return fresh.count();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot clean the staging folder under " + out.root() + ": " + e.getMessage(), e);
    } finally {
      fresh.unpersist();
    }
  }

  static org.apache.spark.sql.Column[] columns() {
    return java.util.Arrays.stream(DISTANCES.fieldNames()).map(org.apache.spark.sql.functions::col)
        .toArray(org.apache.spark.sql.Column[]::new);
  }

  private static String cellKey(Row r) {
    return r.getString(0) + "\u0000" + r.getString(1) + "\u0000" + r.getString(5);
  }

  /** A float-array column as float[]. */
  public static float[] values(Row r, int index) {
    List<Object> list = r.getList(index);
    float[] out = new float[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ((Number) list.get(i)).floatValue();
    }
    return out;
  }

  private static double[] add(double[] a, double[] b) {
    double[] out = a.clone();
    for (int i = 0; i < out.length; i++) {
      out[i] += b[i];
    }
    return out;
  }
}
