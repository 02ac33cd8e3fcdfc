package org.perceptsweep.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.perceptsweep.jobs.SparkTestSession;
import org.perceptsweep.jobs.cluster.AppJar;
import org.perceptsweep.jobs.cluster.ClusterSessions;
import org.perceptsweep.jobs.cluster.S3Server;
import org.perceptsweep.jobs.cluster.StandaloneCluster;
import org.perceptsweep.jobs.tables.OutputLayout;

/**
 * Issue 7 (start): {@code spark-submit} of the application to a real standalone cluster (one Master,
 * two Workers) runs {@code demo} with every output on a real S3-compatible server through {@code s3a:};
 * the tables written there are complete and right, and the S3 secret appears in no log. On the same
 * cluster (start-up paid once): a sweep file submitted with {@code spark-submit} (run record and
 * tables on s3a checked); a sweep over CMYK and YCCK JPEG pairs (issue 17: the image readers work in
 * the executors of the submitted application, with Pillow's pixels); then the first sweep with a
 * driver in this JVM while one Worker and its executor are killed with SIGKILL once an extract task
 * has finished: it completes with the submitted run's distances.
 */
class ClusterSubmitTest {
  @TempDir
  Path tmp;

  @Test
  void sparkSubmitRunsTheDemoOnTheClusterWithOutputsOnS3() throws Exception {
    try (S3Server s3 = S3Server.start(); StandaloneCluster cluster = StandaloneCluster.start(2, 1, "1536m")) {
      String bucket = s3.createBucket("study-" + UUID.randomUUID().toString().substring(0, 8));
      String out = bucket + "/demo";

      // Settings go in a properties file (as spark-defaults.conf would), so no key is on a command line.
      Path props = tmp.resolve("spark-submit.conf");
      List<String> lines = new ArrayList<>();
      s3.sparkSettings().forEach((k, v) -> lines.add(k + " " + v));
      lines.add("spark.executor.cores 1");
      lines.add("spark.executor.memory 1g");
      lines.add("spark.executor.extraJavaOptions " + StandaloneCluster.jvmFlags());
      lines.add("spark.executorEnv.OMP_NUM_THREADS 1");
      lines.add("spark.driver.host 127.0.0.1");
      lines.add("spark.driver.bindAddress 127.0.0.1");
      lines.add("spark.ui.enabled false");
      Files.write(props, lines, StandardCharsets.UTF_8);

      AppJar app = AppJar.forSubmit(cluster, Files.createDirectories(tmp.resolve("app")));
      List<String> args = new ArrayList<>(List.of("--deploy-mode", "client", "--properties-file", props.toString(),
          "--name", "percept-sweep demo (test)"));
      args.addAll(app.submitArgs());
      // The demo with two of its nets (a classic metric and the builtin DJL net) to keep the test short.
      args.addAll(List.of("demo", "--out", out, "--net", "psnr", "--net", "builtin:random-convnet"));
      Path log = tmp.resolve("spark-submit.log");
      StandaloneCluster.Submitted run = cluster.submit(args, log, 600_000);
      String context = "spark-submit (" + (app.shaded() ? "shaded jar " : "jar-less, primary ") + app.primary()
          + ") output:\n" + tail(run.output(), 6000) + "\ncluster logs:\n" + cluster.logTails(3000);
      assertEquals(0, run.exitCode(), context);
      assertTrue(run.output().contains("Agreement with the scores of synthetic (score: distortion_level)"), context);
      assertEquals(2, cluster.executorsLaunched(), "the work ran in the Workers' executors: " + context);

      // The tables are on the S3 server, complete: read them back through s3a from a local session.
      SparkSession spark = SparkTestSession.get();
      s3.configure(spark.sparkContext().hadoopConfiguration());
      try {
        OutputLayout layout = new OutputLayout(out);
        assertEquals(240, spark.read().parquet(layout.table("manifest")).count());
        Dataset<Row> d = spark.read().parquet(layout.table("distances"));
        assertEquals(240L * 9, d.count(), "psnr, random-convnet 4 taps x (l2, unit_l2)");
        assertEquals(2, d.select("net").distinct().count());
        assertEquals(0, d.filter("distance IS NULL OR isnan(distance)").count());
        Dataset<Row> c = spark.read().parquet(layout.table("correlations"));
        assertEquals(9L * 7, c.count(), "9 cells x (all + 6 distortions)");
        Row psnr = c.filter("net = 'psnr' AND distortion = 'gaussian_noise'").first();
        assertTrue(psnr.<Double>getAs("srocc") > 0.8, "psnr agrees with the noise level: " + psnr);
        assertEquals(-psnr.<Double>getAs("srocc"), psnr.<Double>getAs("srocc_signed"), 1e-12);
      } finally {
        s3.unconfigure(spark.sparkContext().hadoopConfiguration());
      }
      try (Stream<Path> objects = Files.walk(s3.bucketFolder(bucket.substring("s3a://".length())))) {
        assertTrue(objects.anyMatch(p -> p.toString().contains("/demo/correlations/") && p.toString().endsWith(".parquet")));
      }

      // 2. A sweep file submitted the same way: synthetic set, a classic metric and the builtin DJL net,
      // every output on s3a. Its distances are the clean run the fault test below compares with.
      Path sweep = tmp.resolve("sweep.yaml");
      Files.writeString(sweep, sweepYaml(bucket + "/sweep"));
      List<String> sweepArgs = new ArrayList<>(List.of("--deploy-mode", "client", "--properties-file",
          props.toString(), "--name", "percept-sweep sweep (test)"));
      sweepArgs.addAll(app.submitArgs());
      sweepArgs.addAll(List.of("sweep", sweep.toString(), "--quiet"));
      StandaloneCluster.Submitted sweepRun = cluster.submit(sweepArgs, tmp.resolve("spark-submit-sweep.log"), 600_000);
      String sweepContext = "spark-submit sweep output:\n" + tail(sweepRun.output(), 6000) + "\ncluster logs:\n"
          + cluster.logTails(3000);
      assertEquals(0, sweepRun.exitCode(), sweepContext);
      assertTrue(sweepRun.output().contains("2 cells ran, 0 skipped, 0 failed"), sweepContext);
      Map<String, Double> clean;
      s3.configure(spark.sparkContext().hadoopConfiguration());
      try {
        OutputLayout layout = new OutputLayout(bucket + "/sweep");
        clean = distances(spark, layout.table("distances"));
        assertEquals(54 * (1 + 4), clean.size(), "54 pairs x (psnr + random-convnet 4 taps x l2)");
        assertEquals(54, spark.read().parquet(layout.table("manifest")).count());
        assertEquals(5L * 4, spark.read().parquet(layout.table("correlations")).count(), "5 cells x (all + 3 distortions)");
        // The run record: JSON on s3a and the runs table, both saying what ran.
        org.apache.hadoop.fs.Path runs = new org.apache.hadoop.fs.Path(layout.root(), "runs");
        org.apache.hadoop.fs.FileSystem fs = runs.getFileSystem(spark.sparkContext().hadoopConfiguration());
        org.apache.hadoop.fs.FileStatus[] json = fs.globStatus(new org.apache.hadoop.fs.Path(runs, "*.json"));
        assertEquals(1, json.length, "one run record");
        Map<?, ?> record;
        try (var in = fs.open(json[0].getPath())) {
          record = new com.fasterxml.jackson.databind.ObjectMapper().readValue((java.io.InputStream) in, Map.class);
        }
        assertEquals(2, ((Number) record.get("cells_ran")).intValue(), record.toString());
        assertEquals(0, ((Number) record.get("cells_skipped")).intValue());
        for (Object line : (List<?>) record.get("reconciliation")) {
          Map<?, ?> l = (Map<?, ?>) line;
          assertEquals(54, ((Number) l.get("manifest_pairs")).intValue(), l.toString());
          assertEquals(Boolean.TRUE, l.get("accounted"), l.toString());
        }
        assertEquals(List.of("ran"), ((List<?>) record.get("aggregate")).stream()
            .map(a -> ((Map<?, ?>) a).get("status")).toList());
        assertFalse(record.toString().contains(s3.secretKeyForLeakChecks()), "no secret in the run record");
      } finally {
        s3.unconfigure(spark.sparkContext().hadoopConfiguration());
      }

      // 2b. CMYK JPEGs under spark-submit (issue 17): a reference CMYK JPEG (Adobe APP14) against a YCCK
      // one and a YCCK one without its APP14 marker, measured by psnr in the executors. The distances
      // equal PSNR computed here from Pillow's RGB of the same files (the decoder's fixtures).
      Path cmyk = Files.createDirectories(tmp.resolve("cmyk"));
      copyDecodeFixture("jpeg-cmyk-adobe.jpg", cmyk.resolve("ref.jpg"));
      copyDecodeFixture("jpeg-ycck-adobe.jpg", cmyk.resolve("ycck.jpg"));
      copyDecodeFixture("jpeg-ycck-noadobe.jpg", cmyk.resolve("ycck-no-app14.jpg"));
      Files.writeString(cmyk.resolve("pairs.csv"), "dist,ref,score\nycck.jpg,ref.jpg,1.5\nycck-no-app14.jpg,ref.jpg,4.0\n");
      Files.writeString(cmyk.resolve("sweep.yaml"), String.join("\n", "out: " + cmyk.resolve("out"),
          "datasets: [{adapter: csv, root: pairs.csv, name: cmyk, higher_is_better: false}]",
          "nets: [{spec: psnr}]", "aggregate: {resamples: 20}", ""));
      List<String> cmykArgs = new ArrayList<>(List.of("--deploy-mode", "client", "--properties-file",
          props.toString(), "--name", "percept-sweep cmyk (test)"));
      cmykArgs.addAll(app.submitArgs());
      cmykArgs.addAll(List.of("sweep", cmyk.resolve("sweep.yaml").toString(), "--quiet"));
      StandaloneCluster.Submitted cmykRun = cluster.submit(cmykArgs, tmp.resolve("spark-submit-cmyk.log"), 600_000);
      String cmykContext = "spark-submit cmyk sweep output:\n" + tail(cmykRun.output(), 6000) + "\ncluster logs:\n"
          + cluster.logTails(3000);
      assertEquals(0, cmykRun.exitCode(), cmykContext);
      assertTrue(cmykRun.output().contains("1 cells ran, 0 skipped, 0 failed"), cmykContext);
      Map<String, Double> cmykDistances = distances(spark, cmyk.resolve("out/distances").toString());
      assertEquals(2, cmykDistances.size(), cmykDistances.toString());
      double ycck = pillowPsnr("jpeg-cmyk-adobe.jpg", "jpeg-ycck-adobe.jpg");
      double ycckNoApp14 = pillowPsnr("jpeg-cmyk-adobe.jpg", "jpeg-ycck-noadobe.jpg");
      System.out.println("cmyk pairs under spark-submit: psnr " + cmykDistances + "; from Pillow's RGB: " + ycck + ", "
          + ycckNoApp14);
      assertEquals(ycck, cmykDistances.get("psnr|ycck.jpg|image|psnr"), 1e-5, cmykContext);
      assertEquals(ycckNoApp14, cmykDistances.get("psnr|ycck-no-app14.jpg|image|psnr"), 1e-5, cmykContext);

      // 3. The same sweep with a driver in this JVM; one Worker and its executor are killed (SIGKILL)
      // once extract tasks are running. Spark re-runs the lost work on the other Worker; the tables
      // equal the clean run's.
      workerKilledMidExtract(cluster, clean);

      // Credentials never logged: not by spark-submit, the Master, the Workers, the executors or the server.
      String secret = s3.secretKeyForLeakChecks();
      assertFalse(run.output().contains(secret), "spark-submit output shows the S3 secret");
      assertFalse(sweepRun.output().contains(secret), "spark-submit output of the sweep shows the S3 secret");
      for (Path f : cluster.logFiles()) {
        assertFalse(Files.readString(f, StandardCharsets.UTF_8).contains(secret), "the S3 secret is in " + f);
      }
      assertFalse(Files.readString(s3.log(), StandardCharsets.UTF_8).contains(secret), "the S3 secret is in the server log");
    }
  }

