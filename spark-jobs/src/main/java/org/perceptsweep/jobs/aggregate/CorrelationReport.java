package org.perceptsweep.jobs.aggregate;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.perceptsweep.export.ResultTable;
import org.perceptsweep.export.TableRenderers;
import org.perceptsweep.jobs.tables.FileHashes;
import org.perceptsweep.jobs.tables.OutputLayout;

/**
 * The console rendering after aggregate: the correlations of the whole dataset (distortion subset
 * {@code all}) with their 95% reference-bootstrap intervals, then the comparisons on {@code all}.
 */
public final class CorrelationReport {
  private CorrelationReport() {}

  public static String render(SparkSession spark, OutputLayout out) {
    List<Row> rows = spark.read().parquet(out.table(OutputLayout.CORRELATIONS))
        .filter(col("distortion").equalTo(AggregateJob.ALL))
        .orderBy("dataset", "net", "tap_index", "tap", "readout")
        .select("dataset", "score_kind", "net", "tap", "readout", "n", "srocc", "srocc_ci_low", "srocc_ci_high",
            "krocc", "plcc", "plcc_ci_low", "plcc_ci_high", "plcc_fitted", "rmse_fitted", "undefined_reason",
            "fit_reason", "bootstrap_resamples")
        .collectAsList();
    StringBuilder sb = new StringBuilder();
    String current = null;
    int resamples = 0;
    List<List<Object>> block = new ArrayList<>();
    for (Row r : rows) {
      String dataset = r.getString(0) + " (score: " + r.getString(1) + ")";
      if (!dataset.equals(current)) {
        flush(sb, current, resamples, block);
        current = dataset;
        block = new ArrayList<>();
      }
      resamples = r.getInt(17);
      List<Object> line = new ArrayList<>();
      line.add(r.get(2));
      line.add(r.get(3));
      line.add(r.get(4));
      line.add(r.get(5));
      line.add(withInterval(r, 6, 7, 8));
      line.add(r.get(9));
      line.add(withInterval(r, 10, 11, 12));
      line.add(r.get(13));
      line.add(r.get(14));
      String why = r.isNullAt(15) ? (r.isNullAt(16) ? null : "logistic fit: " + r.getString(16)) : r.getString(15);
      line.add(why);
      block.add(line);
    }
    flush(sb, current, resamples, block);
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    if (FileHashes.exists(out.table(OutputLayout.COMPARISONS), conf)) {
      sb.append(comparisons(spark, out));
    }
    return sb.toString();
  }

  /** "0.8912 [0.8601, 0.9155]", the value alone when there is no interval, null when undefined. */
  static String withInterval(Row r, int value, int low, int high) {
    if (r.isNullAt(value)) {
      return null;
    }
    String v = String.format(Locale.ROOT, "%.4f", r.getDouble(value));
    if (r.isNullAt(low)) {
      return v;
    }
    return v + String.format(Locale.ROOT, " [%.4f, %.4f]", r.getDouble(low), r.getDouble(high));
  }

  private static void flush(StringBuilder sb, String dataset, int resamples, List<List<Object>> block) {
    if (dataset == null) {
      return;
    }
    sb.append("\nAgreement with the scores of ").append(dataset)
        .append(" (positive = agrees; SROCC, KROCC tau-b, PLCC [95% CI, ").append(resamples)
        .append(" reference resamples]; PLCC/RMSE after the logistic fit; '-' = undefined, why in the notes)\n");
    sb.append(TableRenderers.textWithNotes(new ResultTable(
        List.of("net", "tap", "readout", "n", "srocc [95% CI]", "krocc", "plcc [95% CI]", "plcc_fit", "rmse_fit",
            "undefined"), block), "undefined"));
  }

  private static String comparisons(SparkSession spark, OutputLayout out) {
    List<Row> rows = spark.read().parquet(out.table(OutputLayout.COMPARISONS))
        .filter(col("distortion").equalTo(AggregateJob.ALL))
        .orderBy("dataset", "net_a", "tap_a", "readout_a", "net_b", "tap_b", "readout_b")
        .select("dataset", "net_a", "tap_a", "readout_a", "net_b", "tap_b", "readout_b", "n", "srocc_diff",
            "diff_ci_low", "diff_ci_high", "fraction_a_beats_b", "undefined_reason")
        .collectAsList();
    if (rows.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    String current = null;
    List<List<Object>> block = new ArrayList<>();
    for (Row r : rows) {
      if (!r.getString(0).equals(current)) {
        flushComparisons(sb, current, block);
        current = r.getString(0);
        block = new ArrayList<>();
      }
      List<Object> line = new ArrayList<>();
      line.add(r.getString(1) + "/" + r.getString(2) + "/" + r.getString(3));
      line.add(r.getString(4) + "/" + r.getString(5) + "/" + r.getString(6));
      line.add(r.get(7));
      line.add(withInterval(r, 8, 9, 10));
      line.add(r.get(11));
      line.add(r.get(12));
      block.add(line);
    }
    flushComparisons(sb, current, block);
    return sb.toString();
  }

  private static void flushComparisons(StringBuilder sb, String dataset, List<List<Object>> block) {
    if (dataset == null) {
      return;
    }
    sb.append("\nPaired comparisons on ").append(dataset)
        .append(" (agreement SROCC of A minus B on the same pairs [95% CI]; P(A beats B) over resamples)\n");
    sb.append(TableRenderers.textWithNotes(new ResultTable(
        List.of("A", "B", "n", "srocc A-B [95% CI]", "P(A>B)", "undefined"), block), "undefined"));
  }
}
