package org.perceptsweep.jobs.sweep;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * A one-line console progress bar for a sweep, driven by Spark's task events: cells done of total,
 * tasks done, task rate and an ETA from the cell rate. At most one redraw per second.
 */
final class ProgressListener extends SparkListener {
  private final PrintStream console;
  private final int totalCells;
  private final long start = System.nanoTime();
  private final AtomicInteger cellsDone = new AtomicInteger();
  private final AtomicLong tasksDone = new AtomicLong();
  private final AtomicLong tasksSubmitted = new AtomicLong();
  private volatile long lastDraw;

  ProgressListener(PrintStream console, int totalCells) {
    this.console = console;
    this.totalCells = totalCells;
  }

  @Override
  public void onStageSubmitted(SparkListenerStageSubmitted event) {
    tasksSubmitted.addAndGet(event.stageInfo().numTasks());
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd event) {
    tasksDone.incrementAndGet();
    draw(false);
  }

  void cellsDone(int n) {
    cellsDone.addAndGet(n);
    draw(true);
  }

  void finish() {
    draw(true);
    console.println();
  }

  private synchronized void draw(boolean force) {
    long now = System.nanoTime();
    if (!force && now - lastDraw < 1_000_000_000L) {
      return;
    }
    lastDraw = now;
    double seconds = (now - start) / 1e9;
    int done = cellsDone.get();
    int width = 24;
    int filled = totalCells == 0 ? width : (int) Math.round(width * (double) done / totalCells);
    String eta = done == 0 || done >= totalCells ? "-"
        : String.format(Locale.ROOT, "%.0fs", seconds / done * (totalCells - done));
    console.printf(Locale.ROOT, "\r[%s%s] cells %d/%d  tasks %d/%d  %.1f tasks/s  ETA %s   ",
        "#".repeat(filled), ".".repeat(width - filled), done, totalCells, tasksDone.get(), tasksSubmitted.get(),
        tasksDone.get() / Math.max(seconds, 1e-9), eta);
    console.flush();
  }
}
