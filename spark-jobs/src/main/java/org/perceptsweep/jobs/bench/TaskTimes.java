package org.perceptsweep.jobs.bench;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkContext;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;

/**
 * Sums the run time of every Spark task in this JVM's session (Spark's own task metrics: the
 * executor's deserialise and run time), so the pipeline profile can split a job's time into the
 * extractor's stages, Spark task work outside the extractor (row encoding, Parquet writes, shuffle,
 * the small jobs' tasks), and time outside any task.
 */
final class TaskTimes extends SparkListener {
  private final AtomicLong millis = new AtomicLong();
  private SparkContext context;

  /** Registers with the active session once one exists (after the first CLI call made it). */
  synchronized void attach() {
    if (context == null) {
      SparkSession spark = SparkSession.active();
      context = spark.sparkContext();
      context.addSparkListener(this);
    }
  }

  /** Task milliseconds so far, after every event already posted has been delivered. */
  synchronized long millis() {
    if (context != null) {
      // Task-end events are delivered asynchronously; the CLI call has returned, so all are posted.
      try {
        context.listenerBus().waitUntilEmpty();
      } catch (java.util.concurrent.TimeoutException e) {
        throw new IllegalStateException("Spark's listener bus did not drain in 10 s: task times would be short", e);
      }
    }
    return millis.get();
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    TaskMetrics m = end.taskMetrics();
    if (m != null) {
      millis.addAndGet(m.executorRunTime() + m.executorDeserializeTime());
    }
  }
}