  private static String sweepYaml(String out) {
    return String.join("\n",
        "out: " + out,
        "datasets: [{adapter: synthetic, seed: 3, references: 6, size: 128, levels: 3, distortions: [gaussian_noise, gaussian_blur, jpeg]}]",
        "nets:",
        "  - spec: psnr",
        "  - spec: builtin:random-convnet",
        "    readouts: [l2]",
        "aggregate: {resamples: 20}",
        "");
  }

  private void workerKilledMidExtract(StandaloneCluster cluster, Map<String, Double> clean) throws Exception {
    ClusterSessions.stopSessions();
    SparkSession.Builder b = SparkSession.builder().appName("sweep with a worker killed (test)");
    cluster.appSettings().forEach(b::config);
    // Both are Spark's defaults, stated because the test depends on them: a task may fail 4 times
    // (an executor lost counts once), and no executor or node is excluded after a failure.
    b.config("spark.task.maxFailures", "4").config("spark.excludeOnFailure.enabled", "false");
    SparkSession spark = b.getOrCreate();
    KillOnExtract killer = new KillOnExtract(cluster);
    try {
      ClusterSessions.awaitExecutors(spark, 2);
      spark.sparkContext().addSparkListener(killer);
      Path file = tmp.resolve("sweep-killed.yaml");
      Files.writeString(file, sweepYaml(tmp.resolve("killed").toString()));
      java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
      org.perceptsweep.jobs.sweep.SweepJob.Result r = org.perceptsweep.jobs.sweep.SweepJob.run(spark, file.toString(),
          new org.perceptsweep.jobs.sweep.SweepJob.Options(false, true, null),
          new java.io.PrintStream(buf, true, StandardCharsets.UTF_8));
      String console = buf.toString(StandardCharsets.UTF_8);
      System.out.print(console);
      System.out.println("killed " + killer.killed + "; extract tasks ended after the kill: " + killer.tasksAfterKill.get()
          + ", failed: " + killer.failedAfterKill.get() + ", executors removed: " + killer.executorsRemoved.get());
      assertTrue(killer.killed != null, "no extract task ran on an executor: nothing was killed");
      assertFalse(cluster.worker(killer.worker).isAlive(), "the Worker was killed");
      assertTrue(killer.tasksAfterKill.get() >= 1, "extract was still running when the Worker died");
      assertTrue(killer.executorsRemoved.get() >= 1, "the driver saw the executor go");
      assertEquals(0, r.exitCode(), console);
      assertEquals(2, r.record().count("ran"), console);
      for (org.perceptsweep.jobs.sweep.Reconciliation.Line l : r.record().reconciliation()) {
        assertTrue(l.accounted(), l.toString());
      }
      Map<String, Double> actual = distances(spark, tmp.resolve("killed/distances").toString());
      assertEquals(clean.keySet(), actual.keySet());
      clean.forEach((k, v) -> assertEquals(v, actual.get(k), 1e-6, k));
    } catch (RuntimeException | Error e) {
      throw new AssertionError("sweep with a killed worker failed; cluster logs:\n" + cluster.logTails(3000), e);
    } finally {
      spark.sparkContext().removeSparkListener(killer);
      ClusterSessions.stopSessions();
    }
  }

