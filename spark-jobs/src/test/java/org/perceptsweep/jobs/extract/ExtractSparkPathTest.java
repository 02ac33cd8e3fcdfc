package org.perceptsweep.jobs.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.perceptsweep.jobs.CliRunner;
import org.perceptsweep.jobs.SparkTestSession;
import org.perceptsweep.jobs.tables.OutputLayout;
import org.perceptsweep.testing.SharedData;

/**
 * The extract job through Spark: LPIPS reproduces the official values, and large reference groups
 * are split across tasks with each chunk forwarding its reference once.
 */
class ExtractSparkPathTest {
  @TempDir
  Path tmp;

  @Test
  void weightedWithTheLpipsFilesReproducesTheOfficialLpipsThroughSpark() throws Exception {
    Path calibration = SharedData.data("calibration");
    Map<String, Double> expected = new HashMap<>();
    for (String line : Files.readAllLines(calibration.resolve("expected.csv"))) {
      if (line.startsWith("lpips_alex_v0.1,")) {
        String[] f = line.split(",");
        expected.put("I03", Double.parseDouble(f[1]));
        expected.put("I04", Double.parseDouble(f[2]));
        expected.put("I06", Double.parseDouble(f[3]));
      }
    }
    assertEquals(3, expected.size(), "lpips row of expected.csv");
    StringBuilder csv = new StringBuilder("dist,ref,score\n");
    int score = 1;
    for (String name : List.of("I03", "I04", "I06")) {
      csv.append(calibration.resolve("dist/" + name + ".bmp").toUri()).append(',')
          .append(calibration.resolve("ref/" + name + ".bmp").toUri()).append(',').append(score++).append('\n');
    }
    Path pairs = Files.writeString(tmp.resolve("calibration.csv"), csv);
    String out = tmp.resolve("study").toString();
    assertEquals(0, CliRunner.run("manifest", "--dataset", "csv", "--root", pairs.toString(), "--name", "calibration",
        "--lower-is-better", "--out", out).exitCode());
    CliRunner e = CliRunner.run("extract", "--out", out, "--net", SharedData.model("alexnet-imagenet.pt").toString(),
        "--readouts", "weighted", "--weights", SharedData.model("lpips-alex-v0.1.json").toString());
    assertEquals(0, e.exitCode(), e.err());

    List<Row> lpips = SparkTestSession.get().read().parquet(new OutputLayout(out).table("distances"))
        .filter("tap = 'sum' AND readout = 'weighted'").collectAsList();
    assertEquals(3, lpips.size());
    for (Row r : lpips) {
      String pair = r.<String>getAs("dist_path");
      String name = pair.substring(pair.lastIndexOf('/') + 1, pair.lastIndexOf('.'));
      assertEquals(expected.get(name), r.<Double>getAs("distance"), 5e-5, "LPIPS of " + name);
    }
  }

  @Test
  void aLargeReferenceGroupIsSplitAcrossTasksEachChunkForwardingItsReferenceOnce() throws Exception {
    Path data = tmp.resolve("data");
    Files.createDirectories(data);
    StringBuilder csv = new StringBuilder("dist,ref,score\n");
    java.util.Random random = new java.util.Random(3);
    writePng(data.resolve("ref.png"), random);
    for (int i = 0; i < 5; i++) {
      writePng(data.resolve("d" + i + ".png"), random);
      csv.append("d").append(i).append(".png,ref.png,").append(i).append('\n');
    }
    Path pairs = Files.writeString(data.resolve("pairs.csv"), csv);
    String out = tmp.resolve("split").toString();
    assertEquals(0, CliRunner.run("manifest", "--dataset", "csv", "--root", pairs.toString(), "--higher-is-better",
        "--out", out).exitCode());
    SparkSession spark = SparkTestSession.get();
    CliRunner whole = CliRunner.run("extract", "--out", out, "--net", "builtin:random-convnet");
    assertTrue(whole.out().contains("6 forward passes"), "1 reference + 5 distorted: " + whole.out());
    List<Row> before = spark.read().parquet(new OutputLayout(out).table("distances"))
        .orderBy("pair_id", "tap", "readout").select("pair_id", "tap", "readout", "distance").collectAsList();

    spark.conf().set(ExtractJob.MAX_GROUP_SIZE_KEY, "2");
    try {
      CliRunner split = CliRunner.run("extract", "--out", out, "--net", "builtin:random-convnet");
      // 5 pairs in chunks of at most 2: 3 chunks, each forwarding the reference once.
      assertTrue(split.out().contains("8 forward passes"), split.out());
    } finally {
      spark.conf().unset(ExtractJob.MAX_GROUP_SIZE_KEY);
    }
    List<Row> after = spark.read().parquet(new OutputLayout(out).table("distances"))
        .orderBy("pair_id", "tap", "readout").select("pair_id", "tap", "readout", "distance").collectAsList();
    // Same values up to float32 rounding: libtorch may sum a batch of 2 in another order than a batch of 5.
    assertEquals(before.size(), after.size());
    for (int i = 0; i < before.size(); i++) {
      Row b = before.get(i);
      Row a = after.get(i);
      assertEquals(List.of(b.get(0), b.get(1), b.get(2)), List.of(a.get(0), a.get(1), a.get(2)));
      assertEquals(b.getDouble(3), a.getDouble(3), 1e-5 * Math.abs(b.getDouble(3)), "splitting changes the tasks, not "
          + "the distances: " + b);
    }
  }

  private static void writePng(Path p, java.util.Random random) throws Exception {
    java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(64, 64, java.awt.image.BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        img.setRGB(x, y, random.nextInt(1 << 24));
      }
    }
    javax.imageio.ImageIO.write(img, "png", p.toFile());
  }
}
