package org.perceptsweep.jobs.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Interleaved timing: every round runs each contender once, in the same order, after warm-up
 * rounds that are not kept. On a shared machine the load drifts; interleaving exposes subject and
 * baseline to the same drift, and the median of per-round ratios ignores the odd slow round.
 * Plain Java, no Spark.
 */
public final class Rounds {
  /** A named piece of work; returns how much it did (images, pairs, rows) for the rate. */
  public interface Work {
    long run() throws Exception;
  }

  private final Map<String, Work> contenders = new LinkedHashMap<>();
  private final Map<String, List<Double>> seconds = new LinkedHashMap<>();
  private final Map<String, List<Long>> amounts = new LinkedHashMap<>();

  public Rounds add(String name, Work work) {
    contenders.put(name, work);
    seconds.put(name, new ArrayList<>());
    amounts.put(name, new ArrayList<>());
    return this;
  }

  /** Runs {@code warmups} unrecorded rounds then {@code runs} recorded ones; progress to {@code log}. */
  public Rounds run(int warmups, int runs, Consumer<String> log) {
    if (runs < 1) {
      throw new IllegalArgumentException("runs must be at least 1, got " + runs);
    }
    for (int round = 0; round < warmups + runs; round++) {
      boolean kept = round >= warmups;
      for (Map.Entry<String, Work> c : contenders.entrySet()) {
        long t0 = System.nanoTime();
        long amount;
        try {
          amount = c.getValue().run();
        } catch (RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new IllegalStateException(c.getKey() + " failed: " + e.getMessage(), e);
        }
        double s = (System.nanoTime() - t0) / 1e9;
        if (kept) {
          seconds.get(c.getKey()).add(s);
          amounts.get(c.getKey()).add(amount);
        }
        log.accept(String.format(Locale.ROOT, "  %s %s: %.3f s (%d)", kept ? "run " + (round - warmups + 1)
            : "warm-up", c.getKey(), s, amount));
      }
    }
    return this;
  }

  public List<Double> seconds(String name) {
    return List.copyOf(require(seconds, name));
  }

  /** Per-round rates (amount / seconds). */
  public double[] rates(String name) {
    List<Double> s = require(seconds, name);
    List<Long> a = amounts.get(name);
    double[] r = new double[s.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = a.get(i) / s.get(i);
    }
    return r;
  }

  public double medianRate(String name) {
    return median(rates(name));
  }

  public double medianSeconds(String name) {
    return median(require(seconds, name).stream().mapToDouble(Double::doubleValue).toArray());
  }

  /** Median over rounds of rate(subject) / rate(baseline). */
  public double medianRatio(String subject, String baseline) {
    double[] a = rates(subject);
    double[] b = rates(baseline);
    double[] r = new double[a.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = a[i] / b[i];
    }
    return median(r);
  }

  /** "name: 1.234 s (204), 1.250 s (204)" for the raw-figures list. */
  public List<String> raw(String prefix) {
    List<String> out = new ArrayList<>();
    for (String name : contenders.keySet()) {
      StringBuilder sb = new StringBuilder(prefix).append(name).append(": ");
      List<Double> s = seconds.get(name);
      for (int i = 0; i < s.size(); i++) {
        sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f s", s.get(i)))
            .append(" (").append(amounts.get(name).get(i)).append(')');
      }
      out.add(sb.toString());
    }
    return out;
  }

  /** Median; the mean of the two middle values for an even count. */
  public static double median(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("median of no values");
    }
    double[] v = values.clone();
    Arrays.sort(v);
    int m = v.length / 2;
    return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
  }

  private static <T> T require(Map<String, T> map, String name) {
    T v = map.get(name);
    if (v == null) {
      throw new IllegalArgumentException("no contender named " + name + " (have " + map.keySet() + ")");
    }
    return v;
  }
}
