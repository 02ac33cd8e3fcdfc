package org.perceptsweep.udf.readout;

import java.util.Arrays;
import org.perceptsweep.core.UserInputException;

/**
 * Learns non-negative channel weights from stored per-channel terms so that the weighted distance
 * agrees with human scores: the {@code fit} subcommand's method.
 *
 * <p><b>Model.</b> For pair i, x_i holds the {@code unit_l2} channel terms of the fitted taps
 * (t_c = mean over h,w of (u_a,c - u_b,c)^2, taps concatenated), so the distance d_i = w . x_i is
 * exactly the {@code weighted} readout summed over those taps with weights w (LPIPS form). The
 * target y_i is the human score turned into "worse": the DMOS as is, the MOS negated.
 *
 * <p><b>Method.</b> Non-negative ridge least squares with a free intercept:
 * minimise |Xc w - yc|^2 + lambda |w|^2 subject to w >= 0, where Xc and yc are X and y centred on
 * the training pairs' means (the intercept is not part of the distance: correlations ignore it).
 * lambda = ridge * trace(Xc^T Xc) / p (p = number of channels), so {@code ridge} is scale-free.
 * Solved by cyclic coordinate descent on the p x p normal equations, each coordinate set to its exact
 * non-negative minimiser, from w = 0, until no weight moves by more than 1e-9 of the largest weight
 * (at most {@value #MAX_SWEEPS} sweeps). Deterministic: no randomness in the solver; the folds come
 * from {@link ReferenceFolds} with a seed. The scale of w follows the score's units; only ratios
 * matter to the correlations.
 */
public final class ChannelWeightFit {
  public static final double DEFAULT_RIDGE = 0.01;
  static final int MAX_SWEEPS = 5000;
  private static final double TOLERANCE = 1e-9;

  private ChannelWeightFit() {}

  /** Sufficient statistics of a set of pairs: sums of x, y, x x^T (upper triangle used) and x y. */
  static final class Moments {
    final int p;
    long n;
    final double[] sumX;
    double sumY;
    final double[] sumXX; // p*p, row-major, upper triangle filled
    final double[] sumXY;

    Moments(int p) {
      this.p = p;
      this.sumX = new double[p];
      this.sumXX = new double[p * p];
      this.sumXY = new double[p];
    }

    void add(float[] x, double y) {
      n++;
      sumY += y;
      for (int j = 0; j < p; j++) {
        double xj = x[j];
        if (xj == 0) {
          continue;
        }
        sumX[j] += xj;
        sumXY[j] += xj * y;
        int row = j * p;
        for (int k = j; k < p; k++) {
          sumXX[row + k] += xj * x[k];
        }
      }
    }

    Moments minus(Moments other) {
      Moments m = new Moments(p);
      m.n = n - other.n;
      m.sumY = sumY - other.sumY;
      for (int j = 0; j < p; j++) {
        m.sumX[j] = sumX[j] - other.sumX[j];
        m.sumXY[j] = sumXY[j] - other.sumXY[j];
      }
      for (int i = 0; i < sumXX.length; i++) {
        m.sumXX[i] = sumXX[i] - other.sumXX[i];
      }
      return m;
    }

    /** Non-negative ridge solution on these pairs. */
    double[] solve(double ridge) {
      if (n < 2) {
        throw new UserInputException("fitting channel weights needs at least 2 training pairs, got " + n);
      }
      // Centred normal equations: Q = S - sx sx^T / n, g = sxy - sx sy / n.
      double[] q = new double[p * p];
      double[] g = new double[p];
      double trace = 0;
      for (int j = 0; j < p; j++) {
        g[j] = sumXY[j] - sumX[j] * sumY / n;
        for (int k = j; k < p; k++) {
          double v = sumXX[j * p + k] - sumX[j] * sumX[k] / n;
          q[j * p + k] = v;
          q[k * p + j] = v;
        }
        trace += q[j * p + j];
      }
      double lambda = ridge * trace / p;
      return NonNegativeQuadratic.minimise(q, g, lambda, p);
    }
  }

  /**
   * Learns weights on all given pairs.
   *
   * @param x per pair, the channel terms (all pairs the same length p)
   * @param worse per pair, the score oriented so that higher = worse
   * @param ridge the scale-free ridge strength (lambda = ridge * trace / p); 0 = plain NNLS
   */
  public static double[] fit(float[][] x, double[] worse, double ridge) {
    checkInputs(x, worse, ridge);
    Moments m = new Moments(x[0].length);
    for (int i = 0; i < x.length; i++) {
      m.add(x[i], worse[i]);
    }
    return m.solve(ridge);
  }

