package org.perceptsweep.jobs;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.perceptsweep.jobs.tables.OutputLayout;
import org.perceptsweep.testing.SharedData;

/**
 * The real path on real data: the LIVE JPEG subset (175 pairs, human DMOS) through the manifest,
 * a real pretrained AlexNet through DJL, and the correlation job.
 */
class LiveJpegEndToEndTest {
  @TempDir
  Path tmp;

  @Test
  void alexnetAgreesWithHumansOnEveryTap() {
    Path csv = SharedData.data("live-jpeg/dmos.csv");
    Path alexnet = SharedData.model("alexnet-imagenet.pt");
    String out = tmp.resolve("live").toString();

    CliRunner m = CliRunner.run("manifest", "--dataset", "csv", "--root", csv.toString(), "--lower-is-better",
        "--out", out);
    assertEquals(0, m.exitCode(), m.err());
    assertTrue(m.out().contains("175 pairs over 29 references of dataset 'live-jpeg'"), m.out());

    CliRunner e = CliRunner.run("extract", "--out", out, "--net", alexnet.toString(), "--net", "psnr",
        "--readouts", "l2,unit_l2");
    assertEquals(0, e.exitCode(), e.err());
    // Grouped by reference: each of the 29 references and 175 distorted images forwarded once.
    assertTrue(e.out().contains("204 forward passes"), e.out());
    // local mode: the driver is the one executor JVM, and it loads the net once for all tasks.
    assertTrue(e.out().contains("model loads driver/alexnet-imagenet: 1"), e.out());

    CliRunner a = CliRunner.run("aggregate", "--out", out);
    assertEquals(0, a.exitCode(), a.err());

    SparkSession spark = SparkTestSession.get();
    List<Row> alex = spark.read().parquet(new OutputLayout(out).table("correlations"))
        .filter(col("net").equalTo("alexnet-imagenet").and(col("distortion").equalTo("all")))
        .collectAsList();
    assertEquals(5 * 2, alex.size(), "relu1..relu5 x (l2, unit_l2)");
    for (Row r : alex) {
      assertEquals(175, r.<Integer>getAs("n"));
      assertTrue(r.<Double>getAs("srocc") > 0.5, "agreement of " + r);
      assertTrue(r.<Double>getAs("plcc") > 0.3, "agreement of " + r);
    }
    Row card = spark.read().parquet(new OutputLayout(out).table("nets")).filter("net = 'alexnet-imagenet'").first();
    assertEquals("classification", card.getAs("goal"));
    assertEquals("imagenet-1k", card.getAs("training_data"));
    assertEquals(List.of("relu1", "relu2", "relu3", "relu4", "relu5"), card.getList(card.fieldIndex("taps")));
    Row psnr = spark.read().parquet(new OutputLayout(out).table("correlations"))
        .filter("net = 'psnr' AND distortion = 'all'").first();
    // shared/data/README.md: PSNR (RGB) has SROCC -0.85 against DMOS on this set.
    assertEquals(-0.85, psnr.<Double>getAs("srocc_signed"), 0.005);
    assertEquals(0.85, psnr.<Double>getAs("srocc"), 0.005);
  }
}
