package org.perceptsweep.core.stats;

/**
 * 95% percentile bootstrap intervals for SROCC and PLCC that resample reference images, not pairs:
 * the distorted versions of one reference are not independent samples (they share its content), so
 * the unit of resampling is the whole group of pairs of a reference (as in the reference-disjoint
 * evaluation of IQA models).
 *
 * <p>Cost per resample: O(pairs) for SROCC (one walk over each presorted order, see
 * {@link WeightedRanks}) and O(references) for PLCC (see {@link ReferenceMoments}); nothing is
 * boxed or copied per resample.
 *
 * <p>Undefined cases: when the whole cell is undefined ({@link Correlations#of}), no interval is
 * made and the reason is passed on. With fewer than 2 references every resample is the cell itself
 * and the interval would have zero width, so it is reported undefined. Undefined resamples (e.g.
 * only references with a constant score drawn) are counted in the result and left out of the
 * percentiles.
 */
public final class ReferenceBootstrap {
  public static final int DEFAULT_RESAMPLES = 1000;
  static final String ONE_REFERENCE =
      "fewer than 2 references: resampling references cannot vary the data";

  private ReferenceBootstrap() {}

  /** {@value #DEFAULT_RESAMPLES} resamples of the references named by {@code refIdOfPair}. */
  public static BootstrapResult run(double[] metric, double[] score, String[] refIdOfPair, long seed) {
    ReferenceGroups groups = ReferenceGroups.of(refIdOfPair);
    return run(metric, score, groups,
        ReferenceResamples.draw(groups.referenceCount(), DEFAULT_RESAMPLES, seed));
  }

  public static BootstrapResult run(
      double[] metric, double[] score, ReferenceGroups groups, ReferenceResamples resamples) {
    requireCell(metric, score, groups);
    resamples.requireMatches(groups);
    int b = resamples.resampleCount();
    String allReason = undefinedCellReason(metric, score, groups);
    if (allReason != null) {
      BootstrapInterval none = new BootstrapInterval(null, null, null, b, b, allReason);
      return new BootstrapResult(metric.length, groups.referenceCount(), resamples.seed(), none, none);
    }
    Replicates srocc = sroccReplicatesOf(metric, score, groups, resamples);
    Replicates plcc = plccReplicatesOf(metric, score, groups, resamples);
    return new BootstrapResult(metric.length, groups.referenceCount(), resamples.seed(),
        srocc.toInterval(Correlations.sroccOfChecked(metric, score), null),
        plcc.toInterval(Correlations.plccOfChecked(metric, score),
            Correlations.plccUndefined(metric, score)));
  }

  /**
   * SROCC of each resample, NaN where undefined: for inspection and for statistics this class does
   * not summarise. The metric and score must contain no NaN.
   */
  public static double[] sroccReplicates(
      double[] metric, double[] score, ReferenceGroups groups, ReferenceResamples resamples) {
    requireCell(metric, score, groups);
    requireNoNaN(metric, score);
    return sroccReplicatesOf(metric, score, groups, resamples).values;
  }

  /** PLCC (raw values) of each resample, NaN where undefined. No NaN in the inputs. */
  public static double[] plccReplicates(
      double[] metric, double[] score, ReferenceGroups groups, ReferenceResamples resamples) {
    requireCell(metric, score, groups);
    requireNoNaN(metric, score);
    return plccReplicatesOf(metric, score, groups, resamples).values;
  }

  /** Why no interval can be made for this cell, or null. */
  static String undefinedCellReason(double[] metric, double[] score, ReferenceGroups groups) {
    String reason = Correlations.undefinedForAll(metric, score);
    if (reason != null) {
      return reason;
    }
    return groups.referenceCount() < 2 ? ONE_REFERENCE : null;
  }

  private static Replicates sroccReplicatesOf(
      double[] metric, double[] score, ReferenceGroups groups, ReferenceResamples resamples) {
    SpearmanResampler resampler = new SpearmanResampler(score, groups, resamples);
    WeightedRanks metricRanks = resampler.ranksOf(metric);
    String[] reason = new String[1];
    Replicates out = new Replicates(resamples.resampleCount());
    for (int b = 0; b < resamples.resampleCount(); b++) {
      resampler.begin(b);
      out.set(b, resampler.srocc(metricRanks, reason), reason[0]);
    }
    return out;
  }

  private static Replicates plccReplicatesOf(
      double[] metric, double[] score, ReferenceGroups groups, ReferenceResamples resamples) {
    resamples.requireMatches(groups);
    ReferenceMoments moments = new ReferenceMoments(metric, score, groups);
    int[] counts = new int[groups.referenceCount()];
    String[] reason = new String[1];
    Replicates out = new Replicates(resamples.resampleCount());
    for (int b = 0; b < resamples.resampleCount(); b++) {
      resamples.countsInto(b, counts);
      out.set(b, moments.pearson(counts, reason), reason[0]);
    }
    return out;
  }

  static void requireCell(double[] metric, double[] score, ReferenceGroups groups) {
    Correlations.requireSameLength(metric, score);
    if (groups == null || groups.pairCount() != metric.length) {
      throw new IllegalArgumentException("reference groups cover "
          + (groups == null ? "no" : String.valueOf(groups.pairCount())) + " pairs but the cell has "
          + metric.length);
    }
  }

  static void requireNoNaN(double[] metric, double[] score) {
    int i = Correlations.firstNaN(metric);
    int j = Correlations.firstNaN(score);
    if (i >= 0 || j >= 0) {
      throw new IllegalArgumentException("NaN " + (i >= 0 ? "metric at pair index " + i
          : "score at pair index " + j) + "; reject such pairs before resampling");
    }
  }
}
