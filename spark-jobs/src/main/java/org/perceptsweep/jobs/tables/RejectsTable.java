package org.perceptsweep.jobs.tables;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.perceptsweep.jobs.manifest.ManifestTable;

/**
 * The {@code rejects} table: every input row a step could not use, with the reason, partitioned by
 * dataset / stage / net. A step owns the partitions of the datasets and nets it ran; they are
 * replaced by its new rejects, or removed when it has none now, so fixed inputs leave no stale rows.
 */
public final class RejectsTable {
  /** The net column of rejects that belong to no net (manifest stage). */
  public static final String NO_NET = "-";

  private RejectsTable() {}

  /**
   * @param rejects rows of {@link ManifestTable#REJECTS_SCHEMA}
   * @param owned "dataset/net" keys this step ran, whether or not they have rejects now
   */
  public static long replace(SparkSession spark, OutputLayout out, Dataset<Row> rejects, List<String> stages,
      Set<String> owned) {
    String table = out.table(OutputLayout.REJECTS);
    long count = rejects.count();
    Set<String> withRows = new HashSet<>();
    if (count > 0) {
      TableWriter.overwritePartitions(rejects, table, "dataset", "stage", "net");
      for (Row r : rejects.select("dataset", "stage", "net").distinct().collectAsList()) {
        withRows.add(r.getString(0) + "/" + r.getString(1) + "/" + r.getString(2));
      }
    }
    for (String key : owned) {
      int slash = key.indexOf('/');
      String dataset = key.substring(0, slash);
      String net = key.substring(slash + 1);
      for (String stage : stages) {
        if (!withRows.contains(dataset + "/" + stage + "/" + net)) {
          FileHashes.deleteRecursively(TableWriter.partitionPath(table, "dataset", dataset, "stage", stage, "net", net),
              spark.sparkContext().hadoopConfiguration());
        }
      }
    }
    return count;
  }
}
