package org.perceptsweep.jobs;

import org.apache.spark.sql.SparkSession;

/**
 * One local[2] SparkSession for all tests in this JVM (Iceberg style): starting Spark costs seconds,
 * and the jobs under test get their session through {@link SparkSessions#getOrCreate}, which
 * returns this one.
 */
public final class SparkTestSession {
  private SparkTestSession() {}

  public static synchronized SparkSession get() {
    System.setProperty("spark.master", "local[2]");
    return SparkSessions.getOrCreate("percept-sweep tests");
  }
}
