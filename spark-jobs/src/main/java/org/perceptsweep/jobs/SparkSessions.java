package org.perceptsweep.jobs;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.perceptsweep.udf.net.NativeMemory;

/**
 * The one place a SparkSession is made. Under spark-submit the master and settings come from the
 * submit command; run from bin/percept-sweep (or a test) with no master set, it runs on local[*].
 * Defaults are only filled in where the user set nothing.
 */
public final class SparkSessions {
  private SparkSessions() {}

  public static SparkSession getOrCreate(String appName) {
    SparkConf conf = new SparkConf();
    conf.setIfMissing("spark.master", "local[*]");
    conf.setIfMissing("spark.app.name", appName);
    // A rerun replaces only the partitions (dataset/net cells) it writes, never the whole table.
    conf.setIfMissing("spark.sql.sources.partitionOverwriteMode", "dynamic");
    // Executor JVMs run the nets: glibc settings that keep libtorch's tensor memory in the process
    // (see NativeMemory). In local mode the driver is the executor: the launcher sets the same.
    conf.setIfMissing("spark.executorEnv." + NativeMemory.ENV, NativeMemory.TUNABLES);
    // Executors send running tasks' accumulators (the extract's pairs per net) with each heartbeat:
    // the console's progress moves at this pace (Spark's default is 10s).
    conf.setIfMissing("spark.executor.heartbeatInterval", "2s");
    if (conf.get("spark.master").startsWith("local")) {
      conf.setIfMissing("spark.ui.enabled", "false");
      conf.setIfMissing("spark.sql.shuffle.partitions", "8");
      conf.setIfMissing("spark.driver.host", "127.0.0.1");
      conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
    }
    return SparkSession.builder().config(conf).getOrCreate();
  }
}
