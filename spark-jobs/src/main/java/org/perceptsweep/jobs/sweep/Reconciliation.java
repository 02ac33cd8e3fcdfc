package org.perceptsweep.jobs.sweep;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.perceptsweep.jobs.tables.FileHashes;
import org.perceptsweep.jobs.tables.OutputLayout;

/** Every manifest row accounted for: measured in distances, or in rejects with its reason. */
public final class Reconciliation {
  public record Line(String dataset, String net, long manifestPairs, long measuredPairs, long rejectedPairs) {
    public boolean accounted() {
      return measuredPairs + rejectedPairs == manifestPairs;
    }
  }

  private Reconciliation() {}

  static List<Line> compute(SparkSession spark, OutputLayout out, List<String> datasets, List<String> nets) {
    Map<String, Long> manifest = counts(spark, out.table(OutputLayout.MANIFEST), "dataset", null, "pair_id", datasets);
    Map<String, Long> measured = counts(spark, out.table(OutputLayout.DISTANCES), "dataset", "net", "pair_id", datasets);
    Map<String, Long> rejected = new HashMap<>();
    String rejects = out.table(OutputLayout.REJECTS);
    if (FileHashes.exists(rejects, spark.sparkContext().hadoopConfiguration())) {
      for (Row r : spark.read().parquet(rejects).filter(col("stage").equalTo("extract"))
          .filter(col("dataset").isin(datasets.toArray()))
          .groupBy("dataset", "net").agg(countDistinct("item")).collectAsList()) {
        rejected.put(r.getString(0) + "/" + r.getString(1), r.getLong(2));
      }
    }
    List<Line> lines = new ArrayList<>();
    for (String d : datasets) {
      for (String n : nets) {
        lines.add(new Line(d, n, manifest.getOrDefault(d, 0L), measured.getOrDefault(d + "/" + n, 0L),
            rejected.getOrDefault(d + "/" + n, 0L)));
      }
    }
    return lines;
  }

  private static Map<String, Long> counts(SparkSession spark, String table, String k1, String k2, String item,
      List<String> datasets) {
    Map<String, Long> out = new HashMap<>();
    if (!FileHashes.exists(table, spark.sparkContext().hadoopConfiguration())) {
      return out;
    }
    var df = spark.read().parquet(table).filter(col("dataset").isin(datasets.toArray()));
    var grouped = k2 == null ? df.groupBy(k1) : df.groupBy(k1, k2);
    for (Row r : grouped.agg(countDistinct(item)).collectAsList()) {
      String key = k2 == null ? r.getString(0) : r.getString(0) + "/" + r.getString(1);
      out.put(key, r.getLong(r.size() - 1));
    }
    return out;
  }
}
