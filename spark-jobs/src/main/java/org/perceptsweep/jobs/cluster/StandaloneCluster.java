package org.perceptsweep.jobs.cluster;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Spark standalone cluster on this machine (for the cluster tests and the growth benchmark's
 * 1 vs 2 Workers), without a Spark distribution: one Master and N Worker
 * JVMs started with {@code java -cp} from the Maven-resolved jars, on loopback, on free ports.
 *
 * <p>The classpath of this JVM is split in two. The application's own classpath (the project's modules and
 * their compile/runtime dependencies: DJL, hadoop-aws, the AWS SDK, ...; listed by the build in
 * {@code target/test-tools/app-classpath.txt}; without that file, as from {@code bin/percept-sweep},
 * the classpath entries that are not in the Maven repository or that only an application brings,
 * see {@link #APP_ONLY}) is what an application brings; every other jar on the
 * test classpath (Spark, Scala, Hadoop client, ...) plays the installed Spark: a fake
 * {@code SPARK_HOME} whose {@code jars/} folder holds symlinks to them, as a real distribution's does.
 * Executors therefore see the application only through what the application ships
 * ({@link #appClasspath()} as {@code spark.executor.extraClassPath}, or {@code spark-submit}'s jars).
 *
 * <p>{@link #close()} stops every JVM it started (also on test-JVM exit) and deletes its folder.
 */
public final class StandaloneCluster implements AutoCloseable {
  /** System property (set by spark-jobs/pom.xml): file listing the application's classpath. */
  public static final String APP_CLASSPATH_PROPERTY = "perceptsweep.app.classpath";
  /** System property (set by spark-jobs/pom.xml): spark-jobs' own classes folder. */
  public static final String APP_CLASSES_PROPERTY = "perceptsweep.app.classes";

  private final Path dir;
  private final Path sparkHome;
  private final int masterPort;
  private final int masterWebPort;
  private final List<Process> processes = new ArrayList<>();
  private final List<Path> logs = new ArrayList<>();
  private final List<Path> workDirs = new ArrayList<>();
  private final List<String> appClasspath;

  private StandaloneCluster(Path dir, Path sparkHome, List<String> appClasspath) {
    this.dir = dir;
    this.sparkHome = sparkHome;
    this.appClasspath = appClasspath;
    this.masterPort = ClusterFiles.freePort();
    this.masterWebPort = ClusterFiles.freePort();
  }

  /**
   * Starts a Master and {@code workers} Workers (each offering {@code coresPerWorker} cores and
   * {@code workerMemory}, e.g. "1536m") and waits (at most 120 s) until all Workers have registered.
   */
  public static StandaloneCluster start(int workers, int coresPerWorker, String workerMemory) {
    StandaloneCluster cluster = null;
    try {
      Path dir = Files.createTempDirectory("perceptsweep-cluster-");
      List<String> app = readAppClasspath();
      Path sparkHome = fakeSparkHome(dir.resolve("spark-home"), sparkJars(app));
      cluster = new StandaloneCluster(dir, sparkHome, app);
      cluster.launch("master", "org.apache.spark.deploy.master.Master", List.of(
          "--host", "127.0.0.1", "--port", String.valueOf(cluster.masterPort),
          "--webui-port", String.valueOf(cluster.masterWebPort)));
      cluster.awaitMaster(60_000);
      for (int i = 0; i < workers; i++) {
        Path work = Files.createDirectories(dir.resolve("worker-" + i + "-work"));
        cluster.workDirs.add(work);
        cluster.launch("worker-" + i, "org.apache.spark.deploy.worker.Worker", List.of(
            "--host", "127.0.0.1", "--port", String.valueOf(ClusterFiles.freePort()),
            "--webui-port", String.valueOf(ClusterFiles.freePort()),
            "--cores", String.valueOf(coresPerWorker), "--memory", workerMemory,
            "--work-dir", work.toString(), cluster.masterUrl()));
      }
      cluster.awaitWorkers(workers, 120_000);
      return cluster;
    } catch (IOException | RuntimeException e) {
      if (cluster != null) {
        String logs = cluster.logTails(3000);
        cluster.close();
        throw new IllegalStateException("the test cluster did not start: " + e.getMessage() + "\n" + logs, e);
      }
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
  }

  public String masterUrl() {
    return "spark://127.0.0.1:" + masterPort;
  }

  public String masterWebUrl() {
    return "http://127.0.0.1:" + masterWebPort;
  }

  public Path sparkHome() {
    return sparkHome;
  }

  /** The classpath of the installed Spark: {@code SPARK_HOME/jars/*}. */
  public String sparkClasspath() {
    return sparkHome.resolve("jars") + File.separator + "*";
  }

  /** The application's classpath entries (module jars or classes folders, and their dependencies). */
  public List<String> appClasspath() {
    return appClasspath;
  }

  /**
   * JVM flags for executors and drivers: the test JVM's own module opens and DJL settings (offline,
   * one libtorch thread), as the surefire argLine gives them.
   */
  public static String jvmFlags() {
    List<String> keep = new ArrayList<>();
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-opens") || a.startsWith("--add-exports") || a.equals("-XX:+IgnoreUnrecognizedVMOptions")
          || a.startsWith("-Djdk.reflect.") || a.startsWith("-Dio.netty.") || a.startsWith("-Dai.djl.")) {
        keep.add(a);
      }
    }
    if (keep.stream().noneMatch(a -> a.startsWith("-Dai.djl.offline"))) {
      keep.add("-Dai.djl.offline=true");
    }
    return String.join(" ", keep);
  }

  /**
   * Spark settings for an application on this cluster: the master, small executors (1 core, 1 GiB
   * heap each), the application classpath and JVM flags for executors, and a loopback driver.
   */
  public Map<String, String> appSettings() {
    Map<String, String> m = new java.util.LinkedHashMap<>();
    m.put("spark.master", masterUrl());
    m.put("spark.executor.cores", "1");
    m.put("spark.executor.memory", "1g");
    m.put("spark.executor.extraClassPath", String.join(File.pathSeparator, appClasspath));
    m.put("spark.executor.extraJavaOptions", jvmFlags());
    m.put("spark.executorEnv.OMP_NUM_THREADS", "1");
    m.put("spark.executorEnv.TORCH_CPP_LOG_LEVEL", "ERROR"); // libtorch's own warnings off (udf TorchLogging)
    m.put("spark.driver.host", "127.0.0.1");
    m.put("spark.driver.bindAddress", "127.0.0.1");
    m.put("spark.ui.enabled", "false");
    m.put("spark.executor.heartbeatInterval", "2s"); // as SparkSessions sets it: the console's progress pace
    m.put("spark.sql.sources.partitionOverwriteMode", "dynamic");
    m.put("spark.sql.shuffle.partitions", "8");
    return m;
  }

  /** Master, Worker and executor logs (executor stdout/stderr under the Workers' work folders). */
  public List<Path> logFiles() {
    List<Path> all = new ArrayList<>(logs);
    for (Path work : workDirs) {
      try (Stream<Path> s = Files.walk(work)) {
        s.filter(p -> Files.isRegularFile(p) && (p.getFileName().toString().equals("stderr")
            || p.getFileName().toString().equals("stdout"))).forEach(all::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return all;
  }

  /** Number of executor folders the Workers created (one per executor JVM launched). */
  public int executorsLaunched() {
    int n = 0;
    for (Path work : workDirs) {
      try (Stream<Path> apps = Files.list(work)) {
        for (Path app : apps.filter(Files::isDirectory).toList()) {
          try (Stream<Path> execs = Files.list(app)) {
            n += (int) execs.filter(Files::isDirectory).count();
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return n;
  }

  /** The index of the Worker (0-based) whose work folder holds the executor {@code executorId}, or -1. */
  public int workerOfExecutor(String executorId) {
    for (int i = 0; i < workDirs.size(); i++) {
      try (Stream<Path> apps = Files.list(workDirs.get(i))) {
        for (Path app : apps.filter(Files::isDirectory).toList()) {
          if (Files.isDirectory(app.resolve(executorId))) {
            return i;
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return -1;
  }

  /** The process of Worker {@code index} (its executors are its child processes). */
  public Process worker(int index) {
    return processes.get(1 + index); // the Master was launched first
  }

  /**
   * Kills Worker {@code index} and its process tree (its executor JVMs) with SIGKILL, as a machine
   * failure would: no shutdown hook runs, nothing is deregistered. Returns the PIDs killed.
   */
  public List<Long> killWorker(int index) {
    Process w = worker(index);
    List<ProcessHandle> tree = new ArrayList<>();
    w.descendants().forEach(tree::add);
    tree.add(w.toHandle());
    List<Long> pids = new ArrayList<>();
    for (ProcessHandle h : tree) {
      pids.add(h.pid());
      h.destroyForcibly();
    }
    for (ProcessHandle h : tree) {
      try {
        h.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("process " + h.pid() + " of worker-" + index + " did not die: " + e, e);
      }
    }
    return pids;
  }

  public String logTails(int charsEach) {
    StringBuilder sb = new StringBuilder();
    for (Path log : logFiles()) {
      sb.append("--- ").append(log).append('\n').append(ClusterFiles.tail(log, charsEach)).append('\n');
    }
    return sb.toString();
  }

  /** The Master's JSON status page (workers, cores, running applications). */
  public String masterJson() throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create(masterWebUrl() + "/json/").toURL().openConnection();
    c.setConnectTimeout(1000);
    c.setReadTimeout(5000);
    try (var in = c.getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } finally {
      c.disconnect();
    }
  }

  /** What a {@code spark-submit} run printed, and its exit code. */
  public record Submitted(int exitCode, String output) {}

  /**
   * Runs {@code spark-submit} ({@code org.apache.spark.deploy.SparkSubmit} in a JVM of its own, on the
   * installed Spark's classpath only) against this cluster: {@code --master} is this cluster's, the
   * rest of the arguments are the caller's. Output (stdout and stderr) goes to {@code log}.
   */
  public Submitted submit(List<String> args, Path log, long timeoutMs) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ClusterFiles.javaExecutable());
    cmd.add("-Xmx1g");
    cmd.addAll(List.of(jvmFlags().split(" ")));
    cmd.add("-cp");
    cmd.add(sparkClasspath());
    cmd.add("org.apache.spark.deploy.SparkSubmit");
    cmd.add("--master");
    cmd.add(masterUrl());
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    environment(pb.environment());
    Process p = pb.start();
    ClusterFiles.stopOnExit(p);
    try {
      if (!p.waitFor(timeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS)) {
        ClusterFiles.stop(p);
        return new Submitted(-1, Files.readString(log, StandardCharsets.UTF_8) + "\n[killed after " + timeoutMs + " ms]");
      }
      return new Submitted(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      ClusterFiles.stop(p);
    }
  }

  /** The environment a cluster JVM (Master, Worker, and through it each executor) runs with. */
  Map<String, String> environment(Map<String, String> env) {
    env.put("SPARK_HOME", sparkHome.toString());
    env.put("SPARK_SCALA_VERSION", "2.13");
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("SPARK_LOG_DIR", dir.resolve("logs").toString());
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("OMP_NUM_THREADS", "1");
    env.put("TORCH_CPP_LOG_LEVEL", "ERROR");
    env.remove("SPARK_CONF_DIR");
    env.remove("HADOOP_CONF_DIR");
    env.remove("SPARK_DIST_CLASSPATH");
    return env;
  }

  private void launch(String name, String mainClass, List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ClusterFiles.javaExecutable());
    cmd.add("-Xmx256m");
    cmd.addAll(List.of(jvmFlags().split(" ")));
    // No fixed ports: the Master's REST submission server would take 6066 (clusters of parallel builds).
    cmd.add("-Dspark.master.rest.enabled=false");
    cmd.add("-cp");
    cmd.add(sparkClasspath());
    cmd.add(mainClass);
    cmd.addAll(args);
    Path log = dir.resolve(name + ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    environment(pb.environment());
    Process p = pb.start();
    ClusterFiles.stopOnExit(p);
    processes.add(p);
    logs.add(log);
  }

  private void awaitMaster(long timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < deadline) {
      checkAlive();
      try {
        masterJson();
        return;
      } catch (IOException notYet) {
        ClusterFiles.sleep(200);
      }
    }
    throw new IllegalStateException("the Master's web UI did not answer at " + masterWebUrl() + " within " + timeoutMs + " ms");
  }

  private static final Pattern ALIVE_WORKERS = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)");

  private void awaitWorkers(int expected, long timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    int alive = 0;
    while (System.currentTimeMillis() < deadline) {
      checkAlive();
      try {
        Matcher m = ALIVE_WORKERS.matcher(masterJson());
        alive = m.find() ? Integer.parseInt(m.group(1)) : 0;
        if (alive >= expected) {
          return;
        }
      } catch (IOException ignored) {
        // retry
      }
      ClusterFiles.sleep(300);
    }
    throw new IllegalStateException(alive + " of " + expected + " Workers registered within " + timeoutMs + " ms");
  }

  private void checkAlive() {
    for (int i = 0; i < processes.size(); i++) {
      if (!processes.get(i).isAlive()) {
        throw new IllegalStateException(logs.get(i).getFileName() + " exited with code " + processes.get(i).exitValue());
      }
    }
  }

  @Override
  public void close() {
    // Workers first (they stop their executors), then the Master.
    for (int i = processes.size() - 1; i >= 0; i--) {
      ClusterFiles.stop(processes.get(i));
    }
    processes.clear();
    ClusterFiles.deleteRecursively(dir);
  }

  private static List<String> readAppClasspath() throws IOException {
    String file = System.getProperty(APP_CLASSPATH_PROPERTY);
    Path p = file != null ? Paths.get(file) : Paths.get("target", "test-tools", "app-classpath.txt").toAbsolutePath();
    if (file == null && !Files.isRegularFile(p)) {
      return appClasspathOfThisJvm();
    }
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException(p + " is missing: run the tests through Maven (mvn test writes it in "
          + "generate-test-resources) or set -D" + APP_CLASSPATH_PROPERTY + "=FILE");
    }
    Set<String> entries = new LinkedHashSet<>();
    String classes = System.getProperty(APP_CLASSES_PROPERTY);
    entries.add(classes != null ? classes : Paths.get("target", "classes").toAbsolutePath().toString());
    for (String e : Files.readString(p, StandardCharsets.UTF_8).trim().split(File.pathSeparator)) {
      if (!e.isBlank()) {
        entries.add(e);
      }
    }
    return List.copyOf(entries);
  }

  /**
   * The application part of this JVM's classpath (the launcher's: the spark-jobs jar, then its
   * dependencies from the Maven repository): entries outside the Maven repository (the project's
   * own jars or classes folders, spark-jobs' first) and the application-only libraries.
   */
  private static List<String> appClasspathOfThisJvm() {
    List<String> own = new ArrayList<>();
    List<String> libs = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (e.isBlank()) {
        continue;
      }
      String unix = Paths.get(e).toAbsolutePath().normalize().toString().replace('\\', '/');
      if (!unix.contains("/.m2/")) {
        own.add(e);
      } else if (APP_ONLY.stream().anyMatch(unix::contains)) {
        libs.add(e);
      }
    }
    own.sort(java.util.Comparator.comparing((String e) -> !e.contains("spark-jobs")));
    if (own.isEmpty() || !own.get(0).contains("spark-jobs")) {
      throw new IllegalStateException("cannot tell the application's classpath from this JVM's (" + own
          + "): run through bin/percept-sweep, or set -D" + APP_CLASSPATH_PROPERTY + "=FILE");
    }
    List<String> all = new ArrayList<>(own);
    all.addAll(libs);
    return List.copyOf(all);
  }

  /**
   * Jars only the application brings (no Spark distribution has them): the project's modules, DJL
   * and JNA, hadoop-aws and the AWS SDK, picocli, commons-csv. Libraries that both sides use (slf4j,
   * commons-io, ...) stay in the installed Spark, as in a real distribution.
   */
  private static final List<String> APP_ONLY = List.of("/org/perceptsweep/", "/ai/djl/", "/net/java/dev/jna/",
      "/org/apache/hadoop/hadoop-aws/", "/software/amazon/", "/org/wildfly/", "/info/picocli/",
      "/org/apache/commons/commons-csv/");

  /** The test classpath's jars that play the installed Spark: all but the application-only ones. */
  private static List<Path> sparkJars(List<String> app) {
    Set<String> appModules = new HashSet<>();
    for (String e : app) {
      Path p = Paths.get(e).toAbsolutePath().normalize();
      if (!p.toString().contains("/.m2/")) {
        appModules.add(p.toString()); // a sibling module's jar or classes folder in a reactor build
      }
    }
    List<Path> jars = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Paths.get(e).toAbsolutePath().normalize();
      String unix = p.toString().replace('\\', '/');
      if (e.endsWith(".jar") && Files.isRegularFile(p) && !appModules.contains(p.toString())
          && APP_ONLY.stream().noneMatch(unix::contains) && !p.getFileName().toString().startsWith("surefire")) {
        jars.add(p);
      }
    }
    if (jars.stream().noneMatch(j -> j.getFileName().toString().startsWith("spark-core_"))) {
      throw new IllegalStateException("no spark-core jar on the test classpath (" + jars.size() + " jars): "
          + jars.stream().map(Path::toString).limit(5).collect(Collectors.joining(", ")));
    }
    return jars;
  }

  private static Path fakeSparkHome(Path home, List<Path> jars) throws IOException {
    Path dir = Files.createDirectories(home.resolve("jars"));
    Set<String> names = new HashSet<>();
    for (Path jar : jars) {
      String name = jar.getFileName().toString();
      if (!names.add(name)) {
        name = names.size() + "-" + name;
        names.add(name);
      }
      Files.createSymbolicLink(dir.resolve(name), jar);
    }
    return home;
  }
}
