package org.perceptsweep.jobs.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.perceptsweep.jobs.DemoJob;
import org.perceptsweep.jobs.cluster.StandaloneCluster;

/**
 * The Workers half of benchmark 5: the same demo-style extract on a real standalone cluster
 * ({@link StandaloneCluster}: a Master and Worker JVMs on loopback, started from this JVM's
 * classpath) with 1 Worker vs 2 Workers of 1 core each. Both clusters run side by side and their
 * rounds interleave; each round is a fresh driver JVM ({@code PerceptSweepCli extract} with the
 * cluster's settings as system properties), so each time includes the driver's and the
 * executors' start, the same on both sides.
 */
final class WorkersBench {
  static final String ONE = "1 Worker (1 core)";
  static final String TWO = "2 Workers (1 core each)";
  private static final Pattern FORWARDS = Pattern.compile("(\\d+) forward passes");

  private WorkersBench() {}

  /** Rows and notes for 1 vs 2 Workers on {@code study}; raw figures appended to {@code raw}. */
  static BenchResult run(BenchContext ctx, SyntheticStudy study, String caseName, List<String> raw) throws Exception {
    ctx.log().accept("benchmark 5: starting two standalone clusters (Master + 1 Worker, Master + 2 Workers)");
    try (StandaloneCluster one = StandaloneCluster.start(1, 1, "1536m");
         StandaloneCluster two = StandaloneCluster.start(2, 1, "1536m")) {
      Path outOne = ctx.work().resolve("workers-1");
      Path outTwo = ctx.work().resolve("workers-2");
      study.manifest(outOne);
      study.manifest(outTwo);
      Rounds rounds = new Rounds();
      long[] forwards = {-1, -1};
      rounds.add(ONE, () -> {
        forwards[0] = extract(one, outOne, ctx);
        return study.pairs();
      });
      rounds.add(TWO, () -> {
        forwards[1] = extract(two, outTwo, ctx);
        return study.pairs();
      });
      rounds.run(ctx.warmups(), ctx.runs(), ctx.log());
      double t1 = rounds.medianSeconds(ONE);
      double t2 = rounds.medianSeconds(TWO);
      List<BenchRow> rows = List.of(new BenchRow("5 growth, Workers", caseName, TWO, t2, ONE, t1, "s", t1 / t2,
          Double.NaN, ctx.runs()));
      List<String> notes = new ArrayList<>();
      notes.add(String.format(Locale.ROOT, "1 vs 2 Workers (standalone cluster, extract only, %s): %.1f s vs %.1f s "
              + "median, speed-up %.2fx (2.00x would be perfect scaling; ratio here = time(1 Worker) / time(2 "
              + "Workers)); forward passes %d and %d.", caseName, t1, t2, t1 / t2, forwards[0], forwards[1]));
      raw.addAll(rounds.raw("Workers: "));
      return new BenchResult(GrowthBench.ID, GrowthBench.TITLE, rows, notes, List.of());
    }
  }

  /** One extract run on {@code cluster} by a driver JVM of its own; returns the forward passes it printed. */
  private static long extract(StandaloneCluster cluster, Path out, BenchContext ctx) throws IOException,
      InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    cmd.addAll(List.of(StandaloneCluster.jvmFlags().split(" ")));
    String log4j = System.getProperty("log4j2.configurationFile");
    if (log4j != null) {
      cmd.add("-Dlog4j2.configurationFile=" + log4j);
    }
    for (Map.Entry<String, String> e : cluster.appSettings().entrySet()) {
      cmd.add("-D" + e.getKey() + "=" + e.getValue());
    }
    cmd.add("-Dspark.app.name=percept-sweep bench workers");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("org.perceptsweep.jobs.cli.PerceptSweepCli");
    cmd.addAll(List.of("extract", "--out", out.toString(), "--readouts", DemoJob.DEFAULT_READOUTS));
    DemoJob.DEFAULT_NETS.forEach(n -> cmd.addAll(List.of("--net", n)));
    Path log = Files.createTempFile(ctx.work(), "workers-driver-", ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("OMP_NUM_THREADS", "1");
    Process p = pb.start();
    try {
      if (!p.waitFor(20, TimeUnit.MINUTES)) {
        throw new IllegalStateException("the cluster extract did not finish within 20 minutes; driver log " + log);
      }
      String text = Files.readString(log, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IllegalStateException("the cluster extract exited with " + p.exitValue() + ": "
            + text.strip().lines().reduce((a, b) -> b).orElse("") + "\n" + cluster.logTails(2000));
      }
      Matcher m = FORWARDS.matcher(text);
      Files.deleteIfExists(log);
      return m.find() ? Long.parseLong(m.group(1)) : -1;
    } finally {
      p.destroyForcibly();
    }
  }
}