  /** d_i = w . x_i. */
  public static double[] predict(float[][] x, double[] w) {
    double[] d = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      if (x[i].length != w.length) {
        throw new IllegalArgumentException("pair " + i + " has " + x[i].length + " channel terms, weights have "
            + w.length);
      }
      double s = 0;
      for (int j = 0; j < w.length; j++) {
        s += w[j] * x[i][j];
      }
      d[i] = s;
    }
    return d;
  }

  /**
   * Out-of-fold distances under reference-disjoint k-fold cross-validation: each pair's distance
   * comes from weights fitted on the other folds, which hold none of its reference's pairs.
   *
   * @param fold the fold of each pair (from {@link ReferenceFolds})
   * @param foldWeights the weights fitted without each fold
   */
  public record CrossValidation(int[] fold, double[] outOfFold, double[][] foldWeights) {}

  public static CrossValidation crossValidate(float[][] x, double[] worse, String[] refIds, int folds, long seed,
      double ridge) {
    checkInputs(x, worse, ridge);
    if (refIds.length != x.length) {
      throw new IllegalArgumentException(refIds.length + " reference ids for " + x.length + " pairs");
    }
    int[] fold = ReferenceFolds.foldOfPairs(refIds, folds, seed);
    int p = x[0].length;
    Moments all = new Moments(p);
    Moments[] perFold = new Moments[folds];
    for (int f = 0; f < folds; f++) {
      perFold[f] = new Moments(p);
    }
    for (int i = 0; i < x.length; i++) {
      perFold[fold[i]].add(x[i], worse[i]);
    }
    for (Moments m : perFold) {
      addInto(all, m);
    }
    double[] oof = new double[x.length];
    double[][] weights = new double[folds][];
    for (int f = 0; f < folds; f++) {
      weights[f] = all.minus(perFold[f]).solve(ridge);
      for (int i = 0; i < x.length; i++) {
        if (fold[i] == f) {
          double s = 0;
          for (int j = 0; j < p; j++) {
            s += weights[f][j] * x[i][j];
          }
          oof[i] = s;
        }
      }
    }
    return new CrossValidation(fold, oof, weights);
  }

  private static void addInto(Moments total, Moments m) {
    total.n += m.n;
    total.sumY += m.sumY;
    for (int j = 0; j < total.p; j++) {
      total.sumX[j] += m.sumX[j];
      total.sumXY[j] += m.sumXY[j];
    }
    for (int i = 0; i < total.sumXX.length; i++) {
      total.sumXX[i] += m.sumXX[i];
    }
  }

  private static void checkInputs(float[][] x, double[] worse, double ridge) {
    if (x.length == 0) {
      throw new UserInputException("no pairs with channel terms to fit on: run extract with --channel-terms first");
    }
    if (worse.length != x.length) {
      throw new IllegalArgumentException(worse.length + " scores for " + x.length + " pairs");
    }
    int p = x[0].length;
    for (int i = 0; i < x.length; i++) {
      if (x[i].length != p) {
        throw new IllegalArgumentException("pair " + i + " has " + x[i].length + " channel terms, pair 0 has " + p);
      }
    }
    if (!(ridge >= 0) || Double.isInfinite(ridge)) {
      throw new UserInputException("--ridge must be a finite number >= 0, got " + ridge);
    }
    for (double y : worse) {
      if (!Double.isFinite(y)) {
        throw new UserInputException("a score to fit on is " + y + ": fix the manifest's scores");
      }
    }
  }

  /** Exposed for tests: min 1/2 w^T (Q + lambda I) w - g^T w over w >= 0. */
  static final class NonNegativeQuadratic {
    private NonNegativeQuadratic() {}

    static double[] minimise(double[] q, double[] g, double lambda, int p) {
      double[] w = new double[p];
      double[] qw = new double[p]; // Q w, kept up to date
      for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
        double maxStep = 0;
        double maxW = 0;
        for (int j = 0; j < p; j++) {
          double diag = q[j * p + j] + lambda;
          if (!(diag > 0)) {
            continue; // a channel that is constant on the training pairs and no ridge: leave it at 0
          }
          double grad = qw[j] + lambda * w[j] - g[j];
          double next = Math.max(0, w[j] - grad / diag);
          double step = next - w[j];
          if (step != 0) {
            int row = j * p;
            for (int k = 0; k < p; k++) {
              qw[k] += step * q[row + k];
            }
            w[j] = next;
          }
          maxStep = Math.max(maxStep, Math.abs(step));
          maxW = Math.max(maxW, w[j]);
        }
        if (maxStep <= TOLERANCE * maxW || maxW == 0 && maxStep == 0) {
          break;
        }
      }
      return w;
    }

    /** The objective, for tests. */
    static double objective(double[] q, double[] g, double lambda, double[] w) {
      int p = w.length;
      double v = 0;
      for (int j = 0; j < p; j++) {
        double qwj = 0;
        for (int k = 0; k < p; k++) {
          qwj += q[j * p + k] * w[k];
        }
        v += 0.5 * w[j] * (qwj + lambda * w[j]) - g[j] * w[j];
      }
      return v;
    }
  }

  /** For messages: the weights' count of non-zero entries. */
  public static long nonZero(double[] w) {
    return Arrays.stream(w).filter(v -> v > 0).count();
  }
}
