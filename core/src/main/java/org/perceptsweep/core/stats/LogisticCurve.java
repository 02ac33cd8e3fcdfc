package org.perceptsweep.core.stats;

/**
 * The 5-parameter logistic of VQEG / Sheikh et al. 2006 that maps a metric onto the human score
 * scale before PLCC and RMSE are taken:
 * {@code q(x) = b1 * (1/2 - 1/(1 + exp(b2 (x - b3)))) + b4 x + b5}.
 */
public record LogisticCurve(double b1, double b2, double b3, double b4, double b5) {

  /** q(x), computed without overflow for any b2 (x - b3). */
  public double apply(double x) {
    return b1 * (sigmoid(b2 * (x - b3)) - 0.5) + b4 * x + b5;
  }

  /**
   * 1/(1 + exp(-z)); note 1/2 - 1/(1 + exp(z)) = sigmoid(z) - 1/2. Written so that exp never
   * overflows: for z below 0 use exp(z) / (1 + exp(z)).
   */
  static double sigmoid(double z) {
    if (z >= 0) {
      return 1.0 / (1.0 + Math.exp(-z));
    }
    double e = Math.exp(z);
    return e / (1.0 + e);
  }

  public double[] toArray() {
    return new double[] {b1, b2, b3, b4, b5};
  }
}
