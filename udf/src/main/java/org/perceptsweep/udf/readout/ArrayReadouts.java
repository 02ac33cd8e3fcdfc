package org.perceptsweep.udf.readout;

/**
 * Plain-Java readouts on float arrays laid out [C][H][W], accumulated in double. This is the
 * independent reference the device ({@link NdReadouts}) implementation is tested against; it is
 * also usable where no engine is at hand.
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
    int n = channels * height * width;
    if (a.length != n || b.length != n) {
      throw new IllegalArgumentException("expected " + n + " values for [" + channels + "," + height + ","
          + width + "], got " + a.length + " and " + b.length);
    }
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
    };
  }

  private static double sumSquaredDifference(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      double d = (double) a[i] - b[i];
      sum += d * d;
    }
    return sum;
  }

  /** Mean over positions of sum_c w_c (u_a - u_b)^2, with w_c = 1 when weights is null. */
  private static double unitDistance(float[] a, float[] b, int channels, int height, int width, float[] weights) {
    int plane = height * width;
    double total = 0;
    for (int p = 0; p < plane; p++) {
      double normA = 0;
      double normB = 0;
      for (int c = 0; c < channels; c++) {
        double va = a[c * plane + p];
        double vb = b[c * plane + p];
        normA += va * va;
        normB += vb * vb;
      }
      double scaleA = 1.0 / (Math.sqrt(normA) + Readout.UNIT_EPS);
      double scaleB = 1.0 / (Math.sqrt(normB) + Readout.UNIT_EPS);
      double atPosition = 0;
      for (int c = 0; c < channels; c++) {
        double d = a[c * plane + p] * scaleA - b[c * plane + p] * scaleB;
        atPosition += (weights == null ? 1.0 : weights[c]) * d * d;
      }
      total += atPosition;
    }
    return total / plane;
  }
}
