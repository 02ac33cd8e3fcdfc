package org.perceptsweep.udf.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.perceptsweep.core.image.RgbImage;
import org.perceptsweep.testing.SharedData;

/**
 * Runs {@code tools/export_torchvision.py} for an untrained SqueezeNet 1.1 ({@code --weights none
 * --seed 0}) and loads the result through {@link Nets#get}: the card's taps and channels, the
 * activations' shapes (checked against SqueezeNet's layer arithmetic, worked out here), and the
 * values against the shared {@code squeezenet1_1-untrained} net made the same way by other means.
 *
 * <p>Needs a Python 3 with torch and torchvision: the one named by the system property or environment
 * variable {@code PERCEPTSWEEP_PYTHON}, else {@code /usr/bin/python3} (Debian's {@code python3-torch}
 * and {@code python3-torchvision}, which {@code .ci/run} installs), else {@code python3} on the PATH
 * (often a pyenv or venv Python without torch: each candidate must import both). Without one it
 * skips with a message, except under {@code CI=true}, where it fails: CI has them.
 */
class ExportedNetTest {
  private static final String NAME = "squeezenet1_1-untrained";
  private static final List<String> TAPS = List.of("relu1", "fire3", "fire5", "fire6", "fire7", "fire8", "fire9");
  private static final int[] CHANNELS = {64, 128, 256, 384, 384, 512, 512};

  @TempDir
  static Path tmp;

  private static String python;
  private static Path exportDir;
  private static String exportLog;

