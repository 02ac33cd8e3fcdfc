package org.perceptsweep.jobs.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.perceptsweep.jobs.SparkSessions;
import org.perceptsweep.jobs.cluster.StandaloneCluster;

/**
 * Issue 7, driver killed in the middle: the sweep runs as a child JVM (the CLI's main class on
 * Spark local[2]) and is killed with SIGKILL right after its first cell's distances are committed,
 * while the next cell's extract runs. What a reader sees then is whole cells only (no duplicate row,
 * no partial partition, nothing of the staging folder); rerunning the same sweep recomputes exactly
 * the cells that were not committed, and its tables equal a clean run's.
 */
class SweepDriverKillTest {
  private static final int PAIRS = 6 * 3 * 3; // the synthetic set of the sweep file

  @TempDir
  Path tmp;

  private static SparkSession spark() {
    System.setProperty("spark.master", "local[2]");
    return SparkSessions.getOrCreate("sweep tests");
  }

  /** psnr and random-convnet in separate extract calls (different readouts): two commits, in plan order. */
  private Path sweepFile(String out) throws Exception {
    Path f = tmp.resolve(out + ".yaml");
    Files.writeString(f, String.join("\n",
        "out: " + out,
        "datasets: [{adapter: synthetic, seed: 11, references: 6, size: 128, levels: 3, distortions: [gaussian_noise, gaussian_blur, jpeg]}]",
        "nets:",
        "  - spec: psnr",
        "  - spec: builtin:random-convnet",
        "    readouts: [l2]",
        "aggregate: {resamples: 20}",
        ""));
    return f;
  }

