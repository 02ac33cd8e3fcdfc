package org.perceptsweep.jobs.progress;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.perceptsweep.jobs.extract.ExtractProgress;
import scala.Tuple4;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Progress on the console while Spark works: during an extract, pairs done of the total per net
 * (from {@link ExtractProgress}'s accumulators: running tasks' values arrive with each executor
 * heartbeat, finished tasks' with their end), with a rate and an ETA; during a sweep also the cells
 * done; otherwise Spark tasks done.
 *
 * <p>Modes ({@value #MODE_PROPERTY}): {@code bar}, one line redrawn in place every second (a
 * terminal); {@code lines}, a plain line every {@value #SECONDS_PROPERTY} seconds (default 5) when
 * something moved (a file, a CI log); {@code off}. Unset: {@code bar} when the JVM has a console,
 * else {@code lines}; {@code bin/percept-sweep} sets it from whether stderr is a terminal.
 */
public final class ConsoleProgress extends SparkListener implements AutoCloseable {
  public static final String MODE_PROPERTY = "perceptsweep.progress";
  public static final String SECONDS_PROPERTY = "perceptsweep.progress.seconds";

  enum Mode { BAR, LINES, OFF }

  private final SparkContext sc;
  private final PrintStream console;
  private final Mode mode;
  private final long start = System.nanoTime();
  private final ScheduledExecutorService timer;

  private int cellsDone;
  private int cellsTotal;
  private String stage;
  private long tasksDone;
  private long tasksSubmitted;
  private String extractId;
  private String label;
  private long pairs;
  private long extractStart;
  private long extractDone;
  /** Per net, the pairs of finished tasks; and of running tasks, by task id, as last heard. */
  private final Map<String, Long> finished = new LinkedHashMap<>();
  private final Map<Long, Map<String, Long>> running = new HashMap<>();
  private boolean barShown;
  private String lastLine;

  private ConsoleProgress(SparkContext sc, PrintStream console, Mode mode, double seconds) {
    this.sc = sc;
    this.console = console;
    this.mode = mode;
    if (mode == Mode.OFF) {
      timer = null;
      return;
    }
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "perceptsweep-progress");
      t.setDaemon(true);
      return t;
    });
    long period = mode == Mode.BAR ? 1000 : Math.max(1, Math.round(seconds * 1000));
    timer.scheduleAtFixedRate(this::draw, period, period, TimeUnit.MILLISECONDS);
    sc.addSparkListener(this);
  }

  /** Starts showing progress on {@code console} (stderr); {@code quiet} shows nothing. */
  public static ConsoleProgress start(SparkContext sc, PrintStream console, boolean quiet) {
    Mode mode = quiet ? Mode.OFF : mode(System.getProperty(MODE_PROPERTY), System.console() != null);
    double seconds = 5;
    String s = System.getProperty(SECONDS_PROPERTY);
    if (s != null && !s.isBlank()) {
      seconds = Double.parseDouble(s.trim());
    }
    return new ConsoleProgress(sc, console, mode, seconds);
  }

  static Mode mode(String property, boolean terminal) {
    if (property == null || property.isBlank()) {
      return terminal ? Mode.BAR : Mode.LINES;
    }
    try {
      return Mode.valueOf(property.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new org.perceptsweep.core.UserInputException(MODE_PROPERTY + "=" + property
          + " is not a progress mode: use bar, lines or off");
    }
  }

  /** A sweep: how many cells it runs. */
  public synchronized void cells(int total) {
    cellsTotal = total;
  }

  public synchronized void cellsDone(int n) {
    cellsDone += n;
  }

  /** What runs now (e.g. "aggregate live-jpeg"), shown with its Spark tasks when no extract runs. */
  public synchronized void stage(String label) {
    stage = label;
    tasksDone = 0;
    tasksSubmitted = 0;
  }

  /**
   * Prints {@code text} to {@code out} with the bar out of its way (a terminal shows stdout and
   * stderr on one screen); the bar comes back at the next redraw.
   */
  public synchronized void print(PrintStream out, String text) {
    clearBar();
    out.print(text);
    out.flush();
  }

  @Override
  public void close() {
    if (mode == Mode.OFF) {
      return;
    }
    timer.shutdownNow();
    sc.removeSparkListener(this);
    synchronized (this) {
      clearBar();
    }
  }

  @Override
  public synchronized void onJobStart(SparkListenerJobStart event) {
    Properties p = event.properties();
    String id = p == null ? null : p.getProperty(ExtractProgress.ID);
    if (id == null) {
      extractId = null; // the extract's jobs are over
      return;
    }
    if (id.equals(extractId)) {
      return;
    }
    extractId = id;
    label = p.getProperty(ExtractProgress.LABEL, "");
    pairs = Long.parseLong(p.getProperty(ExtractProgress.PAIRS, "0"));
    extractStart = System.nanoTime();
    extractDone = 0;
    finished.clear();
    running.clear();
    for (String net : p.getProperty(ExtractProgress.NETS, "").split(",")) {
      if (!net.isEmpty()) {
        finished.put(net, 0L);
      }
    }
  }

  @Override
  public synchronized void onStageSubmitted(SparkListenerStageSubmitted event) {
    tasksSubmitted += event.stageInfo().numTasks();
  }

  @Override
  public synchronized void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate event) {
    for (Tuple4<Object, Object, Object, scala.collection.immutable.Seq<AccumulableInfo>> t
        : CollectionConverters.asJava(event.accumUpdates())) {
      Map<String, Long> counts = pairCounts(t._4());
      if (!counts.isEmpty()) {
        running.put((Long) t._1(), counts);
      }
    }
  }

  @Override
  public synchronized void onTaskEnd(SparkListenerTaskEnd event) {
    tasksDone++;
    running.remove(event.taskInfo().taskId());
    if (event.taskInfo().successful()) {
      // A failed task's counts are dropped; its retry counts again.
      pairCounts(event.taskInfo().accumulables()).forEach((net, n) -> finished.merge(net, n, Long::sum));
    }
  }

  private Map<String, Long> pairCounts(scala.collection.Seq<AccumulableInfo> infos) {
    Map<String, Long> m = new HashMap<>();
    for (AccumulableInfo a : CollectionConverters.asJava(infos)) {
      if (a.name().isDefined() && a.name().get().startsWith(ExtractProgress.ACCUMULATOR_PREFIX)
          && a.update().isDefined() && a.update().get() instanceof Long n) {
        String net = a.name().get().substring(ExtractProgress.ACCUMULATOR_PREFIX.length());
        if (finished.containsKey(net)) {
          m.put(net, n);
        }
      }
    }
    return m;
  }

  /** What the console would show now (tests read it too). */
  public synchronized ProgressText.Snapshot snapshot() {
    long now = System.nanoTime();
    ProgressText.Extract extract = null;
    if (extractId != null) {
      Map<String, Long> done = new LinkedHashMap<>(finished);
      for (Map<String, Long> task : running.values()) {
        task.forEach((net, n) -> done.merge(net, n, Long::sum));
      }
      extract = new ProgressText.Extract(label, pairs, done, (now - extractStart) / 1e9);
      if (extract.unitsDone() >= extract.units() && extractDone == 0) {
        extractDone = now;
      }
      if (extractDone != 0) {
        // All pairs done, the tables still being written: the rate stays the extraction's.
        extract = new ProgressText.Extract(label, pairs, done, (extractDone - extractStart) / 1e9);
      }
    }
    return new ProgressText.Snapshot((now - start) / 1e9, cellsDone, cellsTotal, extract, stage, tasksDone,
        tasksSubmitted);
  }

  private synchronized void draw() {
    try {
      ProgressText.Snapshot s = snapshot();
      if (s.extract() == null && s.tasksSubmitted() == 0) {
        return; // nothing under way yet
      }
      if (mode == Mode.BAR) {
        String bar = ProgressText.bar(s, width());
        console.print("\r" + bar + "\u001b[K");
        barShown = true;
      } else {
        String line = ProgressText.line(s);
        String moved = line.substring(line.indexOf("  ") + 2); // without the clock
        if (!moved.equals(lastLine)) {
          console.println(line);
          lastLine = moved;
        }
      }
      console.flush();
    } catch (RuntimeException e) {
      // Progress never stops a run.
    }
  }

  private void clearBar() {
    if (barShown) {
      console.print("\r\u001b[K");
      console.flush();
      barShown = false;
    }
  }

  private static int width() {
    String columns = System.getenv("COLUMNS");
    try {
      return columns == null ? 120 : Math.max(40, Integer.parseInt(columns.trim()));
    } catch (NumberFormatException e) {
      return 120;
    }
  }
}
