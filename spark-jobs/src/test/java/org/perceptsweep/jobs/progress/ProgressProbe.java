package org.perceptsweep.jobs.progress;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.perceptsweep.jobs.extract.ExtractProgress;

/**
 * Runs one task that counts pairs ({@link ExtractProgress}) and then stays running until the driver's
 * {@link ConsoleProgress} has seen those counts: the task waits for a marker file (same machine,
 * also for a standalone cluster's executors), which is written once the counts arrived. So the counts
 * can only have come with an executor heartbeat, not with the task's end.
 */
public final class ProgressProbe {
  /** What the driver saw while the task ran, and after the extract's jobs. */
  public record Seen(ProgressText.Extract running, ProgressText.Extract after) {}

  private ProgressProbe() {}

  public static Seen run(SparkContext sc, Path marker) throws Exception {
    System.setProperty(ConsoleProgress.MODE_PROPERTY, "lines");
    ConsoleProgress progress;
    try {
      progress = ConsoleProgress.start(sc, new PrintStream(OutputStream.nullOutputStream()), false);
    } finally {
      System.clearProperty(ConsoleProgress.MODE_PROPERTY);
    }
    String markerPath = marker.toAbsolutePath().toString();
    AtomicReference<Throwable> failed = new AtomicReference<>();
    AtomicReference<ProgressText.Extract> after = new AtomicReference<>();
    Thread job = new Thread(() -> {
      try {
        ExtractProgress counters = ExtractProgress.start(sc, List.of("net-a", "net-b"), 10, "probe");
        try {
          new JavaSparkContext(sc).parallelize(List.of(1), 1).foreach(x -> {
            counters.done(List.of("net-a"), 3);
            counters.done(List.of("net-b"), 1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!Files.exists(Paths.get(markerPath)) && System.nanoTime() < deadline) {
              Thread.sleep(50);
            }
          });
          // A later job of the same extract (as the table writes are) starts no new count.
          new JavaSparkContext(sc).parallelize(List.of(1, 2), 2).count();
          after.set(progress.snapshot().extract());
        } finally {
          ExtractProgress.end(sc);
        }
      } catch (Throwable t) {
        failed.set(t);
      }
    });
    try {
      job.start();
      ProgressText.Extract running = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (running == null && System.nanoTime() < deadline && job.isAlive()) {
        ProgressText.Extract e = progress.snapshot().extract();
        if (e != null && e.done().get("net-a") == 3) {
          running = e;
        } else {
          Thread.sleep(100);
        }
      }
      Files.writeString(marker, "seen");
      job.join(120_000);
      if (failed.get() != null) {
        throw new AssertionError("the probe's job failed", failed.get());
      }
      return new Seen(running, after.get());
    } finally {
      progress.close();
    }
  }
}
