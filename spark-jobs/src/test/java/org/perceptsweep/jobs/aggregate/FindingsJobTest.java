package org.perceptsweep.jobs.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.perceptsweep.jobs.CliRunner;
import org.perceptsweep.jobs.SparkTestSession;
import org.perceptsweep.jobs.tables.OutputLayout;

/**
 * The findings table of a hand-made study through the real CLI: a trained net built far better
 * than SSIM, its untrained twin, a very deep net; checked against the correlations table, exported,
 * printed, and rewritten with its settings.
 */
class FindingsJobTest {
  @TempDir
  static Path tmp;

  static final int REFS = 12;
  static final int PER_REF = 5;

  private static OutputLayout out;
  private static CliRunner aggregate;
  private static SparkSession spark;

  @BeforeAll
  static void aggregate() {
    spark = SparkTestSession.get();
    out = new OutputLayout(tmp.resolve("study").toString());
    SplittableRandom random = new SplittableRandom(3);
    AggregateFixture f = new AggregateFixture();
    for (int i = 0; i < REFS * PER_REF; i++) {
      String pair = String.format("p%03d", i);
      String ref = "ref" + (i / PER_REF);
      double dmos = random.nextDouble() * 100;
      f.pair("toy", pair, ref, i % 2 == 0 ? "blur" : "noise", dmos, false);
      f.distance("toy", pair, ref, "ssim", "image", 0, "ssim", -(dmos + 30 * random.nextGaussian()));
      f.distance("toy", pair, ref, "psnr", "image", 0, "psnr", -(dmos + 40 * random.nextGaussian()));
      for (int t = 1; t <= 3; t++) {
        f.distance("toy", pair, ref, "alex", "relu" + t, t, "l2", dmos + (2 + 3 * t) * random.nextGaussian());
        f.distance("toy", pair, ref, "alex-untrained", "relu" + t, t, "l2", dmos + 60 * random.nextGaussian());
        f.distance("toy", pair, ref, "mobile", "block" + t, t, "l2", dmos + 20 * random.nextGaussian());
      }
      f.distance("toy", pair, ref, "alex", "sum", 4, "weighted", dmos + 25 * random.nextGaussian());
    }
    f.classic("ssim").classic("psnr")
        .net("alex", "alexnet", "classification", "imagenet-1k", List.of("relu1", "relu2", "relu3"), "supervised", 5)
        .net("alex-untrained", "alexnet", "none (random init, seed 0)", "none", List.of("relu1", "relu2", "relu3"),
            "none", 5)
        .net("mobile", "mobilenet_v2", "classification", "imagenet-1k", List.of("block1", "block2", "block3"),
            "supervised", 52);
    f.write(spark, out);
    aggregate = CliRunner.run("aggregate", "--out", out.root(), "--resamples", "300", "--seed", "9");
    assertEquals(0, aggregate.exitCode(), aggregate.err());
  }

  private static List<Row> findings() {
    return spark.read().parquet(out.table(OutputLayout.FINDINGS)).orderBy("claim_no", "subject").collectAsList();
  }

  private static Row finding(int claim, String subject) {
    return findings().stream().filter(r -> r.<Integer>getAs("claim_no") == claim && r.getAs("subject").equals(subject))
        .findFirst().orElseThrow(() -> new AssertionError("no finding " + claim + "/" + subject));
  }

