package org.perceptsweep.udf.readout;

/**
 * Plain-Java readouts on float arrays laid out [C][H][W], accumulated in double, written straight
 * from the definitions in {@link Readout} (for instance dists from S1 and S2, gram from both Gram
 * matrices). This is the independent reference the device ({@link NdReadouts}) implementation,
 * which uses cancellation-free rearrangements, is tested against; it is also usable where no
 * engine is at hand.
 */
public final class ArrayReadouts {
  private ArrayReadouts() {}

  /**
   * One readout of one tap.
   *
   * @param a reference activations, [C][H][W] flattened
   * @param b distorted activations, same layout
   * @param weights per-channel weights (length C) for {@link Readout#WEIGHTED}, else ignored
   */
  public static double compute(Readout readout, float[] a, float[] b, int channels, int height, int width,
      float[] weights) {
    checkShape(a, b, channels, height, width);
    int n = channels * height * width;
    return switch (readout) {
      case L2 -> Math.sqrt(sumSquaredDifference(a, b));
      case MSE -> sumSquaredDifference(a, b) / n;
      case UNIT_L2 -> unitDistance(a, b, channels, height, width, null);
      case WEIGHTED -> {
        if (weights == null || weights.length != channels) {
          throw new IllegalArgumentException("weighted needs " + channels + " channel weights, got "
              + (weights == null ? "none" : weights.length));
        }
        yield unitDistance(a, b, channels, height, width, weights);
      }
      case MEAN_STD -> meanStd(a, b, channels, height * width);
      case GRAM -> gram(a, b, channels, height * width);
      case DISTS -> dists(a, b, channels, height * width);
      case COSINE -> cosine(a, b);
    };
  }

  /**
   * Per-channel terms of one tap: for {@link ChannelTermKind#UNIT_L2} the spatial means of
   * (u_a - u_b)^2 (their sum is unit_l2, their w-weighted sum is weighted); for
   * {@link ChannelTermKind#MSE} d_c = mean over h,w of (a_c - b_c)^2 (their mean is mse).
   */
  public static double[] channelTerms(ChannelTermKind kind, float[] a, float[] b, int channels, int height,
      int width) {
    checkShape(a, b, channels, height, width);
    int plane = height * width;
    double[] out = new double[channels];
    if (kind == ChannelTermKind.MSE) {
      for (int c = 0; c < channels; c++) {
        double sum = 0;
        for (int p = 0; p < plane; p++) {
          double d = (double) a[c * plane + p] - b[c * plane + p];
          sum += d * d;
        }
        out[c] = sum / plane;
      }
      return out;
    }
    for (int p = 0; p < plane; p++) {
      double scaleA = 1.0 / (Math.sqrt(channelNormSquared(a, channels, plane, p)) + Readout.UNIT_EPS);
      double scaleB = 1.0 / (Math.sqrt(channelNormSquared(b, channels, plane, p)) + Readout.UNIT_EPS);
      for (int c = 0; c < channels; c++) {
        double d = a[c * plane + p] * scaleA - b[c * plane + p] * scaleB;
        out[c] += d * d / plane;
      }
    }
    return out;
  }

  /**
   * Activation descriptors of one tap, written from the definition in double: per channel the
   * spatial mean and the population standard deviation (divided by h*w, ddof = 0).
   *
   * @param x activations, [C][H][W] flattened
   * @return {@code [0]} the means, {@code [1]} the standard deviations, one per channel
   */
  public static double[][] descriptors(float[] x, int channels, int height, int width) {
    checkShape(x, x, channels, height, width);
    int plane = height * width;
    double[][] out = new double[2][channels];
    for (int c = 0; c < channels; c++) {
      out[0][c] = mean(x, c, plane);
      out[1][c] = Math.sqrt(covariance(x, x, c, plane));
    }
    return out;
  }

