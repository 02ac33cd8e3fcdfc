package org.perceptsweep.jobs.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.perceptsweep.jobs.SparkTestSession;

/**
 * The console's counts on a real local Spark: a task that is still running is seen through the
 * executor heartbeat (its accumulator values), and a finished task's count replaces it (not added
 * twice). ClusterExtractTest checks the same on a standalone cluster.
 */
class ConsoleProgressTest {
  @TempDir
  Path tmp;

  @Test
  void aRunningTasksCountArrivesWithTheHeartbeatAndTheFinishedTaskCountsOnce() throws Exception {
    ProgressProbe.Seen seen = ProgressProbe.run(SparkTestSession.get().sparkContext(), tmp.resolve("seen"));
    assertNotNull(seen.running(), "the running task's count never reached the driver");
    assertEquals(1L, seen.running().done().get("net-b"));
    assertEquals("probe", seen.running().label());
    assertEquals(10, seen.running().pairs());
    assertNotNull(seen.after());
    assertEquals(3L, seen.after().done().get("net-a"), "counted once");
    assertEquals(1L, seen.after().done().get("net-b"));
  }
}