  @Test
  void aDriverKilledMidSweepLeavesWholeCellsAndTheRerunCompletesOnlyWhatIsMissing() throws Exception {
    Path file = sweepFile("study");
    Path distances = tmp.resolve("study/distances");
    Path psnrPartition = distances.resolve("dataset=synthetic/net=psnr");

    List<String> cmd = new ArrayList<>();
    cmd.add(java.nio.file.Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    cmd.addAll(List.of(StandaloneCluster.jvmFlags().split(" ")));
    cmd.add("-Dspark.master=local[2]");
    cmd.add("-Dspark.ui.enabled=false");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("org.perceptsweep.jobs.cli.PerceptSweepCli");
    cmd.addAll(List.of("sweep", file.toString(), "--quiet"));
    Path log = tmp.resolve("child.log");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("OMP_NUM_THREADS", "1");
    Process child = pb.start();
    boolean killed = false;
    try {
      // Wait for the first cell's commit: its partition folder is renamed into place by the job commit.
      long deadline = System.currentTimeMillis() + 300_000;
      while (!Files.isDirectory(psnrPartition)) {
        assertTrue(child.isAlive(), "the sweep ended before its first commit:\n" + tail(log));
        assertTrue(System.currentTimeMillis() < deadline, "no commit within 300 s:\n" + tail(log));
        Thread.sleep(50);
      }
      child.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
      child.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
      killed = child.waitFor(30, TimeUnit.SECONDS);
    } finally {
      if (child.isAlive()) {
        child.destroyForcibly();
      }
    }
    assertTrue(killed, "the child JVM did not die");
    assertFalse(tail(log).contains("sweep run "), "the sweep finished before the kill:\n" + tail(log));

    // What a reader sees now: whole cells only.
    SparkSession spark = spark();
    List<Row> visible = spark.read().parquet(distances.toString()).collectAsList();
    Map<String, Set<String>> pairsByNet = new HashMap<>();
    Set<String> keys = new TreeSet<>();
    for (Row r : visible) {
      String net = r.getAs("net");
      pairsByNet.computeIfAbsent(net, k -> new TreeSet<>()).add(r.getAs("pair_id"));
      assertTrue(keys.add(net + "|" + r.getAs("pair_id") + "|" + r.getAs("tap") + "|" + r.getAs("readout")),
          "duplicate row " + r);
    }
    assertTrue(pairsByNet.containsKey("psnr"), "the committed cell is visible: " + pairsByNet.keySet());
    for (Map.Entry<String, Set<String>> e : pairsByNet.entrySet()) {
      assertEquals(PAIRS, e.getValue().size(), "cell " + e.getKey() + " is whole or absent, never partial");
    }
    Set<String> committed = new TreeSet<>(pairsByNet.keySet());
    System.out.println("committed when the driver was killed: " + committed);

    // The same sweep again (in this JVM): only the cells that were not committed run.
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    SweepJob.Result rerun = SweepJob.run(spark, file.toString(), new SweepJob.Options(false, true, null),
        new PrintStream(buf, true, StandardCharsets.UTF_8));
    String console = buf.toString(StandardCharsets.UTF_8);
    System.out.print(console);
    assertEquals(0, rerun.exitCode(), console);
    Set<String> ran = new TreeSet<>();
    Set<String> skipped = new TreeSet<>();
    for (SweepPlan.Cell c : rerun.plan().cells()) {
      (c.action() == SweepPlan.Action.SKIP ? skipped : ran).add(c.net());
    }
    assertEquals(committed, skipped, console);
    Set<String> missing = new TreeSet<>(Set.of("psnr", "random-convnet"));
    missing.removeAll(committed);
    assertEquals(missing, ran, console);
    assertEquals(ran.size(), rerun.record().count("ran"));
    assertEquals(skipped.size(), rerun.record().count("skipped"));
    for (Reconciliation.Line l : rerun.record().reconciliation()) {
      assertTrue(l.accounted(), l.toString());
    }
    try (var s = Files.list(distances)) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".spark-staging-")),
          "the rerun removed the killed run's staging folder");
    }

    // Equal to a clean run of the same sweep, row by row.
    SweepJob.Result clean = SweepJob.run(spark, sweepFile("clean").toString(), new SweepJob.Options(false, true, null),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    assertEquals(2, clean.record().count("ran"));
    Map<String, Double> expected = rows(spark, tmp.resolve("clean/distances"));
    Map<String, Double> actual = rows(spark, distances);
    assertEquals(PAIRS * (1 + 4), expected.size(), "psnr + random-convnet 4 taps x l2");
    assertEquals(expected.keySet(), actual.keySet());
    expected.forEach((k, v) -> assertEquals(v, actual.get(k), 1e-6, k));
    Map<String, Double> expectedC = correlations(spark, tmp.resolve("clean/correlations"));
    Map<String, Double> actualC = correlations(spark, tmp.resolve("study/correlations"));
    assertEquals(expectedC.keySet(), actualC.keySet());
    expectedC.forEach((k, v) -> {
      if (v == null) {
        assertEquals(null, actualC.get(k), k);
      } else {
        assertEquals(v, actualC.get(k), 1e-9, k);
      }
    });
  }

  private static Map<String, Double> rows(SparkSession spark, Path table) {
    Map<String, Double> m = new HashMap<>();
    for (Row r : spark.read().parquet(table.toString()).collectAsList()) {
      assertEquals(null, m.put(r.getAs("net") + "|" + r.getAs("pair_id") + "|" + r.getAs("tap") + "|"
          + r.getAs("readout"), r.<Double>getAs("distance")), "duplicate " + r);
    }
    return m;
  }

  private static Map<String, Double> correlations(SparkSession spark, Path table) {
    Map<String, Double> m = new HashMap<>();
    for (Row r : spark.read().parquet(table.toString()).collectAsList()) {
      m.put(r.getAs("net") + "|" + r.getAs("tap") + "|" + r.getAs("readout") + "|" + r.getAs("distortion"),
          r.<Double>getAs("srocc"));
    }
    return m;
  }

  private static String tail(Path log) {
    try {
      String s = Files.readString(log, StandardCharsets.UTF_8);
      return s.length() <= 4000 ? s : s.substring(s.length() - 4000);
    } catch (java.io.IOException e) {
      return "";
    }
  }
}
