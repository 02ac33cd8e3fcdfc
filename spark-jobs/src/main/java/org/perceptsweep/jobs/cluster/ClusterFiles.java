package org.perceptsweep.jobs.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Small helpers shared by the test cluster and the test S3 server: processes, ports, files. */
final class ClusterFiles {
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    // Whatever happens to the tests, no child JVM outlives the test JVM.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> new ArrayList<>(LIVE).forEach(ClusterFiles::stop),
        "perceptsweep-test-processes"));
  }

  private ClusterFiles() {}

  /** A tool the build puts under target/test-tools (path from a system property set in the pom). */
  static Path testTool(String property, String fileName) {
    String configured = System.getProperty(property);
    Path p = configured != null && !configured.isBlank()
        ? Paths.get(configured) : Paths.get("target", "test-tools", fileName).toAbsolutePath();
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException(p + " is missing: run the build through Maven (mvn test copies it "
          + "in generate-test-resources) or set -D" + property + "=FILE");
    }
    return p;
  }

  static String javaExecutable() {
    return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** A port that was free on loopback a moment ago. */
  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void stopOnExit(Process p) {
    LIVE.add(p);
  }

  /** Stops a process and its descendants: politely, then by force after 10 s. */
  static void stop(Process p) {
    if (p == null) {
      return;
    }
    List<ProcessHandle> all = new ArrayList<>();
    p.descendants().forEach(all::add);
    all.add(p.toHandle());
    all.forEach(ProcessHandle::destroy);
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        all.forEach(ProcessHandle::destroyForcibly);
        p.waitFor(10, TimeUnit.SECONDS);
      }
      for (ProcessHandle h : all) {
        if (h.isAlive()) {
          h.destroyForcibly();
        }
      }
    } catch (InterruptedException e) {
      all.forEach(ProcessHandle::destroyForcibly);
      Thread.currentThread().interrupt();
    }
    LIVE.remove(p);
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The last {@code chars} characters of a text file (for error messages); "" when unreadable. */
  static String tail(Path file, int chars) {
    try {
      String s = Files.readString(file, StandardCharsets.UTF_8);
      return s.length() <= chars ? s : s.substring(s.length() - chars);
    } catch (IOException | UncheckedIOException e) {
      return "";
    }
  }

  static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // best effort: a file still held open by a dying process
        }
      });
    } catch (IOException | UncheckedIOException ignored) {
      // best effort
    }
  }
}