  private static void checkShape(float[] a, float[] b, int channels, int height, int width) {
    int n = channels * height * width;
    if (a.length != n || b.length != n) {
      throw new IllegalArgumentException("expected " + n + " values for [" + channels + "," + height + ","
          + width + "], got " + a.length + " and " + b.length);
    }
  }

  private static double sumSquaredDifference(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      double d = (double) a[i] - b[i];
      sum += d * d;
    }
    return sum;
  }

  private static double channelNormSquared(float[] x, int channels, int plane, int p) {
    double norm = 0;
    for (int c = 0; c < channels; c++) {
      double v = x[c * plane + p];
      norm += v * v;
    }
    return norm;
  }

  /** Mean over positions of sum_c w_c (u_a - u_b)^2, with w_c = 1 when weights is null. */
  private static double unitDistance(float[] a, float[] b, int channels, int height, int width, float[] weights) {
    int plane = height * width;
    double total = 0;
    for (int p = 0; p < plane; p++) {
      double scaleA = 1.0 / (Math.sqrt(channelNormSquared(a, channels, plane, p)) + Readout.UNIT_EPS);
      double scaleB = 1.0 / (Math.sqrt(channelNormSquared(b, channels, plane, p)) + Readout.UNIT_EPS);
      double atPosition = 0;
      for (int c = 0; c < channels; c++) {
        double d = a[c * plane + p] * scaleA - b[c * plane + p] * scaleB;
        atPosition += (weights == null ? 1.0 : weights[c]) * d * d;
      }
      total += atPosition;
    }
    return total / plane;
  }

  private static double mean(float[] x, int c, int plane) {
    double sum = 0;
    for (int p = 0; p < plane; p++) {
      sum += x[c * plane + p];
    }
    return sum / plane;
  }

  /** Population covariance over positions of channel c of x and y (variance when x == y). */
  private static double covariance(float[] x, float[] y, int c, int plane) {
    double mx = mean(x, c, plane);
    double my = mean(y, c, plane);
    double sum = 0;
    for (int p = 0; p < plane; p++) {
      sum += (x[c * plane + p] - mx) * (y[c * plane + p] - my);
    }
    return sum / plane;
  }

  private static double meanStd(float[] a, float[] b, int channels, int plane) {
    double sum = 0;
    for (int c = 0; c < channels; c++) {
      double dm = mean(a, c, plane) - mean(b, c, plane);
      double ds = Math.sqrt(covariance(a, a, c, plane)) - Math.sqrt(covariance(b, b, c, plane));
      sum += dm * dm + ds * ds;
    }
    return Math.sqrt(sum);
  }

  private static double gram(float[] a, float[] b, int channels, int plane) {
    double sum = 0;
    for (int i = 0; i < channels; i++) {
      for (int j = 0; j < channels; j++) {
        double ga = 0;
        double gb = 0;
        for (int p = 0; p < plane; p++) {
          ga += (double) a[i * plane + p] * a[j * plane + p];
          gb += (double) b[i * plane + p] * b[j * plane + p];
        }
        double d = (ga - gb) / plane;
        sum += d * d;
      }
    }
    return Math.sqrt(sum);
  }

  private static double dists(float[] a, float[] b, int channels, int plane) {
    double sum = 0;
    for (int c = 0; c < channels; c++) {
      double ma = mean(a, c, plane);
      double mb = mean(b, c, plane);
      double s1 = (2 * ma * mb + Readout.DISTS_C1) / (ma * ma + mb * mb + Readout.DISTS_C1);
      double s2 = (2 * covariance(a, b, c, plane) + Readout.DISTS_C2)
          / (covariance(a, a, c, plane) + covariance(b, b, c, plane) + Readout.DISTS_C2);
      sum += (s1 + s2) / 2;
    }
    return 1 - sum / channels;
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    if (na == 0 || nb == 0) {
      return na == nb ? 0.0 : 0.5; // the eps convention of Readout.COSINE for zero tensors
    }
    return 1 - dot / (Math.sqrt(na) * Math.sqrt(nb));
  }
}
