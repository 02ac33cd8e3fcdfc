package org.perceptsweep.jobs.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.perceptsweep.core.UserInputException;

/**
 * {@code percept-sweep bench}: runs the benchmarks (each figure the median of several interleaved
 * rounds, each a ratio against a baseline measured in the same run), prints one Markdown table to
 * stdout, and with {@code writeDocs} replaces this run's sections of docs/benchmarks.md. The
 * pipeline is driven through the CLI entry point; the bare baselines use the udf classes directly.
 * The only Spark in here is reading the session's master and Hadoop configuration.
 */
public final class BenchJob {
  /** In run order; "torch" shares the decoded LIVE batches and bare loop with "pipeline". */
  public static final List<String> IDS = List.of(PipelineBench.ID_PIPELINE, PipelineBench.ID_TORCH, ReuseBench.ID,
      ClassicBench.ID, GrowthBench.ID, AggregationBench.ID, NetsBench.ID, SweepBench.ID);
  public static final String DOCS_PREAMBLE = "# Benchmarks\n\n"
      + "Written by `bin/percept-sweep bench --write-docs` (see `bin/percept-sweep bench --help`). Every figure is "
      + "the median of several timed rounds after a warm-up round; subject and baseline run interleaved in the "
      + "same JVM on the same machine, so their ratio is what to read (ratio > 1: the subject is better, except in "
      + "the growth rows, where it is time(kx) / time(1x)). Absolute figures depend on the machine and its load, "
      + "noted in each section. Sections are replaced one by one when a benchmark is rerun.\n";

  /**
   * @param only benchmarks to run (empty: all)
   * @param refs LIVE references for benchmarks 1-3 and growth's 1x references (0: the default of the mode)
   * @param runs timed rounds per figure
   * @param warmups untimed rounds before them
   * @param work scratch folder (null: a temporary one, deleted afterwards)
   * @param docs docs/benchmarks.md to update, or null
   * @param shared the shared models/data folder (null: ../shared next to the project)
   * @param command the command line, for the docs
   */
  public record Options(boolean quick, int refs, List<String> only, int runs, int warmups, Path work, Path docs, Path shared, String python,
      String command, List<String> nets) {
    public Options(boolean quick, int refs, List<String> only, int runs, int warmups, Path work, Path docs, Path shared,
        String python, String command) {
      this(quick, refs, only, runs, warmups, work, docs, shared, python, command, List.of());
    }
  }

  /** The benchmarks run, and the table as printed. */
  public record Report(List<BenchResult> results, String markdown) {}

  private BenchJob() {}

  public static Report run(SparkSession spark, Options options, PrintStream out, PrintStream log) throws Exception {
    Set<String> only = new LinkedHashSet<>();
    for (String o : options.only()) {
      for (String part : o.split(",")) {
        String id = part.trim().toLowerCase(Locale.ROOT);
        if (!IDS.contains(id)) {
          throw new UserInputException("--only " + part + " is not a benchmark: use one or more of "
              + String.join(", ", IDS));
        }
        only.add(id);
      }
    }
    if (only.isEmpty()) {
      only.addAll(IDS);
    }
    if (options.runs() < 1) {
      throw new UserInputException("--runs must be at least 1, got " + options.runs());
    }
    if (options.refs() < 0) {
      throw new UserInputException("--refs must be 1 or more LIVE references (0 or absent: all, or 1 with --quick), got "
          + options.refs());
    }
    if (options.warmups() < 0) {
      throw new UserInputException("--warmups must be 0 or more, got " + options.warmups());
    }
    String master = spark.sparkContext().master();
    int threads = localThreads(master);
    Path home = ProjectHome.find();
    Path shared = options.shared() != null ? options.shared()
        : home != null && Files.isDirectory(home.resolveSibling("shared")) ? home.resolveSibling("shared")
        : Files.isDirectory(Paths.get("../shared")) ? Paths.get("../shared").toAbsolutePath().normalize() : null;
    Path script = home == null ? null : home.resolve("tools/bench_torch.py");
    if (script != null && !Files.isRegularFile(script)) {
      script = null;
    }
    boolean temp = options.work() == null;
    Path work = temp ? Files.createTempDirectory("perceptsweep-bench-") : options.work().toAbsolutePath();
    Files.createDirectories(work);
    BenchContext ctx = new BenchContext(shared, work, options.runs(), options.warmups(), options.quick(), options.refs(), threads,
        master,
        spark.sparkContext().hadoopConfiguration(), options.python(), script, log::println, options.nets());
    log.printf("bench: %s, %d thread(s), %d runs + %d warm-up, shared %s, scratch %s%n", master, threads,
        options.runs(), options.warmups(), shared, work);

    List<BenchResult> results = new ArrayList<>();
    Map<String, String> sections = new LinkedHashMap<>();
    try {
      for (String id : IDS) {
        if (!only.contains(id) || (id.equals(PipelineBench.ID_TORCH) && only.contains(PipelineBench.ID_PIPELINE))) {
          continue;
        }
        double loadBefore = loadAverage();
        long t0 = System.nanoTime();
        List<BenchResult> got = switch (id) {
          case PipelineBench.ID_PIPELINE ->
              PipelineBench.run(ctx, true, only.contains(PipelineBench.ID_TORCH));
          case PipelineBench.ID_TORCH -> PipelineBench.run(ctx, false, true);
          case ReuseBench.ID -> List.of(ReuseBench.run(ctx));
          case ClassicBench.ID -> List.of(ClassicBench.run(ctx));
          case GrowthBench.ID -> List.of(GrowthBench.run(ctx));
          case AggregationBench.ID -> List.of(AggregationBench.run(ctx));
          case NetsBench.ID -> List.of(NetsBench.run(ctx));
          case SweepBench.ID -> List.of(SweepBench.run(ctx));
          default -> throw new IllegalStateException(id);
        };
        double minutes = (System.nanoTime() - t0) / 60e9;
        double loadAfter = loadAverage();
        Map<String, String> these = new LinkedHashMap<>();
        for (BenchResult r : got) {
          results.add(r);
          these.put(r.title(), BenchMarkdown.section(r, context(options, ctx, loadBefore, loadAfter, minutes)));
        }
        sections.putAll(these);
        if (options.docs() != null) {
          // after each benchmark, so that a long run interrupted later keeps what it measured
          writeDocs(options.docs(), these);
        }
      }
    } finally {
      if (temp) {
        GrowthBench.deleteTree(work);
      }
    }
    List<BenchRow> rows = new ArrayList<>();
    results.forEach(r -> rows.addAll(r.rows()));
    String table = BenchMarkdown.table(rows);
    out.print(table);
    for (BenchResult r : results) {
      for (String n : r.notes()) {
        if (n.startsWith("not measured") || n.contains("MISSED") || n.startsWith("Profile") || n.startsWith("Growth is")
            || n.startsWith("1 vs 2 Workers") || n.contains("Kernel share")) {
          out.println("- " + r.id() + ": " + n);
        }
      }
    }
    if (options.docs() != null) {
      out.println("wrote " + sections.size() + " section(s) of " + options.docs());
    }
    return new Report(results, table);
  }

