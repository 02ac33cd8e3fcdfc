package org.perceptsweep.udf.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.perceptsweep.core.UserInputException;
import org.perceptsweep.core.image.RgbImage;
import org.perceptsweep.testing.SharedData;
import org.perceptsweep.udf.readout.ArrayReadouts;
import org.perceptsweep.udf.readout.ChannelWeights;
import org.perceptsweep.udf.readout.Readout;
import org.perceptsweep.udf.readout.ReadoutSet;

class NetsTest {
  private static final String SQUEEZE = "squeezenet1_1-untrained";

  @TempDir
  Path tmp;

  private Configuration conf;

  @BeforeEach
  void freshCache() {
    Nets.resetForTests(4);
    conf = new Configuration();
    conf.set(Nets.CACHE_DIR_KEY, tmp.resolve("cache").toString());
  }

  @AfterAll
  static void restoreCache() {
    Nets.resetForTests(4);
  }

  @Test
  void eightConcurrentCallersLoadOnce() throws Exception {
    String spec = SharedData.model(SQUEEZE + ".pt").toUri().toString();
    int threads = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<FeatureNet>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        Callable<FeatureNet> call = () -> {
          start.await();
          return Nets.get(spec, conf);
        };
        futures.add(pool.submit(call));
      }
      start.countDown();
      FeatureNet first = futures.get(0).get();
      for (Future<FeatureNet> f : futures) {
        assertSame(first, f.get());
      }
      assertEquals(1, Nets.loadCount(spec));
      assertEquals(1, Nets.loadCount(first.card().sha256()));
      // The .pt was copied into a folder of its own named by its sha256.
      assertTrue(Files.isRegularFile(tmp.resolve("cache").resolve(first.card().sha256()).resolve(SQUEEZE + ".pt")));
      assertEquals(List.of("relu1", "fire3", "fire5", "fire6", "fire7", "fire8", "fire9"),
          first.card().taps().stream().map(TapInfo::name).toList());
      assertEquals("none", first.card().trainingData());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void builtinIsDeterministicAcrossInstances() {
    RgbImage image = gradientImage(40, 36, 0.0f);
    DjlFeatureNet one = RandomConvNet.build(Device.cpu());
    DjlFeatureNet two = RandomConvNet.build(Device.cpu());
    List<TapActivation> a;
    List<TapActivation> b;
    List<TapActivation> again;
    try (NetSession s1 = one.newSession(); NetSession s2 = two.newSession()) {
      one.retire();
      two.retire();
      a = s1.activations(image);
      again = s1.activations(image);
      b = s2.activations(image);
    }
    assertTrue(one.isClosed() && two.isClosed(), "retired nets close with their last session");
    assertEquals(4, a.size());
    int[] channels = {16, 32, 64, 64};
    // 3x3 stride 2 padding 1: 40x36 -> 20x18 -> 10x9 -> 5x5 -> 3x3
    int[][] sizes = {{18, 20}, {9, 10}, {5, 5}, {3, 3}};
    for (int t = 0; t < 4; t++) {
      assertEquals("conv" + (t + 1), a.get(t).tap());
      assertEquals(channels[t], a.get(t).channels());
      assertEquals(sizes[t][0], a.get(t).height());
      assertEquals(sizes[t][1], a.get(t).width());
      assertArrayEquals(a.get(t).values(), b.get(t).values(), "same weights in two instances");
      assertArrayEquals(a.get(t).values(), again.get(t).values(), "same activations twice");
      float max = 0;
      for (float v : a.get(t).values()) {
        assertTrue(v >= 0, "post-ReLU");
        max = Math.max(max, v);
      }
      assertTrue(max > 0, "tap " + t + " is not all zero");
    }
    NetCard card = Nets.get(RandomConvNet.SPEC, null).card();
    assertEquals("random-convnet", card.name());
    assertEquals("convnet4", card.architecture());
    assertEquals("none", card.goal());
    assertEquals("none", card.trainingData());
    assertEquals(RandomConvNet.sha256(RandomConvNet.DEFINITION), card.sha256());
    assertEquals(1, Nets.loadCount(RandomConvNet.SPEC));
  }

