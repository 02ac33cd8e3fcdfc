package org.perceptsweep.jobs.extract;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where one extract call's time went: its wall time on the driver, and the task-thread seconds of
 * each stage summed over all tasks (on n task slots they add up to about n times the wall time):
 * decoding (shared by every net and metric of the call: each image is decoded once per group),
 * each classic metric, and per net its model loads, forward passes and readouts.
 *
 * @param wallSeconds the call, start to end, on the driver (planning, tasks, table writes)
 * @param decodeSeconds reading and decoding the images, shared by all nets and metrics of the call
 * @param classicSeconds per classic metric
 * @param nets per net, in the call's order
 */
public record ExtractTimings(double wallSeconds, double decodeSeconds, Map<String, Double> classicSeconds,
    Map<String, NetSeconds> nets) {
  static final String DECODE = "decode";
  static final String CLASSIC = "classic";
  static final String LOAD = "load";
  static final String FORWARD = "forward";
  static final String READOUTS = "readouts";
  /** The name under which call-wide stages (decode) are recorded. */
  static final String ALL = "*";

  /** One net's task-thread seconds: loading its model (driver and executors), forward passes, readouts. */
  public record NetSeconds(double modelLoad, double forward, double readouts) {}

  /**
   * @param entries "stage\tname\tnanos" lines, as the tasks and the driver recorded them
   * @param netNames the call's nets in order (each gets a row, zero where nothing was recorded)
   */
  static ExtractTimings of(double wallSeconds, List<String> entries, List<String> netNames) {
    Map<String, Long> nanos = new TreeMap<>();
    for (String e : entries) {
      int last = e.lastIndexOf('\t');
      nanos.merge(e.substring(0, last), Long.parseLong(e.substring(last + 1)), Long::sum);
    }
    Map<String, Double> classic = new TreeMap<>();
    nanos.forEach((key, v) -> {
      if (key.startsWith(CLASSIC + "\t")) {
        classic.put(key.substring(CLASSIC.length() + 1), v / 1e9);
      }
    });
    Map<String, NetSeconds> nets = new LinkedHashMap<>();
    for (String net : netNames) {
      nets.put(net, new NetSeconds(seconds(nanos, LOAD, net), seconds(nanos, FORWARD, net), seconds(nanos, READOUTS, net)));
    }
    return new ExtractTimings(wallSeconds, seconds(nanos, DECODE, ALL), classic, nets);
  }

  private static double seconds(Map<String, Long> nanos, String stage, String name) {
    return nanos.getOrDefault(stage + "\t" + name, 0L) / 1e9;
  }

  static String entry(String stage, String name, long nanos) {
    return stage + "\t" + name + "\t" + nanos;
  }
}
