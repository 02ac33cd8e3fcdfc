package org.perceptsweep.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CorrelationsTest {
  private static final double EXACT = 1e-12;

  @Test
  void smallCaseWithTiesMatchesHandComputation() {
    // x = [1,2,2,3], y = [1,3,2,3].
    // Ranks x = [1, 2.5, 2.5, 4], y = [1, 3.5, 2, 3.5]; centred (mean 2.5):
    //   dx = [-1.5, 0, 0, 1.5], dy = [-1.5, 1, -0.5, 1];
    //   sum dx dy = 2.25 + 1.5 = 3.75, sum dx^2 = 4.5, sum dy^2 = 4.5 -> rho = 3.75 / 4.5 = 5/6.
    // Kendall over the 6 pairs: (1,2),(1,3),(1,4),(3,4) concordant; (2,3) tied in x; (2,4) tied
    //   in y; no discordant -> tau-b = (4 - 0) / sqrt((6 - 1)(6 - 1)) = 0.8.
    // Pearson: dx = [-1,0,0,1], dy = [-1.25,.75,-.25,.75]; sum dx dy = 2, sum dx^2 = 2,
    //   sum dy^2 = 2.75 -> r = 2 / sqrt(5.5) = 0.8528028654224415 (scipy agrees on all three).
    CorrelationResult r = Correlations.of(new double[] {1, 2, 2, 3}, new double[] {1, 3, 2, 3});
    assertEquals(4, r.n());
    assertEquals(5.0 / 6.0, r.srocc(), EXACT);
    assertEquals(0.8, r.krocc(), EXACT);
    assertEquals(2.0 / Math.sqrt(5.5), r.plcc(), EXACT);
    assertNull(r.undefinedReason());
    assertTrue(r.complete());
  }

  @Test
  void heavyTiesMatchScipy() {
    // python3: x=[1,1,1,2,2,3,3,3,3,4]; y=[2,1,2,2,3,3,5,4,4,5]
    //   scipy.stats.spearmanr -> 0.9061498744339752, kendalltau (tau-b) -> 0.8390645410391885,
    //   pearsonr -> 0.8955334711889903 (scipy 1.17.1)
    CorrelationResult r = Correlations.of(
        new double[] {1, 1, 1, 2, 2, 3, 3, 3, 3, 4}, new double[] {2, 1, 2, 2, 3, 3, 5, 4, 4, 5});
    assertEquals(0.9061498744339752, r.srocc(), EXACT);
    assertEquals(0.8390645410391885, r.krocc(), EXACT);
    assertEquals(0.8955334711889903, r.plcc(), EXACT);
  }

  @Test
  void negativeCorrelationWithTiesMatchesScipy() {
    // python3: x=[.12,.35,.35,.50,.61,.61,.61,.80,.93,.99]; y=[71,60.5,66,52,52,40,45.5,30,33,12]
    //   spearmanr -> -0.9630363567333498, kendalltau -> -0.8946750577612211,
    //   pearsonr -> -0.9514000622002483
    CorrelationResult r = Correlations.of(
        new double[] {0.12, 0.35, 0.35, 0.50, 0.61, 0.61, 0.61, 0.80, 0.93, 0.99},
        new double[] {71.0, 60.5, 66.0, 52.0, 52.0, 40.0, 45.5, 30.0, 33.0, 12.0});
    assertEquals(-0.9630363567333498, r.srocc(), EXACT);
    assertEquals(-0.8946750577612211, r.krocc(), EXACT);
    assertEquals(-0.9514000622002483, r.plcc(), EXACT);
  }

  @Test
  void perfectlyReversedOrderIsMinusOne() {
    CorrelationResult r = Correlations.of(new double[] {1, 2, 3, 4, 5}, new double[] {9, 7, 5, 3, 1});
    assertEquals(-1.0, r.srocc(), EXACT);
    assertEquals(-1.0, r.krocc(), EXACT);
    assertEquals(-1.0, r.plcc(), EXACT);
  }

  @Test
  void twoPairsAreUndefinedBecauseAnyOrderGivesPlusOrMinusOne() {
    CorrelationResult r = Correlations.of(new double[] {1, 2}, new double[] {3, 5});
    assertEquals(2, r.n());
    assertNull(r.srocc());
    assertNull(r.krocc());
    assertNull(r.plcc());
    assertEquals("fewer than 3 pairs (n=2)", r.undefinedReason());
    assertEquals("fewer than 3 pairs (n=0)", Correlations.of(new double[0], new double[0]).undefinedReason());
  }

  @Test
  void constantInputsAreUndefinedWithTheirReason() {
    CorrelationResult metric = Correlations.of(new double[] {4, 4, 4, 4}, new double[] {1, 2, 3, 4});
    assertNull(metric.srocc());
    assertNull(metric.krocc());
    assertNull(metric.plcc());
    assertEquals("constant metric", metric.undefinedReason());
    CorrelationResult score = Correlations.of(new double[] {1, 2, 3, 4}, new double[] {7, 7, 7, 7});
    assertNull(score.srocc());
    assertEquals("constant score", score.undefinedReason());
    // All +Infinity (every pair identical to its reference) is constant too.
    double inf = Double.POSITIVE_INFINITY;
    assertEquals("constant metric",
        Correlations.of(new double[] {inf, inf, inf}, new double[] {1, 2, 3}).undefinedReason());
  }

  @Test
  void infinitePsnrRanksAsBestButLeavesPlccUndefined() {
    // PSNR (higher = better) vs DMOS (higher = worse); the identical pair has PSNR +Infinity and
    // DMOS 0. Order by PSNR: 20 < 25 < 30 < 35 < Inf; DMOS: 50 > 40 > 20 > 10 > 0: perfectly
    // reversed, so SROCC = KROCC = -1 exactly; the infinity must rank above 35.
    double inf = Double.POSITIVE_INFINITY;
    CorrelationResult r = Correlations.of(
        new double[] {30, 25, inf, 20, 35}, new double[] {20, 40, 0, 50, 10});
    assertEquals(-1.0, r.srocc(), EXACT);
    assertEquals(-1.0, r.krocc(), EXACT);
    assertNull(r.plcc());
    assertEquals("infinite metric at pair index 2: PLCC undefined (ranks still use it)",
        r.undefinedReason());
    assertTrue(!r.complete());
  }

  @Test
  void twoInfinitiesTie() {
    // x = [1, Inf, Inf, 3] has ranks [1, 3.5, 3.5, 2], the same as the finite x = [1, 9, 9, 3]:
    // the two infinities must tie and rank above 3.
    double inf = Double.POSITIVE_INFINITY;
    double[] y = {1, 3, 2, 3};
    CorrelationResult withInf = Correlations.of(new double[] {1, inf, inf, 3}, y);
    CorrelationResult finite = Correlations.of(new double[] {1, 9, 9, 3}, y);
    assertEquals(finite.srocc(), withInf.srocc(), EXACT);
    assertEquals(finite.krocc(), withInf.krocc(), EXACT);
    assertNull(withInf.plcc());
  }

  @Test
  void nanIsUndefinedNamingThePair() {
    CorrelationResult r = Correlations.of(new double[] {1, 2, Double.NaN, 4}, new double[] {1, 2, 3, 4});
    assertNull(r.srocc());
    assertNull(r.krocc());
    assertNull(r.plcc());
    assertEquals("NaN metric at pair index 2; reject such pairs before correlating", r.undefinedReason());
    CorrelationResult s = Correlations.of(new double[] {1, 2, 3, 4}, new double[] {Double.NaN, 2, 3, 4});
    assertEquals("NaN score at pair index 0; reject such pairs before correlating", s.undefinedReason());
  }

  @Test
  void negativeZeroTiesWithZero() {
    double[] y = {1, 3, 2, 3};
    CorrelationResult negative = Correlations.of(new double[] {-1, -0.0, 0.0, 1}, y);
    CorrelationResult positive = Correlations.of(new double[] {-1, 0.0, 0.0, 1}, y);
    assertEquals(positive.srocc(), negative.srocc(), EXACT);
    assertEquals(positive.krocc(), negative.krocc(), EXACT);
    // Same layout as the hand-worked case: tau-b 0.8.
    assertEquals(0.8, negative.krocc(), EXACT);
  }

  @Test
  void mismatchedLengthsAreACallerBug() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Correlations.of(new double[3], new double[4]));
    assertEquals("metric has 3 values but score has 4", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Correlations.of(null, new double[4]));
  }

  @Test
  void inputsAreNotModified() {
    double[] x = {-0.0, 2, 1};
    double[] y = {3, 1, 2};
    Correlations.of(x, y);
    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(x[0]));
    assertNotNull(y);
  }
}
