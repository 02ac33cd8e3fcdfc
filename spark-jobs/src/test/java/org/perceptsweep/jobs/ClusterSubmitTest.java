package org.perceptsweep.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.perceptsweep.jobs.cluster.AppJar;
import org.perceptsweep.jobs.cluster.S3Server;
import org.perceptsweep.jobs.cluster.StandaloneCluster;

/**
 * Issue 7 (start): {@code spark-submit} of the application to a real standalone cluster (one Master,
 * two Workers) runs {@code demo} with every output on a real S3-compatible server through {@code s3a:};
 * the tables written there are complete and right, and the S3 secret appears in no log.
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

      // Credentials never logged: not by spark-submit, the Master, the Workers, the executors or the server.
      String secret = s3.secretKeyForLeakChecks();
      assertFalse(run.output().contains(secret), "spark-submit output shows the S3 secret");
      for (Path f : cluster.logFiles()) {
        assertFalse(Files.readString(f, StandardCharsets.UTF_8).contains(secret), "the S3 secret is in " + f);
      }
      assertFalse(Files.readString(s3.log(), StandardCharsets.UTF_8).contains(secret), "the S3 secret is in the server log");
    }
  }

  private static String tail(String s, int n) {
    return s.length() <= n ? s : s.substring(s.length() - n);
  }
}