  private static void writeDocs(Path docs, Map<String, String> sections) throws IOException {
    String existing = Files.exists(docs) ? Files.readString(docs, StandardCharsets.UTF_8) : "";
    Path parent = docs.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(docs, BenchMarkdown.merge(existing, DOCS_PREAMBLE, sections), StandardCharsets.UTF_8);
  }

  /** Task slots of a local master: local = 1, local[N] / local[N,F] = N, local[*] = the cores. */
  static int localThreads(String master) {
    Matcher m = Pattern.compile("local(?:\\[(\\*|\\d+)(?:,\\d+)?\\])?").matcher(master.trim());
    if (!m.matches()) {
      throw new UserInputException("bench measures this machine and needs a local master (local[1], local[2], "
          + "local[*]), but spark.master is " + master + "; run it with bin/percept-sweep, not spark-submit");
    }
    if (m.group(1) == null) {
      return 1;
    }
    return m.group(1).equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(m.group(1));
  }

  private static List<String> context(Options o, BenchContext ctx, double loadBefore, double loadAfter,
      double minutes) {
    List<String> c = new ArrayList<>();
    c.add("Date: " + ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z", Locale.ROOT)));
    c.add(String.format(Locale.ROOT, "Machine: %d cores (nproc), %s memory, Java %s (%s), Spark master %s",
        Runtime.getRuntime().availableProcessors(), memory(), System.getProperty("java.runtime.version"),
        System.getProperty("java.vm.name"), ctx.master()));
    c.add(String.format(Locale.ROOT, "Load average (1 min) %.1f before, %.1f after; this benchmark took %.1f min",
        loadBefore, loadAfter, minutes));
    c.add("Command: `" + o.command() + "`");
    return c;
  }

  static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static String memory() {
    try {
      for (String line : Files.readAllLines(Paths.get("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          long kb = Long.parseLong(line.replaceAll("\\D+", ""));
          return String.format(Locale.ROOT, "%.0f GiB", kb / 1024.0 / 1024.0);
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through
    }
    return "unknown";
  }

  /** The project folder (holds bin/percept-sweep and tools/), for the docs file, the script and ../shared. */
  static final class ProjectHome {
    private ProjectHome() {}

    static Path find() {
      String prop = System.getProperty("perceptsweep.home");
      if (prop != null && !prop.isBlank()) {
        return Paths.get(prop).toAbsolutePath().normalize();
      }
      Path p = Paths.get("").toAbsolutePath();
      Path found = upwards(p);
      if (found != null) {
        return found;
      }
      try {
        Path code = Paths.get(BenchJob.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return upwards(code);
      } catch (Exception e) {
        return null;
      }
    }

    private static Path upwards(Path start) {
      for (Path p = start; p != null; p = p.getParent()) {
        if (Files.isRegularFile(p.resolve("bin/percept-sweep")) && Files.isRegularFile(p.resolve("pom.xml"))) {
          return p;
        }
      }
      return null;
    }
  }

  /** For callers that want the doc path of the project found from here. */
  public static Path defaultDocs() {
    Path home = ProjectHome.find();
    if (home == null) {
      throw new UserInputException("cannot find the project folder (bin/percept-sweep and pom.xml) from "
          + Paths.get("").toAbsolutePath() + ": pass --docs FILE with --write-docs, or -Dperceptsweep.home=DIR");
    }
    return home.resolve("docs/benchmarks.md");
  }
}
