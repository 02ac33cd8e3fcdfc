package org.perceptsweep.core.util;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Per-JVM totals of thread time spent in named stages of the extract path (decode, forward, ...),
 * summed over all threads; read by the benchmark's per-stage profile (in local mode the tasks run
 * in the benchmark's JVM). Adding costs two {@code System.nanoTime()} calls and a LongAdder update
 * per stage and batch, nothing per pixel.
 */
public final class StageClock {
  /** Extract tasks: a whole partition (the task's work inside Spark). */
  public static final String EXTRACT_TASK = "extract.task";
  /** Extract tasks: reading and decoding a group's images. */
  public static final String EXTRACT_DECODE = "extract.decode";
  /** Extract tasks: classic metrics (psnr, ssim, ...). */
  public static final String EXTRACT_CLASSIC = "extract.classic";
  /** Extract tasks: nets (forward passes, readouts, row building). */
  public static final String EXTRACT_NETS = "extract.nets";
  /** A net session's predictor call (batch in, taps out): the forward pass alone. */
  public static final String NET_FORWARD = "net.forward";

  private static final Map<String, LongAdder> NANOS = new ConcurrentHashMap<>();

  private StageClock() {}

  /** Adds the time since {@code startNanos} (a {@code System.nanoTime()} value) to {@code stage}. */
  public static void since(String stage, long startNanos) {
    add(stage, System.nanoTime() - startNanos);
  }

  public static void add(String stage, long nanos) {
    NANOS.computeIfAbsent(stage, s -> new LongAdder()).add(nanos);
  }

  /** Totals so far, in nanoseconds, by stage name. */
  public static Map<String, Long> snapshot() {
    Map<String, Long> out = new TreeMap<>();
    NANOS.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** The totals of {@code after} minus those of {@code before} (stages missing from before count from 0). */
  public static Map<String, Long> difference(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> out = new TreeMap<>();
    after.forEach((k, v) -> out.put(k, v - before.getOrDefault(k, 0L)));
    return out;
  }
}
