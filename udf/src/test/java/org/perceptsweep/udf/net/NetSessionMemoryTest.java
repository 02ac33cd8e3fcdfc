package org.perceptsweep.udf.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory stays flat over 600 forwards (120 references x (1 + 4 distorted), 128x128, every readout) of
 * the builtin net through one session: no NDArray outlives its call (an exact count), and resident
 * memory does not grow beyond a bound after warm-up. Each run is a child JVM with a fixed, pre-touched
 * heap so that VmRSS moves only with native memory. A control run that leaves references open shows
 * that the same measurement sees a leak of that size.
 */
class NetSessionMemoryTest {
  /**
   * 48 MiB: above the one-off steps of the native allocator seen in long runs (+23..29 MiB once, then flat
   * for thousands of forwards), far below a real leak here: one image's activations per forward is
   * ~0.47 MiB, 280 MiB over this run; the control's open references add ~0.9 MiB each, ~135 MiB.
   */
  private static final long BOUND_KIB = 48 * 1024;

  @TempDir
  static Path tmp;

  @BeforeAll
  static void linuxOnly() {
    Assumptions.assumeTrue(NetSessionMemoryBenchmark.rssAvailable(), "skipped: no /proc/self/status VmRSS (not Linux)");
  }

  @Test
  void sixHundredForwardsKeepMemoryFlat() throws Exception {
    Map<String, String> r = runChild("120", "4", "run");
    assertEquals("600", r.get("forwards"), "120 references + 480 distorted images");
    assertEquals("true", r.get("preTouched"));
    assertEquals(r.get("liveBefore"), r.get("liveMin"), "NDArrays alive between groups: " + r);
    assertEquals(r.get("liveBefore"), r.get("liveMax"), "NDArrays alive between groups: " + r);
    assertTrue(Long.parseLong(r.get("rssGrowthKiB")) <= BOUND_KIB, "VmRSS grew after warm-up: " + r);
  }

  @Test
  void controlLeakIsSeenByTheSameMeasurement() throws Exception {
    // 150 references left open after warm-up: 4 tap tensors (+ 4 unit-normalised copies) each, ~0.9 MiB.
    Map<String, String> r = runChild("170", "1", "leak");
    assertTrue(Integer.parseInt(r.get("liveMax")) - Integer.parseInt(r.get("liveBefore")) >= 150 * 4,
        "live arrays must grow with open references: " + r);
    assertTrue(Long.parseLong(r.get("rssGrowthKiB")) > BOUND_KIB, "the leak must exceed the bound: " + r);
  }

  /** Runs the benchmark's main in a child JVM; returns the RESULT line's key=value pairs. */
  private static Map<String, String> runChild(String references, String perReference, String mode) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch", "-XX:+UseSerialGC",
        "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1"));
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("-DDJL_") || arg.startsWith("-Dai.djl.repository")) {
        cmd.add(arg);
      }
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), NetSessionMemoryBenchmark.class.getName(),
        RandomConvNet.SPEC, "128", references, perReference, "4", mode));
    Path log = Files.createTempFile(tmp, "memory-", ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    // glibc: large blocks always by mmap (returned on free) and few arenas, so RSS tracks live native memory
    // instead of allocator caching; a leaked block stays resident either way.
    pb.environment().put("MALLOC_MMAP_THRESHOLD_", "65536");
    pb.environment().put("MALLOC_ARENA_MAX", "2");
    pb.environment().put("OMP_NUM_THREADS", "1");
    Process p = pb.start();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("benchmark child timed out; log:\n" + Files.readString(log));
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
    String result = out.lines().filter(l -> l.startsWith("RESULT ")).findFirst()
        .orElseThrow(() -> new AssertionError("no RESULT line:\n" + out));
    Map<String, String> values = new HashMap<>();
    for (String kv : result.substring("RESULT ".length()).split(" ")) {
      String[] parts = kv.split("=", 2);
      values.put(parts[0], parts[1]);
    }
    System.out.println("NetSessionMemoryTest " + mode + ": " + out.lines()
        .filter(l -> l.contains("Max growth")).findFirst().orElse(result));
    return values;
  }
}