  /**
   * Kills the Worker (and its executor) that ran the first finished extract task (a task whose
   * forward_passes accumulator moved), then counts the tasks that end after the kill.
   */
  private static final class KillOnExtract extends org.apache.spark.scheduler.SparkListener {
    private final StandaloneCluster cluster;
    volatile String killed;
    volatile int worker = -1;
    final java.util.concurrent.atomic.AtomicInteger tasksAfterKill = new java.util.concurrent.atomic.AtomicInteger();
    final java.util.concurrent.atomic.AtomicInteger failedAfterKill = new java.util.concurrent.atomic.AtomicInteger();
    final java.util.concurrent.atomic.AtomicInteger executorsRemoved = new java.util.concurrent.atomic.AtomicInteger();

    KillOnExtract(StandaloneCluster cluster) {
      this.cluster = cluster;
    }

    @Override
    public void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd end) {
      boolean extract = scala.jdk.javaapi.CollectionConverters.asJava(end.taskInfo().accumulables()).stream()
          .anyMatch(a -> a.name().isDefined() && a.name().get().equals("forward_passes")
              && a.update().isDefined() && ((Number) a.update().get()).longValue() > 0);
      if (!extract) {
        if (killed != null && !end.taskInfo().successful()) {
          failedAfterKill.incrementAndGet();
        }
        return;
      }
      if (killed != null) {
        tasksAfterKill.incrementAndGet();
        return;
      }
      String executor = end.taskInfo().executorId();
      int w = cluster.workerOfExecutor(executor);
      if (w < 0) {
        return;
      }
      worker = w;
      killed = "worker-" + w + " (executor " + executor + ", pids " + cluster.killWorker(w) + ")";
    }

