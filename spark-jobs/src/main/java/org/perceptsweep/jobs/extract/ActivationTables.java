package org.perceptsweep.jobs.extract;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.row_number;

import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.perceptsweep.jobs.tables.OutputLayout;
import org.perceptsweep.jobs.tables.TableWriter;

/**
 * Spark glue for the {@code activations} and {@code activation_maps} tables: picks the extractor's
 * activation rows, keeps one row per (dataset, net, image, tap) and writes this run's cells.
 *
 * <p>Why a dedupe: a reference whose pairs are split into several chunks (see
 * {@link ExtractJob#MAX_GROUP_SIZE_KEY}) is forwarded once per chunk, in tasks that cannot see each
 * other, and each chunk reports its descriptors (they are the same numbers). An image can also be
 * both a reference and a distorted image (LIVE lists its references among the distorted images).
 * One row per (dataset, net, image_path, tap) is kept: the reference role first, then the lowest
 * chunk, then the lowest pair id, so the choice is deterministic.
 */
final class ActivationTables {
  private ActivationTables() {}

  /** The {@code activations} rows of one extract run: dataset, net, image_path, ..., input_hash. */
  static Dataset<Row> descriptors(Dataset<Row> extracted) {
    return onePerImageAndTap(extracted.filter(col("kind").equalTo(PairGroupExtractor.KIND_ACTIVATION)))
        .selectExpr("dataset", "net", "dist_path AS image_path", "image_role", "ref_id", "tap", "tap_index",
            "channels", "values AS mean", "std", "height", "width", "input_hash");
  }

  /** The {@code activation_maps} rows of one extract run. */
  static Dataset<Row> maps(Dataset<Row> extracted) {
    return onePerImageAndTap(extracted.filter(col("kind").equalTo(PairGroupExtractor.KIND_ACTIVATION_MAP)))
        .selectExpr("dataset", "net", "dist_path AS image_path", "image_role", "ref_id", "tap", "tap_index",
            "shape", "values", "input_hash");
  }

  private static Dataset<Row> onePerImageAndTap(Dataset<Row> rows) {
    return rows.withColumn("_rank", row_number().over(Window.partitionBy("dataset", "net", "dist_path", "tap")
            .orderBy(col("image_role").equalTo(PairGroupExtractor.ROLE_REFERENCE).desc(), col(ExtractJob.REF_CHUNK),
                col("pair_id"))))
        .filter(col("_rank").equalTo(1))
        .drop("_rank");
  }

  /**
   * Writes this run's rows (dynamic partition overwrite per dataset/net) when they were asked for;
   * otherwise removes this run's net cells from the table, so no stale rows outlive a rerun.
   *
   * @param cells this run's "dataset/net" cells
   * @return rows of this run's cells now in the table
   */
  static long write(SparkSession spark, OutputLayout out, String table, Dataset<Row> rows, boolean asked,
      Set<String> cells, Map<String, String> netIdentity) {
    String path = out.table(table);
    boolean anyNet = netIdentity.values().stream().anyMatch(v -> !v.startsWith("classic:"));
    if (!asked || !anyNet) {
      ExtractJob.removeNetCells(spark, path, cells, netIdentity, table);
      return 0;
    }
    TableWriter.overwritePartitions(rows, path, "dataset", "net");
    return spark.read().parquet(path).filter(concat_ws("/", col("dataset"), col("net")).isin(cells.toArray()))
        .count();
  }
}
