package org.perceptsweep.jobs.extract;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.perceptsweep.jobs.CliRunner;
import org.perceptsweep.jobs.SparkTestSession;
import org.perceptsweep.jobs.tables.OutputLayout;
import org.perceptsweep.jobs.tables.TableWriter;

/**
 * {@code extract} with every readout, a tap subset, both tap combinations, stored channel terms and
 * the dataset-wide channel_norm_l2, end to end on the demo's synthetic set (240 pairs, built-in net).
 */
class ExtractReadoutsTest {
  private static final String READOUTS = "l2,mse,unit_l2,mean_std,gram,dists,cosine";
  private static final int PAIRS = 240;

  @TempDir
  static Path tmp;

  private static OutputLayout out;
  private static CliRunner extract;
  private static SparkSession spark;

  @BeforeAll
  static void run() {
    out = new OutputLayout(tmp.resolve("study").toString());
    CliRunner m = CliRunner.run("manifest", "--dataset", "synthetic", "--out", out.root());
    assertEquals(0, m.exitCode(), m.err());
    extract = CliRunner.run("extract", "--out", out.root(), "--net", "builtin:random-convnet", "--net", "pixels",
        "--readouts", READOUTS + ",channel_norm_l2", "--taps", "conv3,conv1", "--combine", "sum,concat",
        "--channel-terms");
    spark = SparkTestSession.get();
  }

