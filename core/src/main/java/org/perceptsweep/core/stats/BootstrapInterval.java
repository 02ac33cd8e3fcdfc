package org.perceptsweep.core.stats;

/**
 * A statistic on the whole cell and its 95% percentile bootstrap interval over reference resamples.
 *
 * @param estimate the statistic on all pairs, null when undefined
 * @param lower 2.5th percentile of the defined resample values, null when none is defined
 * @param upper 97.5th percentile of the defined resample values, null when none is defined
 * @param resamples resamples drawn
 * @param undefinedResamples resamples in which the statistic was undefined (e.g. all drawn
 *     references share one score); they are left out of the percentiles and counted here
 * @param undefinedReason null when everything is defined; else why the estimate is undefined, or
 *     how many resamples were undefined and the first reason
 */
public record BootstrapInterval(
    Double estimate,
    Double lower,
    Double upper,
    int resamples,
    int undefinedResamples,
    String undefinedReason) {

  /**
   * The 95% percentile interval of any statistic's replicates (NaN = undefined in that resample,
   * counted and left out), as the correlations and comparisons make theirs.
   *
   * @param estimate the statistic on all pairs, null when undefined ({@code estimateReason} says why)
   * @param undefinedReason why a resample is undefined (the first NaN's), for the reason text
   */
  public static BootstrapInterval percentile(Double estimate, String estimateReason, double[] replicates,
      String undefinedReason) {
    Replicates r = new Replicates(replicates.length);
    for (int b = 0; b < replicates.length; b++) {
      r.set(b, replicates[b], undefinedReason);
    }
    return r.toInterval(estimate, estimateReason);
  }

  /** Width of the interval, null when it is undefined. */
  public Double width() {
    return lower == null ? null : upper - lower;
  }
}