  @BeforeAll
  static void export() throws Exception {
    python = pythonWithTorch();
    if (python == null) {
      String msg = "no Python 3 with torch and torchvision (tried " + candidates() + "); install them (apt-get "
          + "install python3-torch python3-torchvision) or set PERCEPTSWEEP_PYTHON to such an interpreter";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(msg + "; CI=true requires it (.ci/run installs them)");
      }
      Assumptions.abort("skipped: " + msg);
    }
    Nets.resetForTests(4);
    exportDir = tmp.resolve("nets");
    Result r = run(List.of(python, exporter().toString(), "--arch", "squeezenet1_1", "--weights", "none", "--seed",
        "0", "--out", exportDir.toString()), 600);
    exportLog = r.output;
    assertEquals(0, r.exit, "exporter failed:\n" + r.output);
  }

  @AfterAll
  static void restoreCache() {
    Nets.resetForTests(4);
  }

  @Test
  void exporterVerifiedItsOwnOutput() {
    // The exporter compares the saved file with the eager net; with identical ops the difference is tiny.
    String line = exportLog.lines().filter(l -> l.startsWith("verify: max abs diff")).findFirst().orElse("");
    assertFalse(line.isEmpty(), exportLog);
    double diff = Double.parseDouble(line.replaceAll(".*= ([0-9.eE+-]+) over.*", "$1"));
    assertTrue(diff <= 1e-4, line);
    assertTrue(exportLog.contains("card check: 7 taps"), exportLog);
  }

  @Test
  void loadsThroughNetsWithTheCardsTapsAndShapes() throws IOException {
    Path pt = exportDir.resolve(NAME + ".pt");
    Path json = exportDir.resolve(NAME + ".json");
    assertTrue(Files.isRegularFile(pt) && Files.isRegularFile(json), "exporter wrote " + exportDir);
    JsonNode card = new ObjectMapper().readTree(json.toFile());
    assertEquals(ModelFiles.sha256(pt), card.get("sha256").asText(), "card sha256 is the file's");
    assertEquals("RGB", card.at("/input/color").asText());
    assertEquals(0.485, card.at("/input/normalisation_baked_in/mean/0").asDouble(), 1e-12);
    assertEquals(0.225, card.at("/input/normalisation_baked_in/std/2").asDouble(), 1e-12);

    Configuration conf = new Configuration();
    conf.set(Nets.CACHE_DIR_KEY, tmp.resolve("cache").toString());
    FeatureNet net = Nets.get(pt.toUri().toString(), conf);
    NetCard c = net.card();
    assertEquals(NAME, c.name());
    assertEquals("squeezenet1_1", c.architecture());
    assertEquals("none (random init, seed 0)", c.goal());
    assertEquals("none", c.trainingData());
    assertEquals(TAPS, c.taps().stream().map(TapInfo::name).toList());
    for (int i = 0; i < CHANNELS.length; i++) {
      assertEquals(CHANNELS[i], c.taps().get(i).channels(), TAPS.get(i));
    }
    // The card states the net facts; they are what this project counts in the file (conv part of
    // SqueezeNet 1.1: 1 conv + 8 fire modules of 3 convs).
    assertEquals(new NetFacts(org.perceptsweep.core.Learning.NONE, NetFacts.CARD, 25, NetFacts.CARD, 722_496L,
        NetFacts.CARD), net.facts());
    assertEquals(new WeightCount(25, 722_496L), ((DjlFeatureNet) net).countWeights());

    try (NetSession session = net.newSession()) {
      // At 384x512 the activations match the card's shape_at_384x512 and SqueezeNet's arithmetic.
      List<TapActivation> full = session.activations(NetsTest.gradientImage(512, 384, 0f));
      assertEquals(TAPS.size(), full.size());
      for (int i = 0; i < full.size(); i++) {
        TapActivation a = full.get(i);
        JsonNode shape = card.get("taps").get(i).get("shape_at_384x512");
        assertEquals(List.of(a.channels(), a.height(), a.width()),
            List.of(shape.get(0).asInt(), shape.get(1).asInt(), shape.get(2).asInt()), a.tap());
        assertEquals(List.of(CHANNELS[i], expectedSide(384, i), expectedSide(512, i)),
            List.of(a.channels(), a.height(), a.width()), a.tap());
      }
      // A smaller, non-square input: same arithmetic.
      List<TapActivation> small = session.activations(NetsTest.gradientImage(80, 66, 0.1f));
      for (int i = 0; i < small.size(); i++) {
        assertEquals(List.of(CHANNELS[i], expectedSide(66, i), expectedSide(80, i)),
            List.of(small.get(i).channels(), small.get(i).height(), small.get(i).width()), small.get(i).tap());
      }
    }
  }

  /**
   * The shared squeezenet1_1-untrained was made with torchvision's default init after
   * torch.manual_seed(0) too: same weights, so the same activations from a different file.
   */
  @Test
  void matchesTheSharedUntrainedSqueezeNet() {
    Path shared = SharedData.model(NAME + ".pt");
    Configuration conf = new Configuration();
    conf.set(Nets.CACHE_DIR_KEY, tmp.resolve("cache").toString());
    FeatureNet exported = Nets.get(exportDir.resolve(NAME + ".pt").toUri().toString(), conf);
    FeatureNet reference = Nets.get(shared.toUri().toString(), conf);
    RgbImage image = NetsTest.gradientImage(96, 72, 0.3f);
    try (NetSession a = exported.newSession(); NetSession b = reference.newSession()) {
      List<TapActivation> x = a.activations(image);
      List<TapActivation> y = b.activations(image);
      assertEquals(y.size(), x.size());
      for (int t = 0; t < x.size(); t++) {
        float[] u = x.get(t).values();
        float[] v = y.get(t).values();
        assertEquals(v.length, u.length, x.get(t).tap());
        double max = 0;
        double scale = 0;
        for (int i = 0; i < u.length; i++) {
          max = Math.max(max, Math.abs(u[i] - v[i]));
          scale = Math.max(scale, Math.abs(v[i]));
        }
        assertTrue(scale > 0, "tap " + x.get(t).tap() + " is not all zero");
        assertTrue(max <= 1e-5 * Math.max(1, scale), "tap " + x.get(t).tap() + ": max diff " + max);
      }
    }
  }

  /**
   * {@code --taps NAME=MODULE} picks layers, one of them no default tap ({@code features.8}, the
   * max-pool after fire5): the file loads through {@link Nets} with exactly those taps in that order,
   * the shapes SqueezeNet's arithmetic gives, and on the modules that are default taps the values of
   * the default export (same seed, same weights).
   */
  @Test
  void tapsChosenWithTheTapsOptionExportAndLoadThroughDjl() throws Exception {
    Path dir = tmp.resolve("chosen");
    Result r = run(List.of(python, exporter().toString(), "--arch", "squeezenet1_1", "--weights", "none", "--seed",
        "0", "--taps", "early=features.1,pool3=features.8,late=features.12", "--name", "squeezenet1_1-chosen",
        "--out", dir.toString()), 600);
    assertEquals(0, r.exit, "exporter failed:\n" + r.output);
    assertTrue(r.output.contains("card check: 3 taps"), r.output);

    Configuration conf = new Configuration();
    conf.set(Nets.CACHE_DIR_KEY, tmp.resolve("cache").toString());
    FeatureNet chosen = Nets.get(dir.resolve("squeezenet1_1-chosen.pt").toUri().toString(), conf);
    assertEquals(List.of("early", "pool3", "late"), chosen.card().taps().stream().map(TapInfo::name).toList());
    assertEquals(List.of(64, 256, 512), chosen.card().taps().stream().map(TapInfo::channels).toList());
    FeatureNet defaults = Nets.get(exportDir.resolve(NAME + ".pt").toUri().toString(), conf);
    RgbImage image = NetsTest.gradientImage(96, 72, 0.3f);
    try (NetSession a = chosen.newSession(); NetSession b = defaults.newSession()) {
      List<TapActivation> x = a.activations(image);
      List<TapActivation> y = b.activations(image);
      // early = relu1 (no pool), pool3 = the third pool (fire6's size), late = fire9 (after the third pool).
      int[][] expected = {{64, expectedSide(72, 0), expectedSide(96, 0)}, {256, expectedSide(72, 3),
          expectedSide(96, 3)}, {512, expectedSide(72, 6), expectedSide(96, 6)}};
      for (int t = 0; t < 3; t++) {
        assertEquals(List.of(expected[t][0], expected[t][1], expected[t][2]),
            List.of(x.get(t).channels(), x.get(t).height(), x.get(t).width()), x.get(t).tap());
      }
      assertSameValues(y.get(0), x.get(0)); // relu1 = features.1
      assertSameValues(y.get(6), x.get(2)); // fire9 = features.12
    }
  }

  private static void assertSameValues(TapActivation expected, TapActivation actual) {
    float[] u = actual.values();
    float[] v = expected.values();
    assertEquals(v.length, u.length, actual.tap() + " vs " + expected.tap());
    double max = 0;
    double scale = 0;
    for (int i = 0; i < u.length; i++) {
      max = Math.max(max, Math.abs(u[i] - v[i]));
      scale = Math.max(scale, Math.abs(v[i]));
    }
    assertTrue(scale > 0, expected.tap() + " is not all zero");
    assertTrue(max <= 1e-6 * Math.max(1, scale), actual.tap() + " vs " + expected.tap() + ": max diff " + max);
  }

  @Test
  void unknownTapIsOneClearLine() throws Exception {
    Result r = run(List.of(python, exporter().toString(), "--arch", "squeezenet1_1", "--weights", "none",
        "--taps", "relu1=features.1,nosuch.layer", "--out", tmp.resolve("bad").toString()), 300);
    assertEquals(2, r.exit, r.output);
    String error = r.output.lines().filter(l -> l.startsWith("export_torchvision: error:")).findFirst().orElse("");
    assertTrue(error.contains("nosuch.layer") && error.contains("--list-modules"), r.output);
    assertFalse(Files.exists(tmp.resolve("bad").resolve("squeezenet1_1-untrained.pt")), "nothing written");
  }

  /**
   * Height or width of SqueezeNet 1.1's tap {@code i}: conv 3x3 stride 2 (no padding), then
   * max-pools 3x3 stride 2 with ceil_mode before fire3, fire5 and fire6; fire modules keep the size.
   */
  static int expectedSide(int side, int tap) {
    int s = (side - 3) / 2 + 1; // relu1
    int pools = tap == 0 ? 0 : tap == 1 ? 1 : tap == 2 ? 2 : 3;
    for (int p = 0; p < pools; p++) {
      s = (int) Math.ceil((s - 3) / 2.0) + 1;
    }
    return s;
  }

  private static Path exporter() {
    Path p = Path.of("..", "tools", "export_torchvision.py").toAbsolutePath().normalize();
    assertTrue(Files.isRegularFile(p), "missing " + p);
    return p;
  }

  private static List<String> candidates() {
    List<String> out = new ArrayList<>();
    String configured = System.getProperty("PERCEPTSWEEP_PYTHON", System.getenv("PERCEPTSWEEP_PYTHON"));
    if (configured != null && !configured.isBlank()) {
      out.add(configured);
    }
    out.add("/usr/bin/python3");
    // python3 on the PATH, resolved (it may be another interpreter than /usr/bin/python3).
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, "python3");
      if (Files.isExecutable(p) && !out.contains(p.toString())) {
        out.add(p.toString());
        break;
      }
    }
    return out;
  }

  private static String pythonWithTorch() {
    for (String candidate : candidates()) {
      if (!Files.isExecutable(Path.of(candidate))) {
        continue;
      }
      try {
        if (run(List.of(candidate, "-c", "import torch, torchvision"), 120).exit == 0) {
          return candidate;
        }
      } catch (Exception e) {
        // not usable: try the next
      }
    }
    return null;
  }

  private record Result(int exit, String output) {}

  private static Result run(List<String> command, int timeoutSeconds) throws Exception {
    Path log = Files.createTempFile(tmp, "run-", ".log");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("OMP_NUM_THREADS", "1"); // a shared 2-core machine; torch's default threading thrashes
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out after " + timeoutSeconds + " s: " + command);
    }
    return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }
}
