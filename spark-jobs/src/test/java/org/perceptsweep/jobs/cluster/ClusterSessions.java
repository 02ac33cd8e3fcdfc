package org.perceptsweep.jobs.cluster;

import org.apache.spark.sql.SparkSession;

/** Driver-side session helpers shared by the tests that run a driver against a standalone cluster. */
public final class ClusterSessions {
  private ClusterSessions() {}

  /** Waits until {@code n} executors (besides the driver) have registered, at most 120 s. */
  public static void awaitExecutors(SparkSession spark, int n) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 120_000;
    // getExecutorInfos includes the driver.
    while (spark.sparkContext().statusTracker().getExecutorInfos().length < n + 1) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("executors did not register within 120 s");
      }
      Thread.sleep(200);
    }
  }

  /** Stops the active session so that the next one (cluster or the shared local one) starts fresh. */
  public static void stopSessions() {
    if (SparkSession.getActiveSession().isDefined()) {
      SparkSession.getActiveSession().get().stop();
    }
    if (SparkSession.getDefaultSession().isDefined()) {
      SparkSession.getDefaultSession().get().stop();
    }
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
  }
}
