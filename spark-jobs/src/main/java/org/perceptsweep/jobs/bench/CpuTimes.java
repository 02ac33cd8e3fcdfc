package org.perceptsweep.jobs.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * User and kernel CPU seconds: of this JVM (all its threads, from /proc/self/stat), and of a
 * finished command run under /usr/bin/time. The kernel share is the benchmarks' measure of time
 * spent on memory (page faults, mapping and unmapping) rather than on computing.
 *
 * @param user seconds in user mode
 * @param system seconds in the kernel
 */
record CpuTimes(double user, double system) {
  /** /usr/bin/time's format for {@link #parseTimeOutput}: wall, user and system seconds on one line. */
  static final String TIME_FORMAT = "PERCEPTSWEEP_TIME %e %U %S";
  private static final Pattern TIME_LINE = Pattern.compile("PERCEPTSWEEP_TIME (\\S+) (\\S+) (\\S+)");
  /** Linux clock ticks per second for /proc times (USER_HZ; 100 on every mainstream kernel). */
  private static final double TICKS = 100.0;

  /** This JVM's times so far, or null where /proc/self/stat is not readable (not Linux). */
  static CpuTimes self() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      // Fields after the command name (which is in parentheses and may hold spaces).
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // utime and stime are fields 14 and 15 of the whole line: 12 and 13 after the name.
      return new CpuTimes(Long.parseLong(f[11]) / TICKS, Long.parseLong(f[12]) / TICKS);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  CpuTimes minus(CpuTimes earlier) {
    return new CpuTimes(user - earlier.user, system - earlier.system);
  }

  double total() {
    return user + system;
  }

  /** Kernel seconds as a share of all CPU seconds (0 when there were none). */
  double kernelShare() {
    return total() <= 0 ? 0 : system / total();
  }

  /**
   * The wall, user and system seconds /usr/bin/time printed with {@link #TIME_FORMAT} (its last such
   * line), or null when there is none.
   *
   * @return {wall, user, system}
   */
  static double[] parseTimeOutput(String text) {
    Matcher m = TIME_LINE.matcher(text);
    double[] found = null;
    while (m.find()) {
      found = new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)),
          Double.parseDouble(m.group(3))};
    }
    return found;
  }
}
