package org.perceptsweep.udf.readout;

/**
 * The derived readout {@code channel_norm_l2} (the paper authors' later "normalised Euclidean"):
 * with d_c = mean over h,w of (a_c - b_c)^2 for one pair (the stored {@code mse} channel terms) and
 * n_c the mean of d_c over all pairs of the dataset, the distance is sqrt(mean_c d_c / n_c).
 * Channels with n_c = 0 (zero for every pair of the dataset, so d_c = 0 everywhere) are left out of
 * the mean, so that every kept channel contributes 1 on average; a tap with no such channel gives 0.
 */
public final class ChannelNorm {
  private ChannelNorm() {}

  /** Adds one pair's d_c into a running sum (allocated on first use; sizes must agree). */
  public static double[] accumulate(double[] sum, float[] d) {
    double[] out = sum == null ? new double[d.length] : sum;
    if (out.length != d.length) {
      throw new IllegalArgumentException("channel terms of " + d.length + " channels added to a sum of "
          + out.length + ": all pairs of one tap must have the same channel count");
    }
    for (int c = 0; c < d.length; c++) {
      out[c] += d[c];
    }
    return out;
  }

  /** n_c: the mean of d_c over the pairs, from a sum over {@code pairs} pairs. */
  public static double[] means(double[] sum, long pairs) {
    double[] n = new double[sum.length];
    for (int c = 0; c < n.length; c++) {
      n[c] = sum[c] / pairs;
    }
    return n;
  }

  /** sqrt(mean over channels with n_c > 0 of d_c / n_c). */
  public static double distance(float[] d, double[] n) {
    if (d.length != n.length) {
      throw new IllegalArgumentException(d.length + " channel terms against " + n.length + " channel means");
    }
    double sum = 0;
    int kept = 0;
    for (int c = 0; c < d.length; c++) {
      if (n[c] > 0) {
        sum += d[c] / n[c];
        kept++;
      }
    }
    return kept == 0 ? 0.0 : Math.sqrt(sum / kept);
  }
}
