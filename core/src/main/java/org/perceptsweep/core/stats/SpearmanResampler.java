package org.perceptsweep.core.stats;

/**
 * Spearman's correlation of any number of metrics against one score over reference resamples.
 * The score's ranks are computed once per resample and shared, so a paired comparison ranks the
 * score once for both metrics; all buffers are allocated once and reused across resamples.
 * Not thread-safe: one per thread.
 */
final class SpearmanResampler {
  static final String FEWER_PAIRS =
      "fewer than " + Correlations.MIN_PAIRS + " pairs in resample";

  private final ReferenceResamples resamples;
  private final int[] referenceOfPair;
  private final int[] referenceSize;
  private final WeightedRanks scoreRanks;
  private final int[] counts;
  private final double[] centeredScore;
  private double total;
  private double scoreSumSquares;
  private final double[] metricSumSquares = new double[1];

  SpearmanResampler(double[] score, ReferenceGroups groups, ReferenceResamples resamples) {
    resamples.requireMatches(groups);
    this.resamples = resamples;
    this.referenceOfPair = groups.referenceOfPairArray();
    int[][] pairs = groups.pairsOfReferenceArrays();
    this.referenceSize = new int[pairs.length];
    for (int r = 0; r < pairs.length; r++) {
      referenceSize[r] = pairs[r].length;
    }
    this.scoreRanks = new WeightedRanks(score, referenceOfPair);
    this.counts = new int[groups.referenceCount()];
    this.centeredScore = new double[score.length];
  }

  /** Ranks for a metric of the same cell; reuse it across resamples. */
  WeightedRanks ranksOf(double[] metric) {
    return new WeightedRanks(metric, referenceOfPair);
  }

  /** Moves to resample {@code b}: loads its counts and ranks the score. */
  void begin(int b) {
    resamples.countsInto(b, counts);
    double n = 0;
    for (int r = 0; r < counts.length; r++) {
      n += (double) counts[r] * referenceSize[r];
    }
    total = n;
    scoreSumSquares = scoreRanks.centeredRanks(counts, total, centeredScore);
  }

  int[] counts() {
    return counts;
  }

  /** Spearman's rho of the current resample, or NaN with {@code reason[0]} set. */
  double srocc(WeightedRanks metricRanks, String[] reason) {
    if (total < Correlations.MIN_PAIRS) {
      reason[0] = FEWER_PAIRS;
      return Double.NaN;
    }
    double cross = metricRanks.crossWithCentered(counts, total, centeredScore, metricSumSquares);
    // Exactly 0 when all drawn values tie (see WeightedRanks.centeredRanks).
    if (metricSumSquares[0] == 0.0) {
      reason[0] = ReferenceMoments.CONSTANT_METRIC;
      return Double.NaN;
    }
    if (scoreSumSquares == 0.0) {
      reason[0] = ReferenceMoments.CONSTANT_SCORE;
      return Double.NaN;
    }
    return ReferenceMoments.clamp(cross / Math.sqrt(metricSumSquares[0] * scoreSumSquares));
  }
}
