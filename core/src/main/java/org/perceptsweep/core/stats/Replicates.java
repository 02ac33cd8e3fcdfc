package org.perceptsweep.core.stats;

import java.util.Arrays;

/** One statistic over all resamples: NaN marks an undefined resample, with its first reason. */
final class Replicates {
  /** 95%: the 2.5th and 97.5th percentiles. */
  static final double LOWER_QUANTILE = 0.025;
  static final double UPPER_QUANTILE = 0.975;

  final double[] values;
  private int undefined;
  private String firstReason;

  Replicates(int resamples) {
    values = new double[resamples];
  }

  void set(int resample, double value, String reasonIfUndefined) {
    values[resample] = value;
    if (Double.isNaN(value)) {
      if (undefined == 0) {
        firstReason = reasonIfUndefined;
      }
      undefined++;
    }
  }

  int undefined() {
    return undefined;
  }

  BootstrapInterval toInterval(Double estimate, String estimateReason) {
    int resamples = values.length;
    if (estimate == null) {
      return new BootstrapInterval(null, null, null, resamples, undefined, estimateReason);
    }
    double[] defined = new double[resamples - undefined];
    int m = 0;
    for (double v : values) {
      if (!Double.isNaN(v)) {
        defined[m++] = v;
      }
    }
    if (m == 0) {
      return new BootstrapInterval(estimate, null, null, resamples, undefined,
          "all " + resamples + " resamples undefined (first: " + firstReason + ")");
    }
    Arrays.sort(defined);
    String reason = undefined == 0 ? null : undefined + " of " + resamples
        + " resamples undefined (first: " + firstReason + "); interval from the other " + m;
    return new BootstrapInterval(estimate, quantile(defined, LOWER_QUANTILE),
        quantile(defined, UPPER_QUANTILE), resamples, undefined, reason);
  }

  /**
   * Quantile of sorted values by linear interpolation between order statistics at position
   * (m - 1) p (Hyndman and Fan type 7, numpy.percentile's default).
   */
  static double quantile(double[] sorted, double p) {
    double h = (sorted.length - 1) * p;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }
}
