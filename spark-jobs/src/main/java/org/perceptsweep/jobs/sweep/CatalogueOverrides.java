package org.perceptsweep.jobs.sweep;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.perceptsweep.core.Learning;
import org.perceptsweep.jobs.tables.FileHashes;
import org.perceptsweep.jobs.tables.NetsTable;
import org.perceptsweep.jobs.tables.OutputLayout;
import org.perceptsweep.jobs.tables.TableWriter;
import org.perceptsweep.udf.net.NetFacts;

/**
 * The net catalogue: a sweep file may override a card's factor tags (goal, training data,
 * architecture), for example to group nets the card authors described differently, and its net
 * facts (learning, depth, parameters; source {@code sweep}). Applied to the {@code nets} table,
 * which the statistics, findings and reports group by. A learning kind that came from the card's
 * goal follows an overridden goal.
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
      if (!n.overridesCatalogue()) {
        continue;
      }
      Dataset<Row> row = NetsTable.read(spark, out).filter(col("net").equalTo(e.getKey()));
      if (n.goal() != null) {
        row = row.withColumn("goal", lit(n.goal()));
      }
      if (n.trainingData() != null) {
        row = row.withColumn("training_data", lit(n.trainingData()));
      }
      if (n.architecture() != null) {
        row = row.withColumn("architecture", lit(n.architecture()));
      }
      if (n.learning() != null) {
        row = row.withColumn("learning", lit(Learning.parse(n.learning(), "sweep net " + e.getKey()).key()))
            .withColumn("learning_source", lit(NetFacts.SWEEP));
      } else if (n.goal() != null || n.trainingData() != null) {
        row = rederiveLearning(row);
      }
      if (n.depth() != null) {
        row = row.withColumn("depth", lit(n.depth())).withColumn("depth_source", lit(NetFacts.SWEEP));
      }
      if (n.parameters() != null) {
        row = row.withColumn("parameters", lit(n.parameters())).withColumn("parameters_source", lit(NetFacts.SWEEP));
      }
      // Materialised before the overwrite, which replaces the very partition it was read from.
      Dataset<Row> updated = spark.createDataFrame(row.collectAsList(), row.schema());
      TableWriter.overwritePartitions(updated, table, "net");
    }
  }

  /** Learning that came from the card's goal (or was unknown) follows the overridden goal. */
  private static Dataset<Row> rederiveLearning(Dataset<Row> row) {
    java.util.List<Row> rows = row.collectAsList();
    if (rows.isEmpty()) {
      return row;
    }
    Row r = rows.get(0);
    String source = r.getAs("learning_source");
    if (source != null && !source.equals(NetFacts.GOAL) && !source.equals(NetFacts.UNKNOWN)) {
      return row;
    }
    Learning l = Learning.fromGoal(r.getAs("goal"), r.getAs("training_data"));
    return row.withColumn("learning", lit(l == null ? null : l.key()).cast("string"))
        .withColumn("learning_source", lit(l == null ? NetFacts.UNKNOWN : NetFacts.GOAL));
  }
}
