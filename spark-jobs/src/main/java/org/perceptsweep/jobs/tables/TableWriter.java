package org.perceptsweep.jobs.tables;

import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.catalyst.catalog.ExternalCatalogUtils;
import org.perceptsweep.jobs.SparkSessions;

/**
 * Writes result tables as Parquet with hive-style partitions. With dynamic partition overwrite
 * (set by {@link SparkSessions}) Spark stages the files and replaces only the partitions present in
 * the new data: a rerun for one dataset or net leaves the other cells alone, and readers never see
 * a half-written partition of a committed job.
 */
public final class TableWriter {
  private TableWriter() {}

  public static void overwritePartitions(Dataset<Row> df, String path, String... partitionColumns) {
    df.sparkSession().conf().set("spark.sql.sources.partitionOverwriteMode", "dynamic");
    df.write().mode(SaveMode.Overwrite).partitionBy(partitionColumns).parquet(path);
  }

  /** The folder of one partition, escaped the way Spark names it ({@code col=value/...}). */
  public static String partitionPath(String table, String... columnValuePairs) {
    Path p = new Path(table);
    for (int i = 0; i < columnValuePairs.length; i += 2) {
      p = new Path(p, ExternalCatalogUtils.escapePathName(columnValuePairs[i]) + "="
          + ExternalCatalogUtils.escapePathName(columnValuePairs[i + 1]));
    }
    return p.toString();
  }
}
