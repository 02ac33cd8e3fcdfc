package org.perceptsweep.core.stats;

import org.apache.commons.math3.stat.correlation.KendallsCorrelation;
import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;

/**
 * SROCC, KROCC (tau-b) and PLCC of one cell (one net x tap x readout x dataset [x distortion]),
 * computed with Commons Math, with every undefined case named instead of returned as NaN.
 *
 * <p>Rules, in the order they are checked:
 *
 * <ol>
 *   <li>Fewer than {@value #MIN_PAIRS} pairs: all undefined. With two pairs every non-constant
 *       input gives exactly +1 or -1 for all three, which says nothing about a metric but would
 *       look like a perfect one in a results table.
 *   <li>A NaN metric or score: all undefined, naming the first such pair. A NaN is a failed
 *       computation upstream; that pair belongs in the rejects table, and dropping it here would
 *       silently change n.
 *   <li>A constant metric or score (all values equal, including all +Infinity): all undefined.
 *   <li>Infinite values are legitimate (PSNR of an identical pair is +Infinity, the best possible
 *       score): the rank correlations use them as the extreme ranks, and equal infinities tie.
 *       PLCC is undefined then, since a linear correlation with an infinite value has no meaning.
 * </ol>
 *
 * <p>-0.0 and 0.0 are treated as the same value (a tie), as numerically they are.
 */
public final class Correlations {
  /** Fewest pairs for which correlations are reported. */
  public static final int MIN_PAIRS = 3;

  private Correlations() {}

  /**
   * @param metric the metric value of each pair
   * @param score the human score of each pair, same order
   * @throws IllegalArgumentException when the arrays are null or differ in length (a caller bug)
   */
  public static CorrelationResult of(double[] metric, double[] score) {
    requireSameLength(metric, score);
    int n = metric.length;
    String reason = undefinedForAll(metric, score);
    if (reason != null) {
      return CorrelationResult.undefined(n, reason);
    }
    double[] x = withoutNegativeZero(metric);
    double[] y = withoutNegativeZero(score);
    double krocc = new KendallsCorrelation().correlation(x, y);
    return new CorrelationResult(n, sroccOfChecked(x, y), krocc, plccOfChecked(x, y),
        plccUndefined(x, y));
  }

  /** SROCC of inputs that passed {@link #undefinedForAll}. */
  static double sroccOfChecked(double[] metric, double[] score) {
    // NaturalRanking compares with Double.compare, for which -0.0 < 0.0; make them tie.
    return new SpearmansCorrelation().correlation(
        withoutNegativeZero(metric), withoutNegativeZero(score));
  }

  /** PLCC of inputs that passed {@link #undefinedForAll}, null when an infinity makes it undefined. */
  static Double plccOfChecked(double[] metric, double[] score) {
    return plccUndefined(metric, score) == null
        ? new PearsonsCorrelation().correlation(metric, score) : null;
  }

  /** The reason all three correlations are undefined, or null when they can be computed. */
  static String undefinedForAll(double[] metric, double[] score) {
    int n = metric.length;
    if (n < MIN_PAIRS) {
      return "fewer than " + MIN_PAIRS + " pairs (n=" + n + ")";
    }
    int nanMetric = firstNaN(metric);
    if (nanMetric >= 0) {
      return "NaN metric at pair index " + nanMetric + "; reject such pairs before correlating";
    }
    int nanScore = firstNaN(score);
    if (nanScore >= 0) {
      return "NaN score at pair index " + nanScore + "; reject such pairs before correlating";
    }
    if (isConstant(metric)) {
      return "constant metric";
    }
    if (isConstant(score)) {
      return "constant score";
    }
    return null;
  }

  /** Why PLCC is undefined for inputs that passed {@link #undefinedForAll}, or null. */
  static String plccUndefined(double[] metric, double[] score) {
    int infMetric = firstInfinite(metric);
    if (infMetric >= 0) {
      return "infinite metric at pair index " + infMetric + ": PLCC undefined (ranks still use it)";
    }
    int infScore = firstInfinite(score);
    if (infScore >= 0) {
      return "infinite score at pair index " + infScore + ": PLCC undefined (ranks still use it)";
    }
    return null;
  }

  static void requireSameLength(double[] metric, double[] score) {
    if (metric == null || score == null) {
      throw new IllegalArgumentException("metric and score arrays must not be null");
    }
    if (metric.length != score.length) {
      throw new IllegalArgumentException(
          "metric has " + metric.length + " values but score has " + score.length);
    }
  }

  static int firstNaN(double[] values) {
    for (int i = 0; i < values.length; i++) {
      if (Double.isNaN(values[i])) {
        return i;
      }
    }
    return -1;
  }

  static int firstInfinite(double[] values) {
    for (int i = 0; i < values.length; i++) {
      if (Double.isInfinite(values[i])) {
        return i;
      }
    }
    return -1;
  }

  /** Numeric equality, so -0.0 equals 0.0 and +Infinity equals +Infinity. */
  static boolean isConstant(double[] values) {
    for (int i = 1; i < values.length; i++) {
      if (values[i] != values[0]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Commons Math's Kendall compares boxed Doubles, for which -0.0 and 0.0 differ; adding 0.0 maps
   * -0.0 to 0.0 and leaves every other value unchanged.
   */
  static double[] withoutNegativeZero(double[] values) {
    double[] copy = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      copy[i] = values[i] + 0.0;
    }
    return copy;
  }
}
