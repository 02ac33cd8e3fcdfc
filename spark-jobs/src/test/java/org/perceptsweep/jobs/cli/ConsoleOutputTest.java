package org.perceptsweep.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.perceptsweep.jobs.CliRunner;
import org.perceptsweep.testing.SharedData;

/**
 * What a user sees on the console: {@code bin/percept-sweep} itself, in a process of its own, with
 * stdout and stderr captured as files (an in-process run cannot see what libtorch's C++ writes to
 * file descriptor 2). No libtorch warning, none of the Spark warnings the logging configuration
 * filters, and progress that counts pairs while the extract is still running.
 */
class ConsoleOutputTest {
  @TempDir
  static Path tmp;

  /** Text that must never reach the console: libtorch's warnings and the filtered Spark warnings. */
  private static final List<String> NOISE = List.of("NNPACK", "AutoNonVariableTypeMode",
      "Truncated the string representation of a plan", "Using an existing Spark session");

  @Test
  void demoPrintsNoEngineNoiseAndTheTableWithNotesAndTheStageSummary() throws Exception {
    Console c = launch("demo", "--out", tmp.resolve("demo").toString());
    assertEquals(0, c.exit(), c.toString());
    assertQuiet(c);
    // Progress lines (stderr is a file: plain lines), counting the synthetic set's pairs per net.
    assertTrue(c.err().contains("extract synthetic (240 pairs x 5 nets)"), c.err());
    // Reasons for undefined values are notes under the table, not a column of long text.
    assertTrue(c.out().contains("[1] logistic fit: not converged in 100 iterations"), c.out());
    assertTrue(c.out().lines().noneMatch(l -> l.startsWith("random-convnet") && l.contains("not converged")),
        c.out());
    assertTrue(c.out().lines().anyMatch(l -> l.matches("extract +synthetic: 5 nets +\\S+ +3120 distances, 0 rejects.*")),
        c.out());
  }

  @Test
  void liveExtractPrintsNoEngineNoiseAndCountsPairsBeforeItEnds() throws Exception {
    Path models = SharedData.root().resolve("models");
    Path study = tmp.resolve("live");
    CliRunner manifest = CliRunner.run("manifest", "--dataset", "csv", "--root",
        SharedData.data("live-jpeg/dmos.csv").toString(), "--lower-is-better", "--out", study.toString());
    assertEquals(0, manifest.exitCode(), manifest.err());

    Console c = launch("extract", "--out", study.toString(), "--net",
        models.resolve("squeezenet1_1-imagenet.pt").toString(), "--net", "psnr", "--readouts", "l2");
    assertEquals(0, c.exit(), c.toString());
    assertQuiet(c);
    // Counts only grow and reach 175 at the end: a line with fewer was printed while the extract ran.
    Matcher m = Pattern.compile("^progress .*squeezenet1_1-imagenet (\\d+)/175", Pattern.MULTILINE).matcher(c.err());
    List<Integer> counts = new ArrayList<>();
    while (m.find()) {
      counts.add(Integer.parseInt(m.group(1)));
    }
    assertTrue(counts.stream().anyMatch(n -> n > 0 && n < 175), "no count between 0 and 175: " + counts + "\n" + c);
    assertTrue(c.err().contains("extract live-jpeg (175 pairs x 2 nets)") && c.err().contains("pairs/s, ETA "),
        c.err());
    // squeezenet's 7 taps and psnr, 175 pairs each: (7 + 1) x 175 rows.
    assertTrue(c.out().lines().anyMatch(
        l -> l.matches("extract +all datasets: 2 nets +\\S+ +1400 distances, 0 rejects")), c.out());
  }

  private static void assertQuiet(Console c) {
    for (String text : List.of(c.out(), c.err())) {
      for (String noise : NOISE) {
        assertFalse(text.contains(noise), "'" + noise + "' on the console:\n" + c);
      }
      assertTrue(text.lines().noneMatch(l -> l.startsWith("[W")), "a libtorch warning line:\n" + c);
    }
  }

  record Console(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
  }

  /**
   * bin/percept-sweep on this build's classpath (PERCEPT_SWEEP_CLASSPATH: the launcher builds nothing)
   * on local[2]; the environment's TORCH_CPP_LOG_LEVEL (the build sets one) removed, so the launcher's
   * own default is what runs.
   */
  private static Console launch(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("bash", projectRoot().resolve("bin/percept-sweep").toString()));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(tmp, "stdout-", ".txt");
    Path err = Files.createTempFile(tmp, "stderr-", ".txt");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectOutput(out.toFile())
        .redirectError(err.toFile());
    pb.environment().put("PERCEPT_SWEEP_CLASSPATH", System.getProperty("java.class.path"));
    pb.environment().put("SPARK_MASTER", "local[2]");
    pb.environment().put("PERCEPT_SWEEP_JAVA_OPTS", "-Xmx1536m -Dperceptsweep.progress.seconds=1");
    pb.environment().remove("TORCH_CPP_LOG_LEVEL");
    Process p = pb.start();
    try {
      if (!p.waitFor(900, TimeUnit.SECONDS)) {
        throw new AssertionError("bin/percept-sweep " + String.join(" ", args) + " ran past 900 s");
      }
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    return new Console(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private static Path projectRoot() {
    for (Path d = Paths.get("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("bin/percept-sweep"))) {
        return d;
      }
    }
    throw new AssertionError("bin/percept-sweep not found above " + Paths.get("").toAbsolutePath());
  }
}