    @Override
    public void onExecutorRemoved(org.apache.spark.scheduler.SparkListenerExecutorRemoved removed) {
      executorsRemoved.incrementAndGet();
    }
  }

  private static Map<String, Double> distances(SparkSession spark, String table) {
    Map<String, Double> m = new java.util.HashMap<>();
    for (Row r : spark.read().parquet(table).collectAsList()) {
      String key = r.getAs("net") + "|" + r.getAs("pair_id") + "|" + r.getAs("tap") + "|" + r.getAs("readout");
      assertEquals(null, m.put(key, r.<Double>getAs("distance")), "duplicate row " + key);
    }
    return m;
  }



  private static byte[] decodeFixture(String name) throws java.io.IOException {
    try (java.io.InputStream in = ClusterSubmitTest.class.getResourceAsStream("/decode/" + name)) {
      assertTrue(in != null, "core's test resource decode/" + name);
      return in.readAllBytes();
    }
  }

  private static void copyDecodeFixture(String name, Path to) throws java.io.IOException {
    Files.write(to, decodeFixture(name));
  }

  /** PSNR (RGB, data range 255) of Pillow's convert("RGB") of two fixtures, from their stored arrays. */
  private static double pillowPsnr(String ref, String dist) throws java.io.IOException {
    byte[] a = decodeFixture(ref + ".rgb");
    byte[] b = decodeFixture(dist + ".rgb");
    assertEquals(a.length, b.length);
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      double d = (a[i] & 0xff) - (b[i] & 0xff);
      sum += d * d;
    }
    return 10 * Math.log10(255.0 * 255.0 / (sum / a.length));
  }

  private static String tail(String s, int n) {
    return s.length() <= n ? s : s.substring(s.length() - n);
  }
}
