package org.perceptsweep.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.perceptsweep.jobs.SparkTestSession;
import org.perceptsweep.jobs.cluster.ClusterSessions;
import org.perceptsweep.jobs.cluster.StandaloneCluster;
import org.perceptsweep.jobs.extract.ExtractJob;
import org.perceptsweep.jobs.manifest.ManifestJob;
import org.perceptsweep.jobs.progress.ProgressProbe;
import org.perceptsweep.jobs.tables.OutputLayout;
import org.perceptsweep.testing.SharedData;

/**
 * Issue 4 on a real standalone cluster (one Master, two Worker JVMs started from the project's
 * classpath): the real extract job over the LIVE JPEG subset with two pretrained nets loads each net
 * exactly once in each executor JVM and gives the same distances as local mode; and the console's
 * progress hears running tasks' counts from the executors' heartbeats.
 */
class ClusterExtractTest {
  private static final List<String> READOUTS = List.of("l2", "unit_l2");
  /**
   * References of LIVE JPEG kept (all their distorted images): enough tasks for both executors, small
   * enough that the two nets run twice (local and cluster) in about a minute on 2 cores. The whole set
   * runs in local mode in LiveJpegEndToEndTest.
   */
  private static final int REFERENCES = 4;

  @TempDir
  Path tmp;

  @Test
  void twoNetsOnTwoExecutorsLoadOncePerJvmAndMatchLocalMode() throws Exception {
    Path csv = liveSubset(SharedData.data("live-jpeg/dmos.csv"), REFERENCES);
    List<String> nets = List.of(SharedData.model("alexnet-imagenet.pt").toString(),
        SharedData.model("squeezenet1_1-imagenet.pt").toString());
    ManifestJob.Request live = new ManifestJob.Request("csv", csv.toString(), null, false, 0, null, null, false);

    // Local mode first (the shared local[2] session), then the same job with a cluster driver.
    long t0 = System.nanoTime();
    SparkSession local = SparkTestSession.get();
    OutputLayout localOut = new OutputLayout(tmp.resolve("local").toString());
    ManifestJob.run(local, localOut, live);
    ExtractJob.Summary localRun = ExtractJob.run(local, localOut, nets, String.join(",", READOUTS), null, 8, List.of());
    Map<String, Double> expected = distances(local, localOut);
    long pairs = Files.readAllLines(csv).size() - 1;
    assertTrue(pairs >= 5 * REFERENCES, "subset of " + pairs + " pairs");
    assertEquals(pairs * (5 + 7) * READOUTS.size(), expected.size(), "pairs x (5 alexnet + 7 squeezenet taps) x 2 readouts");
    assertEquals(localRun.distanceRows(), expected.size());
    ClusterSessions.stopSessions();
    long t1 = System.nanoTime();

    ExtractJob.Summary clusterRun;
    Map<String, Double> actual;
    try (StandaloneCluster cluster = StandaloneCluster.start(2, 1, "1536m")) {
      long t2 = System.nanoTime();
      SparkSession.Builder b = SparkSession.builder().appName("cluster extract test");
      cluster.appSettings().forEach(b::config);
      // The executors also get the test classes: ProgressProbe's task below is one of them.
      b.config("spark.executor.extraClassPath", cluster.appSettings().get("spark.executor.extraClassPath")
          + java.io.File.pathSeparator + Path.of(ProgressProbe.class.getProtectionDomain().getCodeSource().getLocation()
          .toURI()));
      SparkSession spark = b.getOrCreate();
      try {
        ClusterSessions.awaitExecutors(spark, 2);
        // The console's progress: a running task's counts reach the driver with an executor heartbeat.
        ProgressProbe.Seen seen = ProgressProbe.run(spark.sparkContext(), tmp.resolve("progress-seen"));
        assertNotNull(seen.running(), "a running task's count never reached the driver from an executor");
        assertEquals(3L, seen.after().done().get("net-a"), "counted once");
        OutputLayout out = new OutputLayout(tmp.resolve("cluster").toString());
        ManifestJob.run(spark, out, live);
        clusterRun = ExtractJob.run(spark, out, nets, String.join(",", READOUTS), null, 8, List.of());
        actual = distances(spark, out);
        System.out.printf("local run %.1f s, cluster start %.1f s, cluster run %.1f s%n", (t1 - t0) / 1e9,
            (t2 - t1) / 1e9, (System.nanoTime() - t2) / 1e9);
        assertEquals(2, cluster.executorsLaunched(), "one executor JVM per Worker");
      } catch (RuntimeException | Error e) {
        throw new AssertionError("cluster run failed; cluster logs:\n" + cluster.logTails(4000), e);
      } finally {
        ClusterSessions.stopSessions();
      }
    }

    // Each of the two executor JVMs loaded each of the two nets exactly once.
    Map<String, Integer> loads = clusterRun.modelLoads();
    Set<String> executors = new TreeSet<>();
    loads.keySet().forEach(k -> executors.add(k.substring(0, k.indexOf('/'))));
    assertEquals(2, executors.size(), "both executors ran tasks: " + loads);
    assertTrue(executors.stream().noneMatch(e -> e.equals("driver")), "no extraction on the driver: " + loads);
    for (String e : executors) {
      assertEquals(1, loads.get(e + "/alexnet-imagenet"), "loads " + loads);
      assertEquals(1, loads.get(e + "/squeezenet1_1-imagenet"), "loads " + loads);
    }
    assertEquals(4, loads.size(), "2 executors x 2 nets: " + loads);
    // References forwarded once per group in both modes: references + distorted images, per net.
    assertEquals(2L * (REFERENCES + pairs), clusterRun.forwardPasses());
    assertEquals(localRun.forwardPasses(), clusterRun.forwardPasses());

    assertEquals(expected.keySet(), actual.keySet());
    double worst = 0;
    for (Map.Entry<String, Double> e : expected.entrySet()) {
      double a = actual.get(e.getKey());
      assertEquals(e.getValue(), a, 1e-6, e.getKey());
      worst = Math.max(worst, Math.abs(e.getValue() - a));
    }
    System.out.printf("cluster vs local: %d distances, largest difference %.3g%n", expected.size(), worst);
  }

  /** The rows of the first {@code n} references of LIVE JPEG's dmos.csv, with absolute image paths. */
  private Path liveSubset(Path dmos, int n) throws Exception {
    List<String> lines = Files.readAllLines(dmos);
    Set<String> refs = new java.util.LinkedHashSet<>();
    List<String> out = new ArrayList<>(List.of(lines.get(0)));
    Path dir = dmos.getParent();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      if (refs.size() < n || refs.contains(f[1])) {
        refs.add(f[1]);
        out.add(dir.resolve(f[0]) + "," + dir.resolve(f[1]) + "," + f[2]);
      }
    }
    Path csv = Files.createDirectories(tmp.resolve("live-jpeg")).resolve("dmos.csv");
    Files.write(csv, out);
    return csv;
  }

  private static Map<String, Double> distances(SparkSession spark, OutputLayout out) {
    Map<String, Double> m = new HashMap<>();
    for (Row r : spark.read().parquet(out.table(OutputLayout.DISTANCES)).collectAsList()) {
      String key = r.getAs("net") + "|" + r.getAs("pair_id") + "|" + r.getAs("tap") + "|" + r.getAs("readout");
      assertNotNull(r.getAs("distance"), key);
      m.put(key, r.getAs("distance"));
    }
    return m;
  }
}
