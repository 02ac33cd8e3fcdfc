package org.perceptsweep.core.stats;

import org.apache.commons.math3.exception.MathIllegalStateException;
import org.apache.commons.math3.exception.TooManyEvaluationsException;
import org.apache.commons.math3.exception.TooManyIterationsException;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresBuilder;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresOptimizer;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresProblem;
import org.apache.commons.math3.fitting.leastsquares.LevenbergMarquardtOptimizer;
import org.apache.commons.math3.fitting.leastsquares.MultivariateJacobianFunction;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.apache.commons.math3.util.Pair;

/**
 * Least-squares fit of the 5-parameter logistic ({@link LogisticCurve}) from a metric to human
 * scores by Levenberg-Marquardt (Commons Math, default tolerances 1e-10), then PLCC and RMSE of
 * the fitted scores: the "PLCC after nonlinear regression" of VQEG and Sheikh et al. 2006.
 *
 * <p>The fit runs on the standardised metric u = (x - mean(x)) / sd(x) (population sd) and maps
 * the parameters back, so that the same starting values and tolerances suit a metric in [0, 1] and
 * one in decibels. Starting values, in the metric's own units:
 *
 * <ul>
 *   <li>b1 = sign(PLCC) * (max(score) - min(score)): the sigmoid's full swing equals the spread
 *       of the scores, and it rises or falls as the data do, so a falling metric (PSNR vs DMOS)
 *       starts in the right basin. The usual b1 = max(score) is the same thing for scores starting
 *       at 0 but assumes a rising curve.
 *   <li>b2 = 1 / sd(metric): the usual b2 = 10 is this value for a metric with sd 0.1 (e.g. SSIM);
 *       a fixed 10 on a PSNR in dB would start as a step function whose gradient vanishes.
 *   <li>b3 = mean(metric), b4 = 0 (no linear term to start), b5 = mean(score): the curve starts
 *       through the centre of the data.
 * </ul>
 *
 * <p>Not converged (and then no numbers) when: fewer than {@value #MIN_PAIRS} pairs, a NaN or
 * infinite value, a constant metric or score, the iteration or evaluation limit is reached, the
 * optimizer fails, or a parameter comes out non-finite.
 */
public final class LogisticFit {
  /** One more than the number of parameters, so that a fit can leave a residual. */
  public static final int MIN_PAIRS = 6;
  /**
   * The iteration limit of MATLAB's {@code nlinfit} ({@code statset('nlinfit').MaxIter}), with which
   * the VQEG / LIVE scripts fitted this curve. Most fits converge in well under 100 iterations (on
   * the TID2013-like benchmark data: median 23, 90th percentile 65); a fit still moving after 100 is
   * usually drifting towards the curve's degenerate limit (b1 to infinity, b2 to 0: a line plus a
   * cubic term), which has no finite optimum, and would burn 1000 iterations to the same verdict.
   * On that data a limit of 1000 converged 526 of 960 per-type fits and 100 converged 498 (2.9% fewer,
   * those needing 100-883 iterations) at a fifth of the time; raise it with {@code --fit-iterations}.
   */
  public static final int DEFAULT_MAX_ITERATIONS = 100;

  private LogisticFit() {}

  public static LogisticFitResult fit(double[] metric, double[] score) {
    return fit(metric, score, DEFAULT_MAX_ITERATIONS);
  }

