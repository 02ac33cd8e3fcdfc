package org.perceptsweep.core.stats;

/**
 * Everything the correlation table says about one cell (one dataset x net x tap x readout x
 * distortion subset), computed in one call: the three correlations, the 5-parameter logistic fit
 * (fitted PLCC and RMSE) and the reference-bootstrap intervals of SROCC and PLCC.
 *
 * <p>Signs: {@code srocc}, {@code krocc}, {@code plcc} and the interval ends are as computed
 * between metric and score (the dataset's direction). Use {@link #agreement} and
 * {@link #agreementInterval} with {@link Agreement#sign} for the agreement-signed values. The
 * fitted PLCC is never signed (see {@link LogisticFitResult#plcc}).
 *
 * @param n pairs
 * @param references distinct reference images
 * @param correlations SROCC, KROCC, PLCC as computed (nulls and reason when undefined)
 * @param fit the logistic fit; not converged means no numbers
 * @param bootstrap the intervals, or null when no resamples were asked for
 */
public record CellSummary(
    int n,
    int references,
    CorrelationResult correlations,
    LogisticFitResult fit,
    BootstrapResult bootstrap) {

  /** Resamples of a given number of references; callers may cache them (see {@link #of}). */
  @FunctionalInterface
  public interface ResampleSource {
    ReferenceResamples resamplesFor(int referenceCount);
  }

  /**
   * @param metric metric value per pair (no order needed, but give a stable order, e.g. by pair
   *     id, so that floating-point sums come out the same on every run)
   * @param score human score per pair
   * @param refIdOfPair reference id per pair
   * @param resamples resamples for a given number of references, or null for no bootstrap
   * @param fitIterations Levenberg-Marquardt iteration limit of the logistic fit (see
   *     {@link LogisticFit#fit(double[], double[], int)}); a fit that reaches it is not converged
   */
  public static CellSummary of(double[] metric, double[] score, String[] refIdOfPair,
      ResampleSource resamples, int fitIterations) {
    Correlations.requireSameLength(metric, score);
    ReferenceGroups groups = ReferenceGroups.of(refIdOfPair);
    if (groups.pairCount() != metric.length) {
      throw new IllegalArgumentException("reference ids cover " + groups.pairCount()
          + " pairs but the cell has " + metric.length);
    }
    CorrelationResult c = Correlations.of(metric, score);
    LogisticFitResult fit = LogisticFit.fit(metric, score, fitIterations);
    BootstrapResult boot = resamples == null ? null
        : ReferenceBootstrap.run(metric, score, groups, resamples.resamplesFor(groups.referenceCount()));
    return new CellSummary(metric.length, groups.referenceCount(), c, fit, boot);
  }

  /** {@link #of} with fresh resamples drawn from {@code seed} (no cache) and the default fit limit. */
  public static CellSummary of(
      double[] metric, double[] score, String[] refIdOfPair, int resamples, long seed) {
    return of(metric, score, refIdOfPair, resamples <= 0 ? null
        : refs -> ReferenceResamples.draw(refs, resamples, seed), LogisticFit.DEFAULT_MAX_ITERATIONS);
  }

  /** {@code sign * value}, null stays null. */
  public static Double agreement(Double value, int sign) {
    return value == null ? null : sign * value;
  }

  /**
   * The interval [lower, upper] of a signed statistic turned into agreement: multiplied by
   * {@code sign} and, when the sign is -1, with the ends swapped so that low &lt;= high.
   *
   * @return {low, high}, both null when the interval is undefined
   */
  public static Double[] agreementInterval(BootstrapInterval interval, int sign) {
    if (interval == null || interval.lower() == null) {
      return new Double[] {null, null};
    }
    return sign > 0
        ? new Double[] {interval.lower(), interval.upper()}
        : new Double[] {-interval.upper(), -interval.lower()};
  }
}
