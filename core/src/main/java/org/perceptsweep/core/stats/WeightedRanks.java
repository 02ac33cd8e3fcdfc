package org.perceptsweep.core.stats;

/**
 * Average ranks of one vector under per-reference multiplicities, in O(n) per resample.
 *
 * <p>Sorting once is enough: a bootstrap resample repeats whole references, so its sorted order is
 * the original sorted order with each pair repeated {@code counts[ref]} times. Walking the
 * precomputed order and its tie blocks while accumulating those counts yields exactly the average
 * ranks (ties averaged, as in {@code NaturalRanking} with {@code TiesStrategy.AVERAGE}) that ranking
 * the materialised resample would give; copies of one pair tie with each other, as they should.
 */
final class WeightedRanks {
  /** Pair indices in ascending value order. */
  private final int[] order;
  /** Reference number of order[k], so the walk reads counts without an extra indirection. */
  private final int[] referenceOfOrdered;
  /** Tie block k spans order[blockStart[k] .. blockStart[k + 1]). */
  private final int[] blockStart;
  private final int blockCount;

  /**
   * @param values no NaN (checked by the callers); -0.0 ties with 0.0
   * @param referenceOfPair the reference number of each pair
   */
  WeightedRanks(double[] values, int[] referenceOfPair) {
    int n = values.length;
    order = sortedIndices(values);
    referenceOfOrdered = new int[n];
    int[] starts = new int[n + 1];
    int blocks = 0;
    for (int k = 0; k < n; k++) {
      referenceOfOrdered[k] = referenceOfPair[order[k]];
      if (k == 0 || values[order[k]] != values[order[k - 1]]) {
        starts[blocks++] = k;
      }
    }
    starts[blocks] = n;
    blockCount = blocks;
    blockStart = starts;
  }

  /**
   * Writes into {@code centered[i]} the average rank of pair i in the resample minus the mean rank
   * (total + 1) / 2, and returns the weighted sum of squares, sum of counts * centered^2. The sum is
   * exactly 0 when all drawn pairs tie (a constant resample): then every drawn pair's centered rank
   * is computed as 0 + (W + 1) / 2 - (W + 1) / 2 = 0 with W the total. Pairs whose reference is not
   * drawn get a finite rank with no weight.
   *
   * @param counts draw count per reference
   * @param total number of pairs in the resample, sum over pairs of counts[ref]
   */
  double centeredRanks(int[] counts, double total, double[] centered) {
    double meanRank = (total + 1.0) / 2.0;
    double below = 0.0;
    double sumSquares = 0.0;
    for (int b = 0; b < blockCount; b++) {
      int start = blockStart[b];
      int end = blockStart[b + 1];
      double weight = 0.0;
      for (int k = start; k < end; k++) {
        weight += counts[referenceOfOrdered[k]];
      }
      double c = below + (weight + 1.0) / 2.0 - meanRank;
      for (int k = start; k < end; k++) {
        centered[order[k]] = c;
      }
      sumSquares += weight * c * c;
      below += weight;
    }
    return sumSquares;
  }

  /**
   * For the metric side of Spearman's rho: computes this vector's centered ranks in the resample
   * (as {@link #centeredRanks}) without storing them, and returns the weighted cross product with
   * the other vector's centered ranks, sum of counts * c * other. The cross product is gathered
   * block by block (c is constant within a tie block), so one pass replaces a rank pass plus a
   * product pass.
   *
   * @param otherCentered the score's centered ranks for the same resample, by pair index
   * @param sumSquaresOut receives the sum of counts * c^2 at index 0 (exactly 0 when constant)
   */
  double crossWithCentered(
      int[] counts, double total, double[] otherCentered, double[] sumSquaresOut) {
    double meanRank = (total + 1.0) / 2.0;
    double below = 0.0;
    double sumSquares = 0.0;
    double cross = 0.0;
    for (int b = 0; b < blockCount; b++) {
      int end = blockStart[b + 1];
      double weight = 0.0;
      double weightedOther = 0.0;
      for (int k = blockStart[b]; k < end; k++) {
        double w = counts[referenceOfOrdered[k]];
        weight += w;
        weightedOther += w * otherCentered[order[k]];
      }
      double c = below + (weight + 1.0) / 2.0 - meanRank;
      cross += c * weightedOther;
      sumSquares += weight * c * c;
      below += weight;
    }
    sumSquaresOut[0] = sumSquares;
    return cross;
  }

  /** Stable bottom-up merge sort of indices by value (numeric order, no boxing). */
  static int[] sortedIndices(double[] values) {
    int n = values.length;
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    int[] b = new int[n];
    for (int width = 1; width < n; width *= 2) {
      for (int lo = 0; lo < n; lo += 2 * width) {
        int mid = Math.min(lo + width, n);
        int hi = Math.min(lo + 2 * width, n);
        int i = lo;
        int j = mid;
        int k = lo;
        while (i < mid && j < hi) {
          b[k++] = values[a[j]] < values[a[i]] ? a[j++] : a[i++];
        }
        while (i < mid) {
          b[k++] = a[i++];
        }
        while (j < hi) {
          b[k++] = a[j++];
        }
      }
      int[] t = a;
      a = b;
      b = t;
    }
    return a;
  }
}
