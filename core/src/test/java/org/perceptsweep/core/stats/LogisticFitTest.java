package org.perceptsweep.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LogisticFitTest {
  /** PSNR-like metric: 20 to 45 dB, n points evenly spaced. */
  private static double[] psnrLike(int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = 20 + 25.0 * i / (n - 1);
    }
    return x;
  }

  private static final LogisticCurve TRUE_CURVE = new LogisticCurve(-60, 0.4, 32, -0.5, 70);

  @Test
  void recoversTheParametersOfNoiseFreeData() {
    double[] x = psnrLike(60);
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = TRUE_CURVE.apply(x[i]);
    }
    LogisticFitResult fit = LogisticFit.fit(x, y);
    assertTrue(fit.converged(), fit.failureReason());
    assertEquals(-60, fit.curve().b1(), 1e-6);
    assertEquals(0.4, fit.curve().b2(), 1e-8);
    assertEquals(32, fit.curve().b3(), 1e-7);
    assertEquals(-0.5, fit.curve().b4(), 1e-8);
    assertEquals(70, fit.curve().b5(), 1e-6);
    assertEquals(1.0, fit.plcc(), 1e-12);
    assertEquals(0.0, fit.rmse(), 1e-7);
    assertNull(fit.failureReason());
  }

  @Test
  void noisyFitMatchesScipyCurveFit() {
    // python3 (numpy 2.4.6, scipy 1.17.1):
    //   q = lambda x,b1,b2,b3,b4,b5: b1*(0.5-1/(1+np.exp(b2*(x-b3))))+b4*x+b5
    //   i = np.arange(80); x = 20 + 25*i/79; y = q(x,-60,0.4,32,-0.5,70) + 3*np.sin(1.7*i)
    //   p0 = [-(y.max()-y.min()), 1/x.std(), x.mean(), 0, y.mean()]
    //   p = scipy.optimize.curve_fit(q, x, y, p0=p0, ftol=1e-14, xtol=1e-14, gtol=1e-14)[0]
    //   -> p = [-61.72922323341358, 0.39183012381240645, 31.980057503100756,
    //           -0.4253819897841667, 67.69628876991383]
    //   pearsonr(q(x,*p), y) = 0.9969443117959818; sqrt(mean((q(x,*p)-y)**2)) = 2.1125006552896024
    double[] x = psnrLike(80);
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = TRUE_CURVE.apply(x[i]) + 3 * Math.sin(1.7 * i);
    }
    LogisticFitResult fit = LogisticFit.fit(x, y);
    assertTrue(fit.converged(), fit.failureReason());
    assertEquals(0.9969443117959818, fit.plcc(), 1e-9);
    assertEquals(2.1125006552896024, fit.rmse(), 1e-8);
    assertEquals(-61.72922323341358, fit.curve().b1(), 1e-4);
    assertEquals(0.39183012381240645, fit.curve().b2(), 1e-6);
    assertEquals(31.980057503100756, fit.curve().b3(), 1e-5);
    assertEquals(-0.4253819897841667, fit.curve().b4(), 1e-6);
    assertEquals(67.69628876991383, fit.curve().b5(), 1e-4);
  }

  @Test
  void fittedPlccIsPositiveAndTiedToRmseForAFallingMetric() {
    // At a least-squares optimum the residual e is orthogonal to the fitted scores f and to the
    // constant (both in the span of the Jacobian), so var(y) = var(f) + mean(e^2) and
    // PLCC(f, y) = sd(f) / sd(y) = sqrt(1 - RMSE^2 / var(y)), positive even though PSNR falls
    // against DMOS.
    double[] x = psnrLike(80);
    double[] y = new double[x.length];
    double mean = 0;
    for (int i = 0; i < x.length; i++) {
      y[i] = TRUE_CURVE.apply(x[i]) + 3 * Math.sin(1.7 * i);
      mean += y[i] / x.length;
    }
    double variance = 0;
    for (double v : y) {
      variance += (v - mean) * (v - mean) / x.length;
    }
    LogisticFitResult fit = LogisticFit.fit(x, y);
    assertTrue(Correlations.of(x, y).plcc() < 0);
    assertTrue(fit.plcc() > 0);
    assertEquals(Math.sqrt(1 - fit.rmse() * fit.rmse() / variance), fit.plcc(), 1e-9);
  }

  @Test
  void plccAndRmseDoNotDependOnTheMetricsUnits() {
    // The fit is done on the standardised metric, so an affine change of the metric's units
    // (dB -> 10 dB + 3) changes the parameters but not the fitted scores.
    double[] x = psnrLike(50);
    double[] scaled = new double[x.length];
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = TRUE_CURVE.apply(x[i]) + 4 * Math.cos(2.3 * i);
      scaled[i] = 10 * x[i] + 3;
    }
    LogisticFitResult a = LogisticFit.fit(x, y);
    LogisticFitResult b = LogisticFit.fit(scaled, y);
    assertTrue(a.converged() && b.converged());
    assertEquals(a.plcc(), b.plcc(), 1e-9);
    assertEquals(a.rmse(), b.rmse(), 1e-8);
    assertEquals(a.curve().b2() / 10, b.curve().b2(), 1e-8);
  }

  @Test
  void startingValuesAreTheDocumentedOnes() {
    // x = [0, 1, 2, 3]: mean 1.5, population sd sqrt(1.25); y falls (r < 0) from 9 to 1.
    LogisticCurve start = LogisticFit.startingCurve(new double[] {0, 1, 2, 3}, new double[] {9, 6, 2, 1});
    assertEquals(-8.0, start.b1(), 0.0); // -(max - min)
    assertEquals(1 / Math.sqrt(1.25), start.b2(), 1e-15);
    assertEquals(1.5, start.b3(), 0.0);
    assertEquals(0.0, start.b4(), 0.0);
    assertEquals(4.5, start.b5(), 0.0); // mean score
  }

  @Test
  void aFitThatRunsOutOfIterationsIsNotConvergedAndHasNoNumbers() {
    double[] x = psnrLike(80);
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = TRUE_CURVE.apply(x[i]) + 3 * Math.sin(1.7 * i);
    }
    LogisticFitResult fit = LogisticFit.fit(x, y, 1);
    assertFalse(fit.converged());
    assertNull(fit.curve());
    assertNull(fit.plcc());
    assertNull(fit.rmse());
    assertEquals("not converged in 1 iteration", fit.failureReason());
  }

  @Test
  void inputsThatCannotBeFittedAreReportedNotFitted() {
    double[] y = {1, 2, 3, 4, 5, 6};
    assertEquals("constant metric: cannot fit",
        LogisticFit.fit(new double[] {2, 2, 2, 2, 2, 2}, y).failureReason());
    assertEquals("constant score: cannot fit",
        LogisticFit.fit(y, new double[] {3, 3, 3, 3, 3, 3}).failureReason());
    LogisticFitResult infinite =
        LogisticFit.fit(new double[] {1, 2, 3, Double.POSITIVE_INFINITY, 5, 6}, y);
    assertFalse(infinite.converged());
    assertNull(infinite.plcc());
    assertEquals("non-finite metric (Infinity) at pair index 3: cannot fit", infinite.failureReason());
    assertEquals("fewer than 6 pairs for a 5-parameter fit (n=5)",
        LogisticFit.fit(new double[] {1, 2, 3, 4, 5}, new double[] {1, 2, 3, 4, 5}).failureReason());
  }

  @Test
  void sigmoidNeverOverflows() {
    assertEquals(0.0, LogisticCurve.sigmoid(-1000), 0.0);
    assertEquals(1.0, LogisticCurve.sigmoid(1000), 0.0);
    assertEquals(0.5, LogisticCurve.sigmoid(0), 0.0);
    // q at the centre b3 is b4 b3 + b5: the sigmoid term is 0 there.
    assertEquals(-0.5 * 32 + 70, TRUE_CURVE.apply(32), 1e-12);
  }
}
