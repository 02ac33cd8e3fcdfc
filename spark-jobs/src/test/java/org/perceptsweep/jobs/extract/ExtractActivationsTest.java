package org.perceptsweep.jobs.extract;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.perceptsweep.core.image.ImageDecoder;
import org.perceptsweep.core.image.RgbImage;
import org.perceptsweep.jobs.CliRunner;
import org.perceptsweep.jobs.SparkTestSession;
import org.perceptsweep.jobs.tables.OutputLayout;
import org.perceptsweep.jobs.tables.TableWriter;
import org.perceptsweep.udf.net.FeatureNet;
import org.perceptsweep.udf.net.NetSession;
import org.perceptsweep.udf.net.Nets;
import org.perceptsweep.udf.net.TapActivation;
import org.perceptsweep.udf.readout.ArrayReadouts;

/**
 * {@code extract --activations --activation-maps conv4} on the synthetic set (8 references x 30
 * distorted images, 256x256) with the built-in net, its references split into chunks of 7 pairs so
 * each reference is forwarded (and described) in 5 tasks.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExtractActivationsTest {
  private static final int REFS = 8;
  private static final int PAIRS = 240;
  private static final List<String> TAPS = List.of("conv1", "conv2", "conv3", "conv4");
  private static final Pattern FORWARD = Pattern.compile("(\\d+) forward passes");

  @TempDir
  static Path tmp;

  private static OutputLayout out;
  private static SparkSession spark;
  private static CliRunner plain;
  private static CliRunner with;

  @BeforeAll
  static void run() {
    spark = SparkTestSession.get();
    out = new OutputLayout(tmp.resolve("study").toString());
    CliRunner m = CliRunner.run("manifest", "--dataset", "synthetic", "--out", out.root());
    assertEquals(0, m.exitCode(), m.err());
    spark.conf().set(ExtractJob.MAX_GROUP_SIZE_KEY, "7");
    try {
      plain = CliRunner.run("extract", "--out", out.root(), "--net", "builtin:random-convnet", "--readouts", "l2");
      with = CliRunner.run("extract", "--out", out.root(), "--net", "builtin:random-convnet", "--net", "psnr",
          "--readouts", "l2", "--activations", "--activation-maps", "conv4");
    } finally {
      spark.conf().unset(ExtractJob.MAX_GROUP_SIZE_KEY);
    }
  }

  @Test
  @Order(1)
  void descriptorsCostNoForwardPass() {
    assertEquals(0, plain.exitCode(), plain.err());
    assertEquals(0, with.exitCode(), with.err());
    // 30 pairs per reference in chunks of at most 7: 5 chunks, each forwarding its reference once.
    assertEquals(REFS * 5 + PAIRS, forwardPasses(plain));
    assertEquals(forwardPasses(plain), forwardPasses(with), "--activations adds no forward pass");
    assertTrue(with.out().contains((REFS + PAIRS) * 4L + " activation rows"), with.out());
  }

  @Test
  @Order(2)
  void oneRowPerImageAndTapWithTheSchema() {
    Dataset<Row> a = spark.read().parquet(out.table(OutputLayout.ACTIVATIONS));
    assertEquals(List.of("image_path", "image_role", "ref_id", "tap", "tap_index", "channels", "mean", "std", "height",
        "width", "input_hash", "dataset", "net"), List.of(a.columns()));
    assertEquals((REFS + PAIRS) * 4L, a.count());
    assertEquals(List.of("random-convnet"), a.select("net").distinct().as(org.apache.spark.sql.Encoders.STRING())
        .collectAsList(), "classic metrics have no activations");
    // Per tap and role: rows, distinct images, tap indices (one Spark job).
    Map<String, Row> byTapRole = new HashMap<>();
    for (Row r : a.groupBy("tap", "image_role").agg(org.apache.spark.sql.functions.count("*").as("n"),
        org.apache.spark.sql.functions.countDistinct("image_path").as("images"),
        org.apache.spark.sql.functions.min("tap_index").as("lo"), org.apache.spark.sql.functions.max("tap_index")
            .as("hi")).collectAsList()) {
      byTapRole.put(r.getString(0) + "/" + r.getString(1), r);
    }
    assertEquals(TAPS.size() * 2, byTapRole.size(), byTapRole.keySet().toString());
    for (int t = 0; t < TAPS.size(); t++) {
      Row ref = byTapRole.get(TAPS.get(t) + "/reference");
      Row dist = byTapRole.get(TAPS.get(t) + "/distorted");
      assertEquals(List.of((long) REFS, (long) REFS), List.of(ref.getLong(2), ref.getLong(3)),
          "each reference once on " + TAPS.get(t) + ", not once per chunk");
      assertEquals(List.of((long) PAIRS, (long) PAIRS), List.of(dist.getLong(2), dist.getLong(3)),
          "each distorted image once on " + TAPS.get(t));
      assertEquals(List.of(t + 1, t + 1, t + 1, t + 1), List.of(ref.getInt(4), ref.getInt(5), dist.getInt(4),
          dist.getInt(5)));
    }
    // Each reference row is the manifest's reference of its ref_id; each distorted row a dist_path of that ref_id.
    Dataset<Row> manifest = spark.read().parquet(out.table(OutputLayout.MANIFEST));
    assertEquals(REFS * 4L, a.filter("image_role = 'reference'").join(manifest.select("ref_id", "ref_path").distinct(),
        a.col("ref_id").equalTo(manifest.col("ref_id")).and(a.col("image_path").equalTo(manifest.col("ref_path"))))
        .count());
    assertEquals(PAIRS * 4L, a.filter("image_role = 'distorted'").join(manifest.select("ref_id", "dist_path"),
        a.col("ref_id").equalTo(manifest.col("ref_id")).and(a.col("image_path").equalTo(manifest.col("dist_path"))))
        .count());
    String hash = spark.read().parquet(out.table(OutputLayout.DISTANCES)).filter("net = 'random-convnet'")
        .select("input_hash").first().getString(0);
    assertEquals(List.of(hash), a.select("input_hash").distinct().as(org.apache.spark.sql.Encoders.STRING())
        .collectAsList(), "the cell's input hash, as in distances");
  }

  /**
   * Every image's stored descriptors against the plain-Java descriptors of that image's activations
   * through {@link NetSession#activations}: 1e-5 relative to the tap's largest channel scale
   * sqrt(mean^2 + sd^2) (distorted images were forwarded in batches of 8, which differ from a single
   * forward by float rounding; ActivationDescriptorsTest checks the arithmetic per channel).
   */
  @Test
  @Order(3)
  void valuesAreThePlainJavaDescriptorsOfEachImage() throws Exception {
    Map<String, Row> stored = new HashMap<>();
    for (Row r : spark.read().parquet(out.table(OutputLayout.ACTIVATIONS)).collectAsList()) {
      stored.put(r.getAs("image_path") + "|" + r.getAs("tap"), r);
    }
    Configuration conf = new Configuration();
    FeatureNet net = Nets.get("builtin:random-convnet", conf);
    int checked = 0;
    try (NetSession session = net.newSession()) {
      for (String image : stored.keySet().stream().map(k -> k.substring(0, k.lastIndexOf('|'))).distinct().toList()) {
        List<TapActivation> acts = session.activations(read(image, conf));
        for (TapActivation act : acts) {
          Row r = stored.get(image + "|" + act.tap());
          assertEquals(List.of(act.channels(), act.height(), act.width()),
              List.of(r.<Integer>getAs("channels"), r.<Integer>getAs("height"), r.<Integer>getAs("width")));
          double[][] expected = ArrayReadouts.descriptors(act.values(), act.channels(), act.height(), act.width());
          List<Float> mean = r.getList(r.fieldIndex("mean"));
          List<Float> std = r.getList(r.fieldIndex("std"));
          assertEquals(act.channels(), mean.size());
          assertEquals(act.channels(), std.size());
          double scale = 0;
          for (int c = 0; c < act.channels(); c++) {
            scale = Math.max(scale, Math.hypot(expected[0][c], expected[1][c]));
          }
          assertTrue(scale > 0, image + " " + act.tap());
          for (int c = 0; c < act.channels(); c++) {
            assertEquals(expected[0][c], mean.get(c), 1e-5 * scale, image + " " + act.tap() + " mean " + c);
            assertEquals(expected[1][c], std.get(c), 1e-5 * scale, image + " " + act.tap() + " std " + c);
          }
          checked++;
        }
      }
    }
    assertEquals((REFS + PAIRS) * 4, checked);
  }

  @Test
  @Order(4)
  void mapsOnlyForTheChosenTapReproduceTheDescriptors() {
    Dataset<Row> maps = spark.read().parquet(out.table(OutputLayout.ACTIVATION_MAPS));
    assertEquals(List.of("image_path", "image_role", "ref_id", "tap", "tap_index", "shape", "values", "input_hash",
        "dataset", "net"), List.of(maps.columns()));
    assertEquals(REFS + PAIRS, maps.count());
    assertEquals(List.of("conv4"), maps.select("tap").distinct().as(org.apache.spark.sql.Encoders.STRING())
        .collectAsList());
    Dataset<Row> desc = spark.read().parquet(out.table(OutputLayout.ACTIVATIONS)).filter("tap = 'conv4'")
        .select(col("image_path"), col("mean"), col("std"));
    List<Row> joined = maps.join(desc, "image_path").collectAsList();
    assertEquals(REFS + PAIRS, joined.size());
    for (Row r : joined) {
      List<Integer> shape = r.getList(r.fieldIndex("shape"));
      List<Float> values = r.getList(r.fieldIndex("values"));
      assertEquals(List.of(64, 16, 16), shape, "conv4 of a 256x256 image: 4 stride-2 stages");
      float[] v = new float[values.size()];
      for (int k = 0; k < v.length; k++) {
        v[k] = values.get(k);
      }
      double[][] fromMap = ArrayReadouts.descriptors(v, shape.get(0), shape.get(1), shape.get(2));
      List<Float> mean = r.getList(r.fieldIndex("mean"));
      List<Float> std = r.getList(r.fieldIndex("std"));
      for (int c = 0; c < shape.get(0); c++) {
        // Same forward pass: the device arithmetic against the definition, per channel.
        double scale = Math.hypot(fromMap[0][c], fromMap[1][c]);
        assertEquals(fromMap[0][c], mean.get(c), 1e-5 * scale, r.getAs("image_path") + " mean " + c);
        assertEquals(fromMap[1][c], std.get(c), 1e-5 * scale, r.getAs("image_path") + " std " + c);
      }
    }
  }

  @Test
  @Order(5)
  void exportFlattensDescriptorsAndRefusesMaps() throws Exception {
    Path csv = tmp.resolve("activations.csv");
    CliRunner e = CliRunner.run("export", "activations", "--out", out.root(), "--to", csv.toString());
    assertEquals(0, e.exitCode(), e.err());
    List<String> lines = Files.readAllLines(csv);
    assertEquals("dataset,net,image_path,image_role,ref_id,tap_index,tap,channel,mean,std,channels,height,width,"
        + "input_hash", lines.get(0));
    assertEquals(1 + (REFS + PAIRS) * (16 + 32 + 64 + 64), lines.size(), "one line per image x tap x channel");
    // The first line: the first image (sorted by path) on conv1, channel 0, with the stored numbers.
    String[] first = lines.get(1).split(",");
    Row r = spark.read().parquet(out.table(OutputLayout.ACTIVATIONS)).filter("tap = 'conv1'").orderBy("image_path")
        .first();
    assertEquals(List.of(r.getAs("image_path"), "conv1", "0"), List.of(first[2], first[6], first[7]));
    assertEquals(r.getList(r.fieldIndex("mean")).get(0).toString(), first[8]);
    assertEquals(r.getList(r.fieldIndex("std")).get(0).toString(), first[9]);

    CliRunner maps = CliRunner.run("export", "activation_maps", "--out", out.root(), "--to",
        tmp.resolve("maps.csv").toString());
    assertEquals(2, maps.exitCode());
    assertTrue(maps.err().contains("table activation_maps holds whole activation maps")
        && maps.err().contains("not exportable as CSV") && maps.err().contains(out.table("activation_maps")),
        maps.err());
    assertFalse(Files.exists(tmp.resolve("maps.csv")));
  }

  @Test
  @Order(6)
  void unknownMapTapIsAnErrorBeforeAnyWork() {
    long distances = spark.read().parquet(out.table(OutputLayout.DISTANCES)).filter("readout = 'l2'").count();
    CliRunner bad = CliRunner.run("extract", "--out", out.root(), "--net", "builtin:random-convnet", "--readouts",
        "mse", "--activation-maps", "conv4,relu9");
    assertEquals(2, bad.exitCode(), bad.err());
    assertTrue(bad.err().contains("unknown tap 'relu9' for net random-convnet (--activation-maps): its taps are "
        + "conv1, conv2, conv3, conv4"), bad.err());
    assertEquals(distances, spark.read().parquet(out.table(OutputLayout.DISTANCES)).filter("readout = 'l2'").count(),
        "nothing was rewritten: the l2 distances are still there");
  }

  /** A rerun of the net without the flags removes its old activations, as it does channel terms. */
  @Test
  @Order(7)
  void rerunWithoutTheFlagsLeavesNoStaleRows() {
    CliRunner again = CliRunner.run("extract", "--out", out.root(), "--net", "builtin:random-convnet", "--readouts",
        "l2");
    assertEquals(0, again.exitCode(), again.err());
    for (String table : List.of(OutputLayout.ACTIVATIONS, OutputLayout.ACTIVATION_MAPS)) {
      String cell = TableWriter.partitionPath(out.table(table), "dataset", "synthetic", "net", "random-convnet");
      assertTrue(Files.isDirectory(Path.of(TableWriter.partitionPath(out.table(table), "dataset", "synthetic"))),
          "the dataset folder of " + table + " is there: the path is right");
      assertFalse(Files.exists(Path.of(cell)), cell);
    }
  }

  private static long forwardPasses(CliRunner run) {
    Matcher m = FORWARD.matcher(run.out());
    assertTrue(m.find(), run.out());
    return Long.parseLong(m.group(1));
  }

  private static RgbImage read(String uri, Configuration conf) throws Exception {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(uri);
    try (InputStream in = p.getFileSystem(conf).open(p)) {
      return ImageDecoder.decode(in.readAllBytes(), uri);
    }
  }
}
