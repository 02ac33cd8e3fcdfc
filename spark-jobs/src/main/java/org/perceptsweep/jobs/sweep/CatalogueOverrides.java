package org.perceptsweep.jobs.sweep;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.perceptsweep.jobs.tables.FileHashes;
import org.perceptsweep.jobs.tables.OutputLayout;
import org.perceptsweep.jobs.tables.TableWriter;

/**
 * The net catalogue: a sweep file may override a card's factor tags (goal, training data,
 * architecture), for example to group nets the card authors described differently. Applied to the
 * {@code nets} table, which the statistics and reports group by.
 */
final class CatalogueOverrides {
  private CatalogueOverrides() {}

  static void apply(SparkSession spark, OutputLayout out, Map<String, SweepConfig.NetEntry> byNet) {
    String table = out.table(OutputLayout.NETS);
    if (!FileHashes.exists(table, spark.sparkContext().hadoopConfiguration())) {
      return;
    }
    for (Map.Entry<String, SweepConfig.NetEntry> e : byNet.entrySet()) {
      SweepConfig.NetEntry n = e.getValue();
      if (n.goal() == null && n.trainingData() == null && n.architecture() == null) {
        continue;
      }
      Dataset<Row> row = spark.read().parquet(table).filter(col("net").equalTo(e.getKey()));
      if (n.goal() != null) {
        row = row.withColumn("goal", lit(n.goal()));
      }
      if (n.trainingData() != null) {
        row = row.withColumn("training_data", lit(n.trainingData()));
      }
      if (n.architecture() != null) {
        row = row.withColumn("architecture", lit(n.architecture()));
      }
      // Materialised before the overwrite, which replaces the very partition it was read from.
      Dataset<Row> updated = spark.createDataFrame(row.collectAsList(), row.schema());
      TableWriter.overwritePartitions(updated, table, "net");
    }
  }
}
