package org.perceptsweep.jobs;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.perceptsweep.export.ResultTable;
import org.perceptsweep.export.TableRenderers;

/** The console rendering of the correlations of the whole dataset (distortion subset {@code all}). */
public final class CorrelationReport {
  private CorrelationReport() {}

  public static String render(SparkSession spark, OutputLayout out) {
    List<Row> rows = spark.read().parquet(out.table(OutputLayout.CORRELATIONS))
        .filter(col("distortion").equalTo(AggregateJob.ALL))
        .orderBy("dataset", "net", "tap_index", "tap", "readout")
        .select("dataset", "score_kind", "net", "tap", "readout", "n", "srocc", "krocc", "plcc", "undefined_reason")
        .collectAsList();
    StringBuilder sb = new StringBuilder();
    String current = null;
    List<List<Object>> block = new ArrayList<>();
    for (Row r : rows) {
      String dataset = r.getString(0) + " (score: " + r.getString(1) + ")";
      if (!dataset.equals(current)) {
        flush(sb, current, block);
        current = dataset;
        block = new ArrayList<>();
      }
      List<Object> line = new ArrayList<>();
      for (int i = 2; i < r.size(); i++) {
        line.add(r.get(i));
      }
      block.add(line);
    }
    flush(sb, current, block);
    return sb.toString();
  }

  private static void flush(StringBuilder sb, String dataset, List<List<Object>> block) {
    if (dataset == null) {
      return;
    }
    sb.append("\nAgreement with the scores of ").append(dataset)
        .append(" (positive = agrees; SROCC, KROCC tau-b, PLCC; '-' = undefined)\n");
    sb.append(TableRenderers.text(new ResultTable(
        List.of("net", "tap", "readout", "n", "srocc", "krocc", "plcc", "undefined"), block)));
  }
}
