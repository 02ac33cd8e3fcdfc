package org.perceptsweep.jobs.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.perceptsweep.jobs.SparkTestSession;
import org.perceptsweep.jobs.extract.ExtractProgress;

/**
 * The console's counts on a real local Spark: a task that is still running is seen through the
 * executor heartbeat (its accumulator value), and a finished task's count replaces it (not added twice).
 */
class ConsoleProgressTest {
  /** Released by the test once the driver has seen the running task's count (same JVM in local mode). */
  static final CountDownLatch SEEN = new CountDownLatch(1);

  @Test
  void aRunningTasksCountArrivesWithTheHeartbeatAndTheFinishedTaskCountsOnce() throws Exception {
    SparkContext sc = SparkTestSession.get().sparkContext();
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setProperty(ConsoleProgress.MODE_PROPERTY, "lines");
    ConsoleProgress progress;
    try {
      progress = ConsoleProgress.start(sc, new PrintStream(captured, true, StandardCharsets.UTF_8), false);
    } finally {
      System.clearProperty(ConsoleProgress.MODE_PROPERTY);
    }
    AtomicReference<Throwable> failed = new AtomicReference<>();
    Thread job = new Thread(() -> {
      try {
        ExtractProgress counters = ExtractProgress.start(sc, List.of("net-a", "net-b"), 10, "test-set");
        try {
          new JavaSparkContext(sc).parallelize(List.of(1), 1).foreach(x -> {
            counters.done(List.of("net-a"), 3);
            counters.done(List.of("net-b"), 1);
            // Stay running until the driver saw the counts (at most 60 s: then the test fails below).
            SEEN.await(60, TimeUnit.SECONDS);
          });
          // A later job of the same extract (as the table writes are) starts no new count.
          new JavaSparkContext(sc).parallelize(List.of(1, 2), 2).count();
        } finally {
          ExtractProgress.end(sc);
        }
      } catch (Throwable t) {
        failed.set(t);
      }
    });
    job.start();
    ProgressText.Extract running = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      ProgressText.Extract e = progress.snapshot().extract();
      if (e != null && e.done().get("net-a") == 3) {
        running = e;
        break;
      }
      Thread.sleep(100);
    }
    SEEN.countDown();
    job.join(120_000);
    try {
      assertEquals(null, failed.get());
      assertNotNull(running, "the running task's count never reached the driver");
      assertEquals(1L, running.done().get("net-b"));
      assertEquals("test-set", running.label());
      assertEquals(10, running.pairs());
      // Finished: each count once.
      ProgressText.Extract after = progress.snapshot().extract();
      assertTrue(after == null || after.done().get("net-a") == 3, String.valueOf(after));
    } finally {
      progress.close();
    }
  }
}
