package org.perceptsweep.jobs;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.perceptsweep.jobs.tables.OutputLayout;

/** The README's first command, {@code percept-sweep demo}, end to end on local[2]. */
class DemoEndToEndTest {
  @TempDir
  static Path tmp;

  private static CliRunner demo;
  private static OutputLayout out;
  private static SparkSession spark;

  @BeforeAll
  static void runDemo() {
    out = new OutputLayout(tmp.resolve("study").toString());
    demo = CliRunner.run("demo", "--out", out.root());
    spark = SparkTestSession.get();
  }

  @Test
  void printsTheCorrelationTable() {
    assertEquals(0, demo.exitCode(), demo.err());
    assertTrue(demo.out().contains("Agreement with the scores of synthetic (score: distortion_level)"), demo.out());
    assertTrue(demo.out().contains("random-convnet"), demo.out());
  }

  @Test
  void manifestIsTheSyntheticSet() {
    Dataset<Row> m = spark.read().parquet(out.table("manifest"));
    assertEquals(240, m.count());
    assertEquals(8, m.select("ref_id").distinct().count());
    assertEquals(6, m.select("distortion").distinct().count());
    assertEquals(1, m.select("score_kind", "higher_is_better").distinct().count());
    Row kind = m.select("score_kind", "higher_is_better").first();
    assertEquals("distortion_level", kind.getString(0));
    assertFalse(kind.getBoolean(1));
  }

  @Test
  void distancesHaveOneRowPerPairNetTapReadout() {
    Dataset<Row> d = spark.read().parquet(out.table("distances"));
    // per pair: psnr, ssim, ms_ssim, pixels l2 + mse, random-convnet 4 taps x (l2, unit_l2) = 13
    assertEquals(240L * 13, d.count());
    assertEquals(0, d.filter(col("distance").isNull().or(col("distance").isNaN())).count());
    assertEquals(4, d.filter(col("net").equalTo("random-convnet")).select("tap").distinct().count());
  }

  @Test
  void correlationsCoverEveryCellAndDistortion() {
    Dataset<Row> c = spark.read().parquet(out.table("correlations"));
    assertEquals(13L * 7, c.count());
    assertEquals(13, c.filter(col("distortion").equalTo("all").and(col("n").equalTo(240))).count());
    assertEquals(13L * 6, c.filter(col("n").equalTo(40)).count());
  }

  @Test
  void agreementHasTheRightSignForDistancesAndSimilarities() {
    Dataset<Row> c = spark.read().parquet(out.table("correlations"));
    // Within one distortion family, more noise means a larger pixel error for every reference.
    Row noise = c.filter("net = 'pixels' AND readout = 'mse' AND distortion = 'gaussian_noise'").first();
    assertTrue(noise.<Double>getAs("srocc") > 0.8, "pixel mse vs noise level: " + noise);
    assertTrue(noise.<Double>getAs("srocc_signed") > 0.8, "distance and level both grow");
    // PSNR is a similarity: the signed correlation with the level is negative, agreement positive.
    Row psnr = c.filter("net = 'psnr' AND distortion = 'gaussian_noise'").first();
    assertTrue(psnr.<Double>getAs("srocc") > 0.8, "psnr agreement: " + psnr);
    assertEquals(-psnr.<Double>getAs("srocc"), psnr.<Double>getAs("srocc_signed"), 1e-12);
  }

  @Test
  void exportedCsvsReproduceTheStoredSrocc() throws Exception {
    Path distancesCsv = tmp.resolve("distances.csv");
    Path manifestCsv = tmp.resolve("manifest.csv");
    Path correlationsCsv = tmp.resolve("correlations.csv");
    assertEquals(0, CliRunner.run("export", "distances", "--out", out.root(), "--to", distancesCsv.toString()).exitCode());
    assertEquals(0, CliRunner.run("export", "manifest", "--out", out.root(), "--to", manifestCsv.toString()).exitCode());
    assertEquals(0, CliRunner.run("export", "correlations", "--out", out.root(), "--to", correlationsCsv.toString()).exitCode());

    List<CSVRecord> distances = read(distancesCsv);
    assertEquals(List.of("dataset", "pair_id", "ref_id", "dist_path", "net", "tap_index", "tap", "readout", "distance"),
        distances.get(0).getParser().getHeaderNames().subList(0, 9));
    Map<String, Double> level = new HashMap<>();
    for (CSVRecord r : read(manifestCsv)) {
      level.put(r.get("pair_id"), Double.parseDouble(r.get("score")));
    }
    List<Double> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    for (CSVRecord r : distances) {
      if (r.get("net").equals("random-convnet") && r.get("tap").equals("conv2") && r.get("readout").equals("unit_l2")) {
        x.add(Double.parseDouble(r.get("distance")));
        y.add(level.get(r.get("pair_id")));
      }
    }
    assertEquals(240, x.size());
    double expected = new SpearmansCorrelation().correlation(
        x.stream().mapToDouble(Double::doubleValue).toArray(), y.stream().mapToDouble(Double::doubleValue).toArray());

    CSVRecord stored = null;
    List<CSVRecord> correlations = read(correlationsCsv);
    assertEquals(List.of("dataset", "net", "tap_index", "tap", "readout", "distortion", "n", "srocc", "krocc", "plcc"),
        correlations.get(0).getParser().getHeaderNames().subList(0, 10));
    for (CSVRecord r : correlations) {
      if (r.get("net").equals("random-convnet") && r.get("tap").equals("conv2") && r.get("readout").equals("unit_l2")
          && r.get("distortion").equals("all")) {
        stored = r;
      }
    }
    assertNotNull(stored);
    assertEquals(expected, Double.parseDouble(stored.get("srocc")), 1e-12);
  }

  private static List<CSVRecord> read(Path csv) throws Exception {
    try (Reader r = Files.newBufferedReader(csv)) {
      return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r).getRecords();
    }
  }
}