  @Test
  void everyClaimHasRowsAndTheEstimatesAgreeWithTheCorrelations() {
    List<Row> rows = findings();
    assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9), rows.stream().map(r -> r.<Integer>getAs("claim_no")).distinct()
        .toList());
    Row beats = finding(1, "alex");
    // alex's taps have noise 5, 8, 11: relu1 is its best cell on all pairs
    double alexBest = spark.read().parquet(out.table(OutputLayout.CORRELATIONS))
        .filter("distortion = 'all' AND net = 'alex' AND readout = 'l2'").orderBy("tap_index").first().getAs("srocc");
    double ssim = spark.read().parquet(out.table(OutputLayout.CORRELATIONS))
        .filter("distortion = 'all' AND net = 'ssim'").first().getAs("srocc");
    assertEquals(alexBest - ssim, beats.<Double>getAs("estimate"), 1e-12);
    assertEquals("alex/relu1/l2 vs ssim/image/ssim", beats.getAs("cells"));
    assertEquals("supported", beats.getAs("verdict"), beats.toString());
    assertEquals(REFS * PER_REF, beats.<Integer>getAs("n"));
    assertEquals(300, beats.<Integer>getAs("bootstrap_resamples"));
    assertEquals(9L, beats.<Long>getAs("bootstrap_seed"));
    assertEquals(0.02, beats.<Double>getAs("equivalence_delta"));
    assertEquals(30, beats.<Integer>getAs("depth_threshold"));
    assertEquals("supported", finding(9, "alex vs alex-untrained").getAs("verdict"), "training matters here");
    assertEquals("supported", finding(5, "alex vs mobile").getAs("verdict"), "the simple net was built better");
    assertEquals("pair", finding(5, "alex vs mobile").getAs("subject_kind"));
    assertEquals("not testable", finding(4, "all").getAs("verdict"));
    assertEquals(1, rows.stream().map(r -> r.<String>getAs("input_hash")).distinct().count());
  }

  @Test
  void printedExportedAndRewrittenWithItsSettings() throws Exception {
    String console = aggregate.out();
    assertTrue(console.contains("findings on toy: the study's claims on your data (95% intervals over 300 reference"
        + " resamples; equivalence +-0.02, very deep: more than 30 weight layers)"), console);
    assertTrue(console.matches("(?s).*\\n  9 Training matters: a trained net beats its untrained twin\\s+supported\\s+"
        + "\\+0\\.\\d{3} \\[\\+0\\.\\d{3}, \\+0\\.\\d{3}\\]  1 supported of 1 pairs\\n.*"), console);

    Path csv = tmp.resolve("findings.csv");
    CliRunner export = CliRunner.run("export", "findings", "--out", out.root(), "--to", csv.toString());
    assertEquals(0, export.exitCode(), export.err());
    List<String> lines = Files.readAllLines(csv);
    assertTrue(lines.get(0).startsWith("dataset,claim_no,claim,subject_kind,subject,verdict,estimate,ci_low,ci_high,"
        + "reason,statistic,cells,"), lines.get(0));
    assertEquals(findings().size() + 1, lines.size());
    assertTrue(lines.get(1).startsWith("toy,1,nets_beat_ssim,net,alex,supported,"), lines.get(1));

    String before = findings().get(0).getAs("input_hash");
    CliRunner again = CliRunner.run("aggregate", "--out", out.root(), "--resamples", "300", "--seed", "9",
        "--equivalence-delta", "0.5", "--depth-threshold", "60");
    assertEquals(0, again.exitCode(), again.err());
    Row set5 = finding(5, "all");
    assertEquals("not testable", set5.getAs("verdict"), "threshold 60: mobile (52 layers) is simple too");
    assertTrue(set5.<String>getAs("reason").startsWith("no very deep trained net (depth > 60"), set5.toString());
    assertEquals(0.5, finding(7, "all").<Double>getAs("equivalence_delta"));
    assertNotEquals(before, findings().get(0).getAs("input_hash"), "the settings are in the input hash");
    CliRunner bad = CliRunner.run("aggregate", "--out", out.root(), "--equivalence-delta", "0");
    assertEquals(2, bad.exitCode());
    assertTrue(bad.err().contains("--equivalence-delta is 0.0"), bad.err());
  }

  /**
   * A study whose nets table an older version wrote (no facts columns): the findings read it, take
   * the learning kind from the goal, and say that the depth is unknown and how to get it.
   */
  @Test
  void aNetsTableWithoutFactsStillGivesFindings() {
    OutputLayout old = new OutputLayout(tmp.resolve("old").toString());
    SplittableRandom random = new SplittableRandom(4);
    AggregateFixture f = new AggregateFixture();
    for (int i = 0; i < 40; i++) {
      String pair = String.format("p%03d", i);
      String ref = "ref" + (i / 4);
      double dmos = random.nextDouble() * 100;
      f.pair("old", pair, ref, "blur", dmos, false);
      f.distance("old", pair, ref, "ssim", "image", 0, "ssim", -(dmos + 30 * random.nextGaussian()));
      f.distance("old", pair, ref, "alex", "relu1", 1, "l2", dmos + 5 * random.nextGaussian());
    }
    f.write(spark, old);
    org.apache.spark.sql.types.StructType oldSchema = new org.apache.spark.sql.types.StructType(
        java.util.Arrays.copyOf(org.perceptsweep.jobs.tables.NetsTable.SCHEMA.fields(), 9));
    org.perceptsweep.jobs.tables.TableWriter.overwritePartitions(spark.createDataFrame(List.of(
        org.apache.spark.sql.RowFactory.create("alex", "net", "alexnet", "classification", "imagenet-1k", 1,
            List.of("relu1"), "sha-alex", "alex.pt"),
        org.apache.spark.sql.RowFactory.create("ssim", "classic", "ssim", "hand-crafted", "none", 1,
            List.of("image"), "classic:ssim", "ssim")), oldSchema), old.table(OutputLayout.NETS), "net");
    CliRunner run = CliRunner.run("aggregate", "--out", old.root(), "--resamples", "100");
    assertEquals(0, run.exitCode(), run.err());
    List<Row> rows = spark.read().parquet(old.table(OutputLayout.FINDINGS)).collectAsList();
    Row beats = rows.stream().filter(r -> r.<Integer>getAs("claim_no") == 1 && r.getAs("subject").equals("alex"))
        .findFirst().orElseThrow(() -> new AssertionError("alex is a trained net by its goal: " + rows));
    assertEquals("supported", beats.getAs("verdict"), beats.toString());
    Row split = rows.stream().filter(r -> r.<Integer>getAs("claim_no") == 5).findFirst().orElseThrow();
    assertTrue(split.<String>getAs("reason").contains("left out (depth unknown: rerun extract, or set depth in the card"
        + " or the sweep file): alex"), split.toString());
  }
}
