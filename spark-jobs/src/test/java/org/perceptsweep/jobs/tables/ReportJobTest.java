package org.perceptsweep.jobs.tables;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.perceptsweep.jobs.CliRunner;
import org.perceptsweep.jobs.SparkTestSession;

/**
 * {@code percept-sweep report} on a real (small) study: the synthetic set through manifest, extract
 * (PSNR and the built-in net) and aggregate, then the report, checked against the Parquet tables.
 */
class ReportJobTest {
  @TempDir
  static Path tmp;

  private static String study;
  private static Path reportDir;
  private static CliRunner report;

  @BeforeAll
  static void sweepAndReport() {
    study = tmp.resolve("study").toString();
    assertEquals(0, CliRunner.run("manifest", "--dataset", "synthetic", "--out", study).exitCode());
    assertEquals(0, CliRunner.run("extract", "--out", study, "--net", "psnr", "--net", "builtin:random-convnet",
        "--readouts", "unit_l2").exitCode());
    assertEquals(0, CliRunner.run("aggregate", "--out", study).exitCode());
    reportDir = tmp.resolve("report");
    report = CliRunner.run("report", "--in", study, "--to", reportDir.toString());
  }

  @Test
  void printsWhereTheReportIsAndWhatIsMissing() {
    assertEquals(0, report.exitCode(), report.err());
    assertTrue(report.out().contains("open " + reportDir.resolve("index.html")), report.out());
    // aggregate wrote comparisons and factors, so the report has their sections and no "missing" note.
    assertFalse(report.out().contains("note: No comparisons table"), report.out());
    assertFalse(report.out().contains("note: No factors table"), report.out());
    assertTrue(readHtml().contains("Paired comparisons (from the comparisons table)"), "comparisons section");
    assertTrue(Files.exists(reportDir.resolve("report.ipynb")));
    assertTrue(Files.exists(reportDir.resolve("figures/synthetic-depth.png")));
    assertTrue(Files.exists(reportDir.resolve("figures/synthetic-distortions.svg")));
  }

  private static String readHtml() {
    try {
      return Files.readString(reportDir.resolve("index.html"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void tapsTableIsTheCorrelationTable() throws Exception {
    SparkSession spark = SparkTestSession.get();
    List<Row> stored = spark.read().parquet(new OutputLayout(study).table("correlations"))
        .filter(col("distortion").equalTo("all")).collectAsList();
    List<CSVRecord> csv = read(reportDir.resolve("tables/synthetic-taps.csv"));
    assertEquals(stored.size(), csv.size());
    Map<String, Double> bySrocc = new HashMap<>();
    for (CSVRecord r : csv) {
      bySrocc.put(r.get("net") + "/" + r.get("tap") + "/" + r.get("readout"), Double.parseDouble(r.get("srocc")));
    }
    double bestNet = Double.NEGATIVE_INFINITY;
    for (Row r : stored) {
      String key = r.getAs("net") + "/" + r.getAs("tap") + "/" + r.getAs("readout");
      assertEquals(r.<Double>getAs("srocc"), bySrocc.get(key), 0.0, key);
      if (r.getAs("net").equals("random-convnet")) {
        bestNet = Math.max(bestNet, r.<Double>getAs("srocc"));
      }
    }
    // The net's best tap is the one marked, and the relative depth is tap_index / 4.
    for (CSVRecord r : csv) {
      if (r.get("net").equals("random-convnet")) {
        assertEquals(Double.parseDouble(r.get("srocc")) == bestNet, Boolean.parseBoolean(r.get("best_tap")), r.toString());
        assertEquals(Integer.parseInt(r.get("tap_index")) / 4.0, Double.parseDouble(r.get("relative_depth")), 1e-12);
      }
    }
  }

  @Test
  void scatterUsesEveryPairOfTheDefaultCells() throws Exception {
    String html = Files.readString(reportDir.resolve("index.html"));
    assertTrue(html.contains("figures/synthetic-scatter-psnr-image-psnr.png"), "PSNR scatter");
    assertTrue(html.contains("figures/synthetic-scatter-random-convnet-"), "best cell scatter");
    String svg = Files.readString(reportDir.resolve("figures/synthetic-scatter-psnr-image-psnr.svg"));
    assertTrue(svg.contains("n = 240;"), "all 240 synthetic pairs plotted");
  }

  @Test
  void unknownScatterCellIsOneClearLine() {
    CliRunner bad = CliRunner.run("report", "--in", study, "--to", tmp.resolve("bad").toString(),
        "--scatter", "alexnet/relu9/l2");
    assertEquals(2, bad.exitCode());
    assertTrue(bad.err().startsWith("error: --scatter alexnet/relu9/l2: no such cell"), bad.err());
    CliRunner malformed = CliRunner.run("report", "--in", study, "--to", tmp.resolve("bad").toString(),
        "--scatter", "psnr");
    assertEquals(2, malformed.exitCode());
    assertTrue(malformed.err().contains("NET/TAP/READOUT"), malformed.err());
  }

  @Test
  void missingStudyIsOneClearLine() {
    CliRunner none = CliRunner.run("report", "--in", tmp.resolve("nothing").toString(), "--to",
        tmp.resolve("r2").toString());
    assertEquals(2, none.exitCode());
    assertTrue(none.err().contains("no correlations table at"), none.err());
    assertFalse(Files.exists(tmp.resolve("r2/index.html")));
  }

  private static List<CSVRecord> read(Path csv) throws Exception {
    try (Reader r = Files.newBufferedReader(csv)) {
      return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r).getRecords();
    }
  }
}
