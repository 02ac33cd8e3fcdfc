package org.perceptsweep.jobs.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.perceptsweep.jobs.CliRunner;
import org.perceptsweep.jobs.SparkTestSession;
import org.perceptsweep.jobs.tables.OutputLayout;
import org.perceptsweep.testing.SharedData;

/**
 * PSNR, SSIM, LPIPS-alex and each AlexNet tap side by side with intervals on the LIVE JPEG subset
 * (175 pairs over 29 references, DMOS): one extraction for the whole class.
 */
class AggregateLiveJpegTest {
  @TempDir
  static Path tmp;

  private static OutputLayout out;
  private static CliRunner aggregate;
  private static SparkSession spark;

  @BeforeAll
  static void extractAndAggregate() {
    Path csv = SharedData.data("live-jpeg/dmos.csv");
    Path alexnet = SharedData.model("alexnet-imagenet.pt");
    Path lpips = SharedData.model("lpips-alex-v0.1.json");
    spark = SparkTestSession.get();
    out = new OutputLayout(tmp.resolve("live").toString());
    CliRunner m = CliRunner.run("manifest", "--dataset", "csv", "--root", csv.toString(), "--lower-is-better",
        "--out", out.root());
    assertEquals(0, m.exitCode(), m.err());
    CliRunner e = CliRunner.run("extract", "--out", out.root(), "--net", alexnet.toString(), "--net", "psnr",
        "--net", "ssim", "--readouts", "l2,weighted", "--weights", lpips.toString());
    assertEquals(0, e.exitCode(), e.err());
    aggregate = CliRunner.run("aggregate", "--out", out.root());
    assertEquals(0, aggregate.exitCode(), aggregate.err());
  }

  private static Row cell(String net, String tap, String readout) {
    return spark.read().parquet(out.table(OutputLayout.CORRELATIONS))
        .filter("net = '" + net + "' AND tap = '" + tap + "' AND readout = '" + readout + "' AND distortion = 'all'")
        .first();
  }

  private static void assertInterval(Row r) {
    double s = r.getAs("srocc");
    assertNotNull(r.getAs("srocc_ci_low"), r.toString());
    assertTrue(r.<Double>getAs("srocc_ci_low") <= s && s <= r.<Double>getAs("srocc_ci_high"), r.toString());
    assertTrue(r.<Double>getAs("srocc_ci_high") - r.<Double>getAs("srocc_ci_low") < 0.25, "29 references: " + r);
    assertTrue(r.<Double>getAs("plcc_ci_low") <= r.<Double>getAs("plcc_ci_high"), r.toString());
    assertEquals(29, r.<Integer>getAs("references"));
    assertEquals(0, r.<Integer>getAs("bootstrap_undefined"));
  }

  @Test
  void knownValuesWithIntervals() {
    // shared/data/README.md: LPIPS-alex v0.1 has SROCC +0.89 and PSNR -0.85 against DMOS here.
    Row lpips = cell("alexnet-imagenet", "sum", "weighted");
    assertEquals(0.89, lpips.<Double>getAs("srocc"), 0.01);
    assertInterval(lpips);
    Row psnr = cell("psnr", "image", "psnr");
    assertEquals(0.85, psnr.<Double>getAs("srocc"), 0.005);
    assertEquals(-0.85, psnr.<Double>getAs("srocc_signed"), 0.005);
    assertInterval(psnr);
    Row ssim = cell("ssim", "image", "ssim");
    assertTrue(ssim.<Double>getAs("srocc") > 0.5, ssim.toString());
    assertInterval(ssim);
    for (String tap : List.of("relu1", "relu2", "relu3", "relu4", "relu5")) {
      for (String readout : List.of("l2", "weighted")) {
        Row r = cell("alexnet-imagenet", tap, readout);
        assertEquals(175, r.<Integer>getAs("n"));
        assertInterval(r);
      }
    }
    // The fitted PLCC of LPIPS: converged on real data, between 0 and 1.
    assertTrue(lpips.<Boolean>getAs("fit_converged"), lpips.toString());
    assertTrue(lpips.<Double>getAs("plcc_fitted") > 0.8 && lpips.<Double>getAs("plcc_fitted") <= 1.0, lpips.toString());
  }

  @Test
  void consolePutsThemSideBySide() {
    String text = aggregate.out();
    assertTrue(text.contains("Agreement with the scores of live-jpeg (score: dmos)"), text);
    for (String row : List.of("psnr              image", "ssim              image", "alexnet-imagenet  relu1",
        "alexnet-imagenet  relu5", "alexnet-imagenet  sum")) {
      assertTrue(text.contains(row), row + " in\n" + text);
    }
    assertTrue(text.matches("(?s).*alexnet-imagenet\\s+sum\\s+weighted\\s+175\\s+0\\.8\\d{3} \\[0\\.\\d{4}, 0\\.\\d{4}\\].*"),
        text);
  }