  /**
   * @param maxIterations Levenberg-Marquardt iterations allowed; evaluations are capped at 20 times
   *     that
   */
  public static LogisticFitResult fit(double[] metric, double[] score, int maxIterations) {
    Correlations.requireSameLength(metric, score);
    if (maxIterations < 1) {
      throw new IllegalArgumentException("maxIterations must be at least 1, got " + maxIterations);
    }
    int n = metric.length;
    String inputProblem = inputProblem(metric, score);
    if (inputProblem != null) {
      return LogisticFitResult.failed(n, 0, inputProblem);
    }
    double meanX = mean(metric);
    double sdX = populationSd(metric, meanX);
    double[] u = new double[n];
    for (int i = 0; i < n; i++) {
      u[i] = (metric[i] - meanX) / sdX;
    }
    LogisticCurve start = startingCurve(metric, score);
    double[] c0 = {start.b1(), 1.0, 0.0, 0.0, start.b5()};

    LeastSquaresProblem problem = new LeastSquaresBuilder()
        .start(c0)
        .model(standardisedModel(u))
        .target(score)
        .lazyEvaluation(false)
        .maxIterations(maxIterations)
        .maxEvaluations((int) Math.min(Integer.MAX_VALUE, 20L * maxIterations))
        .build();
    LeastSquaresOptimizer.Optimum optimum;
    try {
      optimum = new LevenbergMarquardtOptimizer().optimize(problem);
    } catch (TooManyIterationsException e) {
      return LogisticFitResult.failed(n, maxIterations, "not converged in " + maxIterations
          + (maxIterations == 1 ? " iteration" : " iterations"));
    } catch (TooManyEvaluationsException e) {
      return LogisticFitResult.failed(n, maxIterations, "not converged in " + 20L * maxIterations + " evaluations");
    } catch (MathIllegalStateException e) {
      // An internal convergence failure (tolerances too small for the data).
      return LogisticFitResult.failed(n, maxIterations, "not converged: " + e.getMessage());
    }
    double[] c = optimum.getPoint().toArray();
    LogisticCurve curve = new LogisticCurve(
        c[0], c[1] / sdX, meanX + sdX * c[2], c[3] / sdX, c[4] - c[3] * meanX / sdX);
    if (!allFinite(c) || !allFinite(curve.toArray())) {
      return LogisticFitResult.failed(n, optimum.getIterations(),
          "not converged: non-finite parameters " + java.util.Arrays.toString(c));
    }
    double[] fitted = new double[n];
    double squares = 0;
    for (int i = 0; i < n; i++) {
      fitted[i] = curve.apply(metric[i]);
      double d = fitted[i] - score[i];
      squares += d * d;
    }
    double rmse = Math.sqrt(squares / n);
    if (Correlations.isConstant(fitted)) {
      return new LogisticFitResult(n, true, curve, null, rmse, optimum.getIterations(),
          "fitted scores are constant: PLCC undefined");
    }
    double plcc = new PearsonsCorrelation().correlation(fitted, score);
    return new LogisticFitResult(n, true, curve, plcc, rmse, optimum.getIterations(), null);
  }

  /**
   * The documented starting values (see the class comment), in the metric's units. Inputs must
   * have passed the checks of {@link #fit} (finite, not constant).
   */
  public static LogisticCurve startingCurve(double[] metric, double[] score) {
    double meanX = mean(metric);
    double sdX = populationSd(metric, meanX);
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double y : score) {
      lo = Math.min(lo, y);
      hi = Math.max(hi, y);
    }
    double r = new PearsonsCorrelation().correlation(metric, score);
    double direction = r < 0 ? -1.0 : 1.0;
    return new LogisticCurve(direction * (hi - lo), 1.0 / sdX, meanX, 0.0, mean(score));
  }

  private static String inputProblem(double[] metric, double[] score) {
    int n = metric.length;
    if (n < MIN_PAIRS) {
      return "fewer than " + MIN_PAIRS + " pairs for a 5-parameter fit (n=" + n + ")";
    }
    for (int i = 0; i < n; i++) {
      if (!Double.isFinite(metric[i])) {
        return "non-finite metric (" + metric[i] + ") at pair index " + i + ": cannot fit";
      }
      if (!Double.isFinite(score[i])) {
        return "non-finite score (" + score[i] + ") at pair index " + i + ": cannot fit";
      }
    }
    if (Correlations.isConstant(metric)) {
      return "constant metric: cannot fit";
    }
    if (Correlations.isConstant(score)) {
      return "constant score: cannot fit";
    }
    if (!(populationSd(metric, mean(metric)) > 0)) {
      return "metric spread lost to rounding: cannot fit";
    }
    return null;
  }

  /** q(u) = c1 (sigmoid(c2 (u - c3)) - 1/2) + c4 u + c5 and its analytic Jacobian. */
  private static MultivariateJacobianFunction standardisedModel(double[] u) {
    return (RealVector point) -> {
      double c1 = point.getEntry(0);
      double c2 = point.getEntry(1);
      double c3 = point.getEntry(2);
      double c4 = point.getEntry(3);
      double c5 = point.getEntry(4);
      double[] value = new double[u.length];
      double[][] jacobian = new double[u.length][5];
      for (int i = 0; i < u.length; i++) {
        double s = LogisticCurve.sigmoid(c2 * (u[i] - c3));
        double slope = s * (1.0 - s);
        value[i] = c1 * (s - 0.5) + c4 * u[i] + c5;
        double[] row = jacobian[i];
        row[0] = s - 0.5;
        row[1] = c1 * slope * (u[i] - c3);
        row[2] = -c1 * slope * c2;
        row[3] = u[i];
        row[4] = 1.0;
      }
      return new Pair<>(new ArrayRealVector(value, false), new Array2DRowRealMatrix(jacobian, false));
    };
  }

  private static boolean allFinite(double[] values) {
    for (double v : values) {
      if (!Double.isFinite(v)) {
        return false;
      }
    }
    return true;
  }

  private static double mean(double[] v) {
    double sum = 0;
    for (double d : v) {
      sum += d;
    }
    return sum / v.length;
  }

  private static double populationSd(double[] v, double mean) {
    double sum = 0;
    for (double d : v) {
      sum += (d - mean) * (d - mean);
    }
    return Math.sqrt(sum / v.length);
  }
}
