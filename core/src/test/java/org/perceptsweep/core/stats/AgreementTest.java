package org.perceptsweep.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AgreementTest {
  @Test
  void signFollowsBothDirections() {
    // distance (higher = worse) vs DMOS (higher = worse): positive correlation agrees.
    assertEquals(1, Agreement.sign(true, false));
    // PSNR (higher = better) vs DMOS: a good PSNR correlates negatively.
    assertEquals(-1, Agreement.sign(false, false));
    // distance vs MOS (higher = better): negative correlation agrees.
    assertEquals(-1, Agreement.sign(true, true));
    // PSNR vs MOS.
    assertEquals(1, Agreement.sign(false, true));
  }

  @Test
  void signedPsnrAgainstDmosBecomesPositiveAgreement() {
    double inf = Double.POSITIVE_INFINITY;
    CorrelationResult r = Correlations.of(
        new double[] {30, 25, inf, 20, 35}, new double[] {20, 40, 0, 50, 10});
    assertEquals(1.0, Agreement.sign(false, false) * r.srocc(), 1e-12);
  }
}
