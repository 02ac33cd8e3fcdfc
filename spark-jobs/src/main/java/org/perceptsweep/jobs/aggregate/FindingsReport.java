package org.perceptsweep.jobs.aggregate;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.perceptsweep.jobs.tables.FileHashes;
import org.perceptsweep.jobs.tables.OutputLayout;

/**
 * The console rendering of the {@code findings} table after aggregate and sweep: per dataset, one
 * line per claim with its verdict over the whole set, the estimate and interval, and how its
 * subjects fared (or what is missing).
 */
public final class FindingsReport {
  private FindingsReport() {}

  /** The findings of these datasets (empty: all); empty text when there is no findings table. */
  public static String render(SparkSession spark, OutputLayout out, List<String> datasets) {
    String table = out.table(OutputLayout.FINDINGS);
    if (!FileHashes.exists(table, spark.sparkContext().hadoopConfiguration())) {
      return "";
    }
    Dataset<Row> df = spark.read().parquet(table);
    if (!datasets.isEmpty()) {
      df = df.filter(col("dataset").isin(datasets.toArray()));
    }
    List<Line> lines = new ArrayList<>();
    for (Row r : df.orderBy("dataset", "claim_no").collectAsList()) {
      lines.add(new Line(r.getAs("dataset"), r.<Integer>getAs("claim_no"), r.getAs("statement"), r.getAs("subject"),
          r.getAs("subject_kind"), r.getAs("estimate"), r.getAs("ci_low"), r.getAs("ci_high"), r.getAs("verdict"),
          r.getAs("reason"), r.<Integer>getAs("bootstrap_resamples"), r.<Double>getAs("equivalence_delta"),
          r.<Integer>getAs("depth_threshold")));
    }
    return render(lines);
  }

  /** One row of the findings table, as the console needs it. */
  record Line(String dataset, int claimNo, String statement, String subject, String subjectKind, Double estimate,
      Double low, Double high, String verdict, String reason, int resamples, double delta, int depthThreshold) {}

  static String render(List<Line> lines) {
    Map<String, TreeMap<Integer, List<Line>>> byDataset = new TreeMap<>();
    for (Line l : lines) {
      byDataset.computeIfAbsent(l.dataset(), k -> new TreeMap<>()).computeIfAbsent(l.claimNo(), k -> new ArrayList<>())
          .add(l);
    }
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, TreeMap<Integer, List<Line>>> d : byDataset.entrySet()) {
      Line any = d.getValue().firstEntry().getValue().get(0);
      sb.append(String.format(Locale.ROOT, "%nfindings on %s: the study's claims on your data (95%% intervals over %d"
          + " reference resamples; equivalence +-%s, very deep: more than %d weight layers)%n", d.getKey(),
          any.resamples(), trim(any.delta()), any.depthThreshold()));
      for (List<Line> claim : d.getValue().values()) {
        Line set = claim.stream().filter(l -> "set".equals(l.subjectKind())).findFirst().orElse(claim.get(0));
        Map<String, Integer> tally = new LinkedHashMap<>();
        for (Line l : claim) {
          if (!"set".equals(l.subjectKind())) {
            tally.merge(l.verdict(), 1, Integer::sum);
          }
        }
        String subjects = tally.isEmpty() ? "" : tally.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
            .reduce((a, b) -> a + ", " + b).orElse("") + " of " + tally.values().stream().mapToInt(Integer::intValue)
            .sum() + " " + (claim.stream().anyMatch(l -> "pair".equals(l.subjectKind())) ? "pairs" : "nets");
        String detail = set.estimate() == null || set.low() == null
            ? set.reason() + (subjects.isEmpty() ? "" : " (" + subjects + ")")
            : interval(set) + "  " + subjects;
        sb.append(String.format(Locale.ROOT, "  %d %-68s %-13s %s%n", set.claimNo(), set.statement(), set.verdict(),
            detail.strip()));
      }
    }
    return sb.toString();
  }

  private static String interval(Line l) {
    return String.format(Locale.ROOT, "%+.3f [%+.3f, %+.3f]", l.estimate(), l.low(), l.high());
  }

  private static String trim(double v) {
    return String.format(Locale.ROOT, "%.4f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
  }
}