  @Test
  void everyReadoutOnTheChosenTapsAndCombinations() {
    assertEquals(0, extract.exitCode(), extract.err());
    Dataset<Row> d = spark.read().parquet(out.table("distances")).filter(col("net").equalTo("random-convnet"));
    // Per pair: 2 taps x (7 readouts + channel_norm_l2), sum of those 8, concat l2 + mse = 26.
    assertEquals(PAIRS * 26L, d.count());
    assertEquals(0, d.filter(col("distance").isNaN().or(col("distance").lt(0))).count());
    for (String tap : List.of("conv1", "conv3", "sum")) {
      for (String readout : (READOUTS + ",channel_norm_l2").split(",")) {
        assertEquals(PAIRS, d.filter(col("tap").equalTo(tap).and(col("readout").equalTo(readout))).count(),
            tap + "/" + readout);
      }
    }
    assertEquals(List.of("l2", "mse"), d.filter(col("tap").equalTo("concat")).select("readout").distinct()
        .orderBy("readout").as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
    Row indices = d.groupBy().pivot("tap", List.of("conv1", "conv3", "sum", "concat")).max("tap_index").first();
    assertEquals(List.of(1, 3, 5, 6), List.of(indices.getInt(0), indices.getInt(1), indices.getInt(2), indices.getInt(3)));
    // The sum pseudo-tap is the sum of the per-tap values; concat l2^2 is the sum of the per-tap l2^2.
    Map<String, Double> byPair = valuesByPair(d.filter(col("pair_id").equalTo(firstPair())));
    for (String readout : (READOUTS + ",channel_norm_l2").split(",")) {
      double expected = byPair.get("conv1/" + readout) + byPair.get("conv3/" + readout);
      assertEquals(expected, byPair.get("sum/" + readout), 1e-9 * expected, readout);
    }
    double l2 = Math.hypot(byPair.get("conv1/l2"), byPair.get("conv3/l2"));
    assertEquals(l2, byPair.get("concat/l2"), 1e-5 * l2);
    // Classic metrics are untouched by --taps: pixels gives the pixel-space l2 and mse.
    assertEquals(PAIRS * 2L, spark.read().parquet(out.table("distances")).filter(col("net").equalTo("pixels")).count());
  }

  @Test
  void channelTermsAddUpToTheirReadouts() {
    Dataset<Row> terms = spark.read().parquet(out.table(ExtractJob.CHANNEL_TERMS));
    assertEquals(PAIRS * 2L * 2, terms.count(), "pairs x 2 taps x 2 kinds");
    Row unit = terms.filter("tap = 'conv1' AND kind = 'unit_l2'").orderBy("pair_id").first();
    Row mse = terms.filter("tap = 'conv3' AND kind = 'mse'").orderBy("pair_id").first();
    assertEquals(16, unit.getList(unit.fieldIndex("values")).size());
    assertEquals(64, mse.getList(mse.fieldIndex("values")).size());
    Map<String, Double> d = valuesByPair(spark.read().parquet(out.table("distances"))
        .filter(col("net").equalTo("random-convnet").and(col("pair_id").equalTo(unit.<String>getAs("pair_id")))));
    double unitSum = sum(unit);
    assertEquals(d.get("conv1/unit_l2"), unitSum, 1e-5 * unitSum);
    Map<String, Double> d3 = valuesByPair(spark.read().parquet(out.table("distances"))
        .filter(col("net").equalTo("random-convnet").and(col("pair_id").equalTo(mse.<String>getAs("pair_id")))));
    double mseMean = sum(mse) / 64;
    assertEquals(d3.get("conv3/mse"), mseMean, 1e-5 * mseMean);
  }

  @Test
  void exportWritesOneLinePerChannelTerm() throws Exception {
    java.nio.file.Path csv = tmp.resolve("channel_terms.csv");
    CliRunner e = CliRunner.run("export", "channel_terms", "--out", out.root(), "--to", csv.toString());
    assertEquals(0, e.exitCode(), e.err());
    List<String> lines = java.nio.file.Files.readAllLines(csv);
    assertEquals("dataset,net,pair_id,ref_id,tap,kind,channel,value,input_hash", lines.get(0));
    // conv1 has 16 channels and conv3 64, each with 2 kinds, for every pair.
    assertEquals(1 + PAIRS * 2L * (16 + 64), lines.size());
    Row first = spark.read().parquet(out.table(ExtractJob.CHANNEL_TERMS)).orderBy("dataset", "net", "pair_id", "ref_id",
        "tap", "kind").first();
    String[] cells = lines.get(1).split(",");
    assertEquals(List.of(first.getAs("pair_id"), first.getAs("tap"), first.getAs("kind"), "0",
        first.getList(first.fieldIndex("values")).get(0).toString()),
        List.of(cells[2], cells[4], cells[5], cells[6], cells[7]));
  }

  /** channel_norm_l2 recomputed here from the stored mse terms: n_c over all pairs, then per pair. */
  @Test
  void channelNormL2IsComputedFromTheWholeDatasetsTerms() {
    List<Row> rows = spark.read().parquet(out.table(ExtractJob.CHANNEL_TERMS))
        .filter("tap = 'conv3' AND kind = 'mse'").select("pair_id", "values").collectAsList();
    assertEquals(PAIRS, rows.size());
    double[] n = new double[64];
    for (Row r : rows) {
      List<Float> v = r.getList(1);
      for (int c = 0; c < 64; c++) {
        n[c] += v.get(c) / (double) PAIRS;
      }
    }
    Map<String, Double> stored = new HashMap<>();
    for (Row r : spark.read().parquet(out.table("distances"))
        .filter("net = 'random-convnet' AND tap = 'conv3' AND readout = 'channel_norm_l2'")
        .select("pair_id", "distance").collectAsList()) {
      stored.put(r.getString(0), r.getDouble(1));
    }
    for (Row r : rows) {
      List<Float> v = r.getList(1);
      double s = 0;
      int live = 0;
      for (int c = 0; c < 64; c++) {
        if (n[c] > 0) {
          s += v.get(c) / n[c];
          live++;
        }
      }
      double expected = Math.sqrt(s / live);
      assertEquals(expected, stored.get(r.getString(0)), 1e-9 * expected, r.getString(0));
    }
  }

  @Test
  void aggregateCorrelatesEveryNewReadout() {
    CliRunner a = CliRunner.run("aggregate", "--out", out.root());
    assertEquals(0, a.exitCode(), a.err());
    Dataset<Row> c = spark.read().parquet(out.table("correlations"))
        .filter("net = 'random-convnet' AND distortion = 'all'");
    assertEquals(26, c.count());
    assertEquals(0, c.filter(col("srocc").isNull()).count(), "every readout varies with the pairs");
  }

  @Test
  void unknownTapIsOneClearLineAndRerunsDropStaleTerms() throws Exception {
    CliRunner bad = CliRunner.run("extract", "--out", out.root(), "--net", "builtin:random-convnet", "--taps",
        "conv1,relu3");
    assertEquals(2, bad.exitCode());
    assertTrue(bad.err().contains("unknown tap 'relu3' for net random-convnet (--taps): its taps are conv1, conv2, "
        + "conv3, conv4"), bad.err());
    CliRunner badCombine = CliRunner.run("extract", "--out", out.root(), "--net", "builtin:random-convnet",
        "--combine", "max");
    assertEquals(2, badCombine.exitCode());
    assertTrue(badCombine.err().contains("unknown tap combination 'max'"), badCombine.err());

    OutputLayout other = new OutputLayout(tmp.resolve("rerun").toString());
    assertEquals(0, CliRunner.run("manifest", "--dataset", "synthetic", "--out", other.root()).exitCode());
    assertEquals(0, CliRunner.run("extract", "--out", other.root(), "--net", "builtin:random-convnet", "--taps",
        "conv4", "--readouts", "l2", "--channel-terms", "mse").exitCode());
    Path partition = Path.of(TableWriter.partitionPath(other.table(ExtractJob.CHANNEL_TERMS), "dataset", "synthetic",
        "net", "random-convnet"));
    assertTrue(Files.isDirectory(partition));
    assertEquals(PAIRS, spark.read().parquet(other.table(ExtractJob.CHANNEL_TERMS)).count());
    assertEquals(0, CliRunner.run("extract", "--out", other.root(), "--net", "builtin:random-convnet", "--taps",
        "conv4", "--readouts", "l2").exitCode());
    assertFalse(Files.exists(partition), "terms of the earlier run are gone");
  }

  private static String firstPair() {
    return spark.read().parquet(out.table("manifest")).orderBy("pair_id").first().getAs("pair_id");
  }

  private static double sum(Row terms) {
    double s = 0;
    for (Object v : terms.getList(terms.fieldIndex("values"))) {
      s += ((Number) v).doubleValue();
    }
    return s;
  }

  /** "tap/readout" -> distance for the rows of one pair. */
  private static Map<String, Double> valuesByPair(Dataset<Row> d) {
    Map<String, Double> out = new HashMap<>();
    for (Row r : d.select("tap", "readout", "distance").collectAsList()) {
      out.put(r.getString(0) + "/" + r.getString(1), r.getDouble(2));
    }
    return out;
  }
}