  /** Batched device readouts (5 images, batch 2) equal the plain-Java readouts on copied activations. */
  @Test
  void compareMatchesPlainJavaAndCountsForwardPasses() throws IOException {
    Path weightsFile = tmp.resolve("w.json");
    Files.writeString(weightsFile, weightsJson(new int[] {16, 32, 64, 64}, 0.05));
    ReadoutSet readouts = ReadoutSet.parse("l2, mse,unit_l2,weighted", weightsFile.toString(), conf);
    ChannelWeights weights = readouts.weights();
    FeatureNet net = Nets.get(RandomConvNet.SPEC, conf);
    RgbImage ref = gradientImage(48, 32, 0f);
    List<RgbImage> distorted = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      distorted.add(gradientImage(48, 32, 0.02f * (i + 1)));
    }
    try (NetSession session = net.newSession(2)) {
      List<Map<String, Map<String, Double>>> results;
      try (ReferenceActivations activations = session.forwardReference(ref)) {
        results = session.compare(activations, distorted, readouts);
      }
      assertEquals(6, session.forwardPasses(), "1 reference + 5 distorted");
      assertEquals(5, results.size());
      List<TapActivation> refActs = session.activations(ref);
      for (int i = 0; i < 5; i++) {
        Map<String, Map<String, Double>> row = results.get(i);
        assertEquals(List.of("conv1", "conv2", "conv3", "conv4", ReadoutSet.SUM_TAP), List.copyOf(row.keySet()));
        List<TapActivation> distActs = session.activations(distorted.get(i));
        double weightedSum = 0;
        for (int t = 0; t < 4; t++) {
          TapActivation a = refActs.get(t);
          TapActivation b = distActs.get(t);
          assertEquals(List.of("l2", "mse", "unit_l2", "weighted"), List.copyOf(row.get(a.tap()).keySet()));
          for (Readout r : readouts.readouts()) {
            double expected = ArrayReadouts.compute(r, a.values(), b.values(), a.channels(), a.height(), a.width(),
                weights.forTap(a.tap()));
            assertTrue(expected > 0);
            assertEquals(expected, row.get(a.tap()).get(r.key()), 1e-5 * expected, a.tap() + " " + r + " image " + i);
          }
          weightedSum += row.get(a.tap()).get("weighted");
        }
        assertEquals(weightedSum, row.get(ReadoutSet.SUM_TAP).get("weighted"), 1e-12);
      }
      assertEquals(6 + 1 + 5, session.forwardPasses(), "activations() forwards count too");
    }
  }

  /** Every call's temporaries are freed: only the reference's taps (and their unit versions) stay. */
  @Test
  void sessionsDoNotLeakNativeArrays() {
    DjlFeatureNet net = RandomConvNet.build(Device.cpu());
    try {
      int baseline = net.liveArrays();
      assertEquals(8, baseline, "4 conv weights + 4 biases");
      ReadoutSet readouts = ReadoutSet.parse("l2,mse,unit_l2", null, conf);
      try (NetSession session = net.newSession(2)) {
        ReferenceActivations ref = session.forwardReference(gradientImage(32, 32, 0f));
        assertEquals(baseline + 4, net.liveArrays(), "the reference's 4 taps");
        List<RgbImage> batch = List.of(gradientImage(32, 32, 0.1f), gradientImage(32, 32, 0.2f),
            gradientImage(32, 32, 0.3f));
        for (int round = 0; round < 5; round++) {
          session.compare(ref, batch, readouts);
          assertEquals(baseline + 8, net.liveArrays(), "taps + unit-normalised taps, round " + round);
        }
        ref.close();
        assertEquals(baseline, net.liveArrays());
        session.activations(gradientImage(32, 32, 0f));
        assertEquals(baseline, net.liveArrays());
        session.forwardReference(gradientImage(32, 32, 0f)); // left open: the session's close frees it
      }
      assertEquals(baseline, net.liveArrays());
    } finally {
      net.retire();
    }
  }

  /** Sessions of one shared net on parallel threads give the same numbers as one thread. */
  @Test
  void parallelSessionsAgreeWithSequential() throws Exception {
    FeatureNet net = Nets.get(RandomConvNet.SPEC, conf);
    ReadoutSet readouts = ReadoutSet.parse("l2,unit_l2", null, conf);
    RgbImage ref = gradientImage(40, 40, 0f);
    List<RgbImage> distorted = List.of(gradientImage(40, 40, 0.05f), gradientImage(40, 40, 0.1f));
    Callable<List<Map<String, Map<String, Double>>>> job = () -> {
      try (NetSession session = net.newSession();
           ReferenceActivations activations = session.forwardReference(ref)) {
        return session.compare(activations, distorted, readouts);
      }
    };
    List<Map<String, Map<String, Double>>> expected = job.call();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<Map<String, Map<String, Double>>>>> futures = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        futures.add(pool.submit(job));
      }
      for (Future<List<Map<String, Map<String, Double>>>> f : futures) {
        assertEquals(expected, f.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void evictedNetClosesAfterItsLastSession() {
    Nets.resetForTests(1);
    FeatureNet builtin = Nets.get(RandomConvNet.SPEC, conf);
    NetSession open = builtin.newSession();
    Nets.get(SharedData.model(SQUEEZE + ".pt").toString(), conf); // evicts the builtin (capacity 1)
    DjlFeatureNet evicted = (DjlFeatureNet) builtin;
    assertFalse(evicted.isClosed(), "a session is still using it");
    assertEquals(4, open.activations(gradientImage(16, 16, 0f)).size());
    open.close();
    assertTrue(evicted.isClosed(), "closed with its last session");
    FeatureNet reloaded = Nets.get(RandomConvNet.SPEC, conf);
    assertFalse(reloaded == builtin);
    assertEquals(2, Nets.loadCount(RandomConvNet.SPEC));
  }

  @Test
  void reserveKeepsEveryNetOfATaskLoaded() {
    Nets.resetForTests(1);
    Nets.reserve(2);
    String squeeze = SharedData.model(SQUEEZE + ".pt").toString();
    for (int task = 0; task < 3; task++) {
      // Each task opens both nets before it forwards anything, as PairGroupExtractor does.
      Nets.get(RandomConvNet.SPEC, conf).newSession().close();
      Nets.get(squeeze, conf).newSession().close();
    }
    assertEquals(1, Nets.loadCount(RandomConvNet.SPEC));
    assertEquals(1, Nets.loadCount(squeeze));
    Nets.reserve(1); // never lowers the bound
    Nets.get(RandomConvNet.SPEC, conf);
    Nets.get(squeeze, conf);
    assertEquals(1, Nets.loadCount(RandomConvNet.SPEC));
    Nets.resetForTests(4);
  }

  @Test
  void modelFileErrorsNameTheNetAndTheFix() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("nets"));
    Path pt = SharedData.model(SQUEEZE + ".pt");
    String card = Files.readString(SharedData.model(SQUEEZE + ".json"));
    String sha = RandomConvNet.sha256("x").replace('a', 'b'); // any 64 hex digits that are not the file's

    assertUserError(() -> Nets.get(dir.resolve("absent.pt").toString(), conf), "absent.pt", "does not exist");

    Files.copy(pt, dir.resolve("nocard.pt"));
    assertUserError(() -> Nets.get(dir.resolve("nocard.pt").toString(), conf), "nocard.json", "missing");

    Files.copy(pt, dir.resolve("badjson.pt"));
    Files.writeString(dir.resolve("badjson.json"), "{\"name\": \"x\", ");
    assertUserError(() -> Nets.get(dir.resolve("badjson.pt").toString(), conf), "badjson.json", "not valid JSON");

    Files.copy(pt, dir.resolve("notaps.pt"));
    Files.writeString(dir.resolve("notaps.json"), card.replace("\"taps\"", "\"tapz\""));
    assertUserError(() -> Nets.get(dir.resolve("notaps.pt").toString(), conf), "notaps.json", "\"taps\"");

    Files.copy(pt, dir.resolve("wrongsha.pt"));
    Files.writeString(dir.resolve("wrongsha.json"), withSha(card, sha));
    assertUserError(() -> Nets.get(dir.resolve("wrongsha.pt").toString(), conf), "wrongsha.pt", "sha256");

    byte[] garbage = "this is not a TorchScript zip".getBytes(StandardCharsets.UTF_8);
    Files.write(dir.resolve("garbage.pt"), garbage);
    Files.writeString(dir.resolve("garbage.json"), withSha(card, hex(garbage)));
    assertUserError(() -> Nets.get(dir.resolve("garbage.pt").toString(), conf), "garbage.pt", "TorchScript");

    // A card that lists one tap fewer than forward() returns.
    String fileSha = hex(Files.readAllBytes(pt));
    Files.copy(pt, dir.resolve("fewtaps.pt"));
    Files.writeString(dir.resolve("fewtaps.json"), withSha(card, fileSha)
        .replaceFirst("\\{\\s*\"name\": \"fire9\"[^}]*\\}", "").replaceAll(",\\s*]", "]"));
    assertUserError(() -> Nets.get(dir.resolve("fewtaps.pt").toString(), conf), "returns 7 tensors", "6 taps");

    assertUserError(() -> Nets.get("builtin:resnet", conf), "builtin:resnet", "builtin:random-convnet");
    assertUserError(() -> Nets.get(dir.resolve("notanet.onnx").toString(), conf), "notanet.onnx", "NAME.pt");
    assertEquals(0, Nets.loadCount(dir.resolve("wrongsha.pt").toString()));
  }

  @Test
  void readoutAndImageErrorsNameTheNet() throws IOException {
    FeatureNet net = Nets.get(RandomConvNet.SPEC, conf);
    ReadoutSet l2 = ReadoutSet.parse("l2", null, conf);
    try (NetSession session = net.newSession()) {
      assertUserError(() -> session.forwardReference(gradientImage(15, 40, 0f)), "random-convnet", "16x16");
      try (ReferenceActivations ref = session.forwardReference(gradientImage(32, 32, 0f))) {
        assertUserError(() -> session.compare(ref, List.of(gradientImage(32, 33, 0f)), l2), "32x33", "32x32");
        assertUserError(() -> session.compare(ref, List.of(gradientImage(32, 32, 0.1f)), l2.onTaps(List.of("relu9"))),
            "'relu9'", "conv1, conv2, conv3, conv4");
        Path badChannels = tmp.resolve("bad-channels.json");
        Files.writeString(badChannels, "{\"taps\": {\"conv1\": [1, 2, 3]}}");
        ReadoutSet wrongCount = ReadoutSet.parse("weighted", badChannels.toString(), conf).onTaps(List.of("conv1"));
        assertUserError(() -> session.compare(ref, List.of(gradientImage(32, 32, 0.1f)), wrongCount),
            "3 weights for tap conv1", "16 channels");
        Path badTap = tmp.resolve("bad-tap.json");
        Files.writeString(badTap, "{\"taps\": {\"relu1\": [1, 2, 3]}}");
        ReadoutSet wrongTap = ReadoutSet.parse("weighted", badTap.toString(), conf);
        assertUserError(() -> session.compare(ref, List.of(gradientImage(32, 32, 0.1f)), wrongTap),
            "tap 'relu1'", "random-convnet");
        Path partial = tmp.resolve("partial.json");
        Files.writeString(partial, "{\"taps\": {\"conv1\": [" + "1, ".repeat(15) + "1]}}");
        ReadoutSet uncovered = ReadoutSet.parse("weighted", partial.toString(), conf);
        assertUserError(() -> session.compare(ref, List.of(gradientImage(32, 32, 0.1f)), uncovered),
            "tap conv2", "no weights");
        // Restricted to the covered tap it works; weights of 1 make weighted equal unit_l2.
        Map<String, Map<String, Double>> row = session.compare(ref, List.of(gradientImage(32, 32, 0.1f)),
            ReadoutSet.of(List.of(Readout.UNIT_L2, Readout.WEIGHTED), uncovered.weights()).onTaps(List.of("conv1")))
            .get(0);
        assertEquals(List.of("conv1", ReadoutSet.SUM_TAP), List.copyOf(row.keySet()));
        assertEquals(row.get("conv1").get("unit_l2"), row.get("conv1").get("weighted"), 1e-6);
      }
    }
    assertUserError(() -> ReadoutSet.parse("weighted", tmp.resolve("none.json").toString(), conf), "none.json",
        "does not exist");
    Path negative = tmp.resolve("negative.json");
    Files.writeString(negative, "{\"taps\": {\"conv1\": [1, -2]}}");
    assertUserError(() -> ReadoutSet.parse("weighted", negative.toString(), conf), "negative.json", "non-negative");
  }

  private static void assertUserError(Executable call, String... fragments) {
    UserInputException e = assertThrows(UserInputException.class, call);
    String msg = e.getMessage();
    assertFalse(msg.contains("\n"), "one line: " + msg);
    for (String f : fragments) {
      assertTrue(msg.contains(f), "message should mention '" + f + "': " + msg);
    }
  }

  private static String withSha(String card, String sha) {
    return card.replaceAll("\"sha256\": \"[0-9a-f]{64}\"", "\"sha256\": \"" + sha + "\"");
  }

  private static String hex(byte[] bytes) {
    return java.util.HexFormat.of().formatHex(ModelFiles.newDigest().digest(bytes));
  }

  private static String weightsJson(int[] channels, double value) {
    StringBuilder sb = new StringBuilder("{\"taps\": {");
    for (int t = 0; t < channels.length; t++) {
      sb.append(t == 0 ? "" : ", ").append("\"conv").append(t + 1).append("\": [");
      for (int c = 0; c < channels[t]; c++) {
        sb.append(c == 0 ? "" : ", ").append(value * (1 + c % 3));
      }
      sb.append(']');
    }
    return sb.append("}}").toString();
  }

  /** A smooth colour gradient plus a per-image offset pattern, values in [0,1]. */
  static RgbImage gradientImage(int width, int height, float shift) {
    float[] p = new float[3 * width * height];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          double v = 0.5 + 0.4 * Math.sin(0.3 * x + 0.2 * y + c + 40 * shift * ((x * 7 + y * 3) % 5));
          p[(c * height + y) * width + x] = (float) Math.min(1, Math.max(0, v));
        }
      }
    }
    return new RgbImage(width, height, p);
  }
}
