package org.perceptsweep.core.stats;

/**
 * Per-reference sums for Pearson's correlation, so that the PLCC of a resample costs O(references)
 * instead of O(pairs): a reference drawn k times adds k times its sums. Values are shifted by the
 * mean of the finite values of the whole cell first, which keeps the one-pass formula
 * {@code sxx - sx * sx / n} accurate when the mean is large against the spread.
 */
final class ReferenceMoments {
  private final int[] size;
  private final double[] sx;
  private final double[] sy;
  private final double[] sxx;
  private final double[] syy;
  private final double[] sxy;
  private final double[] minX;
  private final double[] maxX;
  private final double[] minY;
  private final double[] maxY;
  private final boolean[] infiniteX;
  private final boolean[] infiniteY;

  ReferenceMoments(double[] x, double[] y, ReferenceGroups groups) {
    int refs = groups.referenceCount();
    size = new int[refs];
    sx = new double[refs];
    sy = new double[refs];
    sxx = new double[refs];
    syy = new double[refs];
    sxy = new double[refs];
    minX = new double[refs];
    maxX = new double[refs];
    minY = new double[refs];
    maxY = new double[refs];
    infiniteX = new boolean[refs];
    infiniteY = new boolean[refs];
    double shiftX = finiteMean(x);
    double shiftY = finiteMean(y);
    int[][] pairs = groups.pairsOfReferenceArrays();
    for (int r = 0; r < refs; r++) {
      size[r] = pairs[r].length;
      minX[r] = Double.POSITIVE_INFINITY;
      maxX[r] = Double.NEGATIVE_INFINITY;
      minY[r] = Double.POSITIVE_INFINITY;
      maxY[r] = Double.NEGATIVE_INFINITY;
      for (int i : pairs[r]) {
        minX[r] = Math.min(minX[r], x[i]);
        maxX[r] = Math.max(maxX[r], x[i]);
        minY[r] = Math.min(minY[r], y[i]);
        maxY[r] = Math.max(maxY[r], y[i]);
        infiniteX[r] |= Double.isInfinite(x[i]);
        infiniteY[r] |= Double.isInfinite(y[i]);
        double dx = x[i] - shiftX;
        double dy = y[i] - shiftY;
        sx[r] += dx;
        sy[r] += dy;
        sxx[r] += dx * dx;
        syy[r] += dy * dy;
        sxy[r] += dx * dy;
      }
    }
  }

  /** Outcome codes of {@link #pearson}: the value, or why it is undefined. */
  static final String INFINITE_METRIC = "infinite metric in resample";
  static final String INFINITE_SCORE = "infinite score in resample";
  static final String CONSTANT_METRIC = "constant metric in resample";
  static final String CONSTANT_SCORE = "constant score in resample";

  /**
   * Pearson's r of the resample with these draw counts, or NaN with {@code reason[0]} set when it
   * is undefined.
   */
  double pearson(int[] counts, String[] reason) {
    double n = 0;
    double tx = 0;
    double ty = 0;
    double txx = 0;
    double tyy = 0;
    double txy = 0;
    double loX = Double.POSITIVE_INFINITY;
    double hiX = Double.NEGATIVE_INFINITY;
    double loY = Double.POSITIVE_INFINITY;
    double hiY = Double.NEGATIVE_INFINITY;
    boolean infX = false;
    boolean infY = false;
    for (int r = 0; r < counts.length; r++) {
      int c = counts[r];
      if (c == 0 || size[r] == 0) {
        continue;
      }
      n += (double) c * size[r];
      tx += c * sx[r];
      ty += c * sy[r];
      txx += c * sxx[r];
      tyy += c * syy[r];
      txy += c * sxy[r];
      loX = Math.min(loX, minX[r]);
      hiX = Math.max(hiX, maxX[r]);
      loY = Math.min(loY, minY[r]);
      hiY = Math.max(hiY, maxY[r]);
      infX |= infiniteX[r];
      infY |= infiniteY[r];
    }
    if (n < Correlations.MIN_PAIRS) {
      reason[0] = SpearmanResampler.FEWER_PAIRS;
      return Double.NaN;
    }
    if (loX == hiX) {
      reason[0] = CONSTANT_METRIC;
      return Double.NaN;
    }
    if (loY == hiY) {
      reason[0] = CONSTANT_SCORE;
      return Double.NaN;
    }
    if (infX) {
      reason[0] = INFINITE_METRIC;
      return Double.NaN;
    }
    if (infY) {
      reason[0] = INFINITE_SCORE;
      return Double.NaN;
    }
    double vx = txx - tx * tx / n;
    double vy = tyy - ty * ty / n;
    double cov = txy - tx * ty / n;
    if (!(vx > 0) || !(vy > 0)) {
      // Values differ but their spread is lost to rounding: no trustworthy r.
      reason[0] = vx > 0 ? CONSTANT_SCORE : CONSTANT_METRIC;
      return Double.NaN;
    }
    return clamp(cov / Math.sqrt(vx * vy));
  }

  static double clamp(double r) {
    return Math.max(-1.0, Math.min(1.0, r));
  }

  private static double finiteMean(double[] v) {
    double sum = 0;
    int count = 0;
    for (double d : v) {
      if (Double.isFinite(d)) {
        sum += d;
        count++;
      }
    }
    return count == 0 ? 0.0 : sum / count;
  }
}
