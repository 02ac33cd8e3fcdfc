package org.perceptsweep.jobs.progress;

import static org.apache.spark.sql.functions.col;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.perceptsweep.jobs.aggregate.AggregateJob;
import org.perceptsweep.jobs.extract.ExtractJob;
import org.perceptsweep.jobs.tables.FileHashes;
import org.perceptsweep.jobs.tables.OutputLayout;

/** The rows a stage wrote, for {@link StageSummary}: what is in the (dataset, net) cells it replaced. */
public final class RowsWritten {
  private RowsWritten() {}

  /** An extract's rows: the distances of its datasets x nets (all datasets when none are named). */
  public static String extract(SparkSession spark, OutputLayout out, Collection<String> datasets,
      ExtractJob.Summary s) {
    long distances = count(spark, out.table(OutputLayout.DISTANCES), datasets, s.nets());
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%d distances, %d rejects", distances,
        s.rejectedRows()));
    if (s.channelTermRows() > 0) {
      sb.append(String.format(Locale.ROOT, ", %d channel terms", s.channelTermRows()));
    }
    if (s.activationRows() > 0 || s.activationMapRows() > 0) {
      sb.append(String.format(Locale.ROOT, ", %d activations, %d activation maps", s.activationRows(),
          s.activationMapRows()));
    }
    return sb.toString();
  }

  public static String aggregate(AggregateJob.Summary a) {
    return String.format(Locale.ROOT, "%d correlations, %d comparisons, %d factors, %d depth", a.cells(),
        a.comparisons(), a.factorRows(), a.depthRows());
  }

  static long count(SparkSession spark, String table, Collection<String> datasets, List<String> nets) {
    if (!FileHashes.exists(table, spark.sparkContext().hadoopConfiguration())) {
      return 0;
    }
    Dataset<Row> d = spark.read().parquet(table).filter(col("net").isin(nets.toArray()));
    if (!datasets.isEmpty()) {
      d = d.filter(col("dataset").isin(datasets.toArray()));
    }
    return d.count();
  }
}