  @Test
  void comparisonsAgainstBaselinesAndFactors() {
    List<Row> rows = spark.read().parquet(out.table(OutputLayout.COMPARISONS))
        .filter("distortion = 'all' AND net_a = 'alexnet-imagenet'").orderBy("net_b").collectAsList();
    assertEquals(List.of("alexnet-imagenet", "psnr", "ssim"), rows.stream().map(r -> r.<String>getAs("net_b")).toList());
    for (Row r : rows) {
      double d = r.getAs("srocc_diff");
      assertTrue(r.<Double>getAs("diff_ci_low") <= d && d <= r.<Double>getAs("diff_ci_high"), r.toString());
      double f = r.getAs("fraction_a_beats_b");
      assertTrue(f >= 0 && f <= 1, r.toString());
    }
    Row goal = spark.read().parquet(out.table(OutputLayout.FACTORS))
        .filter("factor = 'goal' AND level = 'classification'").first();
    assertEquals(2, goal.<Integer>getAs("n"), "alexnet-imagenet with l2 and with weighted");
    assertEquals(10, spark.read().parquet(out.table(OutputLayout.DEPTH)).count(), "5 taps x 2 readouts");
  }

  @Test
  void findingsOnLiveTestWhatTheseNetsAllow() {
    List<Row> rows = spark.read().parquet(out.table(OutputLayout.FINDINGS)).filter("dataset = 'live-jpeg'")
        .orderBy("claim_no", "subject").collectAsList();
    assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9),
        rows.stream().map(r -> r.<Integer>getAs("claim_no")).distinct().toList(), "a row for every claim");
    double bestL2 = spark.read().parquet(out.table(OutputLayout.CORRELATIONS))
        .filter("net = 'alexnet-imagenet' AND readout = 'l2' AND distortion = 'all' AND tap LIKE 'relu%'")
        .agg(org.apache.spark.sql.functions.max("srocc")).first().getDouble(0);
    double lpips = cell("alexnet-imagenet", "sum", "weighted").getAs("srocc");
    Row vsLpips = rows.stream().filter(r -> r.<Integer>getAs("claim_no") == 3
        && r.getAs("subject").equals("alexnet-imagenet")).findFirst().orElseThrow();
    assertEquals(bestL2 - lpips, vsLpips.<Double>getAs("estimate"), 1e-9,
        "the net's own best cell (not the LPIPS-weighted taps) minus LPIPS, on all 175 pairs");
    assertTrue(vsLpips.<String>getAs("cells").endsWith(" vs alexnet-imagenet/sum/weighted"), vsLpips.toString());
    assertTrue(List.of("supported", "contradicted", "inconclusive").contains(vsLpips.<String>getAs("verdict")));
    assertEquals(175, vsLpips.<Integer>getAs("n"));
    assertEquals(29, vsLpips.<Integer>getAs("references"));
    double ssim = cell("ssim", "image", "ssim").getAs("srocc");
    Row vsSsim = rows.stream().filter(r -> r.<Integer>getAs("claim_no") == 1
        && r.getAs("subject").equals("alexnet-imagenet")).findFirst().orElseThrow();
    assertEquals(bestL2 - ssim, vsSsim.<Double>getAs("estimate"), 1e-9);
    assertTrue(vsSsim.<Double>getAs("ci_low") < vsSsim.<Double>getAs("ci_high"), vsSsim.toString());
    Row selfSupervised = rows.stream().filter(r -> r.<Integer>getAs("claim_no") == 4).findFirst().orElseThrow();
    assertEquals("not testable", selfSupervised.getAs("verdict"));
    assertTrue(selfSupervised.<String>getAs("reason").startsWith("no self-supervised net in this sweep"));
    Row twin = rows.stream().filter(r -> r.<Integer>getAs("claim_no") == 9).findFirst().orElseThrow();
    assertTrue(twin.<String>getAs("reason").contains("untrained twin"), twin.toString());
    assertTrue(aggregate.out().contains("findings on live-jpeg"), aggregate.out());
    assertTrue(aggregate.out().matches("(?s).*\\n  4 Nets trained on self-supervised tasks beat LPIPS\\s+not testable\\s+no"
        + " self-supervised net in this sweep.*"), aggregate.out());
  }
}
