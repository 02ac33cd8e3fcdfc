package org.perceptsweep.core.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class CellSummaryTest {
  // Reference A: SROCC 1; reference B: score ranks 1,4,2,3 -> SROCC 1 - 6*6/(4*15) = 0.4;
  // both: SROCC 1 - 6*6/(8*63) = 0.9285714 (worked in AggregateJobTest).
  static final double[] METRIC = {1, 2, 3, 4, 5, 6, 7, 8};
  static final double[] SCORE = {1, 2, 3, 4, 5.5, 8, 6, 7};
  static final String[] REFS = {"A", "A", "A", "A", "B", "B", "B", "B"};

  @Test
  void oneCallGivesCorrelationsFitAndReferenceIntervals() {
    CellSummary s = CellSummary.of(METRIC, SCORE, REFS, 1000, 3);
    assertEquals(8, s.n());
    assertEquals(2, s.references());
    assertEquals(0.9285714285714286, s.correlations().srocc(), 1e-12);
    // Only {A,A}, {A,B}, {B,B} can be drawn: the 95% interval is [0.4, 1] exactly.
    assertEquals(0.4, s.bootstrap().srocc().lower(), 1e-12);
    assertEquals(1.0, s.bootstrap().srocc().upper(), 1e-12);
  }

  @Test
  void noResamplesNoBootstrap() {
    assertNull(CellSummary.of(METRIC, SCORE, REFS, 0, 3).bootstrap());
  }

  @Test
  void agreementIntervalSwapsEndsForANegativeSign() {
    BootstrapInterval raw = new BootstrapInterval(-0.8, -0.9, -0.6, 100, 0, null);
    assertArrayEquals(new Double[] {0.6, 0.9}, CellSummary.agreementInterval(raw, -1));
    assertArrayEquals(new Double[] {-0.9, -0.6}, CellSummary.agreementInterval(raw, 1));
    assertArrayEquals(new Double[] {null, null},
        CellSummary.agreementInterval(new BootstrapInterval(null, null, null, 100, 100, "x"), -1));
    assertNull(CellSummary.agreement(null, -1));
    assertEquals(-0.5, CellSummary.agreement(0.5, -1), 0.0);
  }

  @Test
  void constantCellIsUndefinedEverywhere() {
    double[] flat = {2, 2, 2, 2, 2, 2, 2, 2};
    CellSummary s = CellSummary.of(flat, SCORE, REFS, 100, 3);
    assertEquals("constant metric", s.correlations().undefinedReason());
    assertFalse(s.fit().converged());
    assertNull(s.bootstrap().srocc().lower());
    assertEquals(100, s.bootstrap().srocc().undefinedResamples());
  }
}
