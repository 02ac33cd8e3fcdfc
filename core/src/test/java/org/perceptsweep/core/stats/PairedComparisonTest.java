package org.perceptsweep.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PairedComparisonTest {
  private static final int REFS = 12;
  private static final int PER_REF = 10;

  private final double[] score = new double[REFS * PER_REF];
  private final double[] close = new double[score.length]; // small noise: a good metric
  private final double[] far = new double[score.length]; // large noise: a worse metric
  private final String[] refs = new String[score.length];

  PairedComparisonTest() {
    SplittableRandom random = new SplittableRandom(12345);
    for (int i = 0; i < score.length; i++) {
      refs[i] = "ref" + (i / PER_REF);
      score[i] = random.nextDouble() * 100; // DMOS-like, higher = worse
      close[i] = score[i] + 10 * random.nextGaussian(); // a distance, higher = worse
      far[i] = score[i] + 60 * random.nextGaussian();
    }
  }

  private PairedComparisonResult compare(double[] a, int signA, double[] b, int signB, long seed) {
    ReferenceGroups groups = ReferenceGroups.of(refs);
    return PairedComparison.compare(a, signA, b, signB, score, groups,
        ReferenceResamples.draw(groups.referenceCount(), 1000, seed));
  }

  @Test
  void differencesArePerResampleDifferencesOfTheSameResamples() {
    ReferenceGroups groups = ReferenceGroups.of(refs);
    ReferenceResamples resamples = ReferenceResamples.draw(REFS, 1000, 9);
    // A in PSNR-like direction (negated distance, higher = better): sign -1 against DMOS.
    double[] negatedClose = new double[close.length];
    for (int i = 0; i < close.length; i++) {
      negatedClose[i] = -close[i];
    }
    PairedComparisonResult result =
        PairedComparison.compare(negatedClose, -1, far, 1, score, groups, resamples);
    double[] a = ReferenceBootstrap.sroccReplicates(negatedClose, score, groups, resamples);
    double[] b = ReferenceBootstrap.sroccReplicates(far, score, groups, resamples);
    double[] diff = new double[1000];
    int beats = 0;
    for (int s = 0; s < 1000; s++) {
      diff[s] = -a[s] - b[s];
      if (diff[s] > 0) {
        beats++;
      }
    }
    java.util.Arrays.sort(diff);
    assertEquals(diff[24] + 0.975 * (diff[25] - diff[24]), result.lower(), 1e-12);
    assertEquals(diff[974] + 0.025 * (diff[975] - diff[974]), result.upper(), 1e-12);
    assertEquals(beats / 1000.0, result.fractionABeatsB(), 0.0);
    double wholeA = -Correlations.of(negatedClose, score).srocc();
    double wholeB = Correlations.of(far, score).srocc();
    assertEquals(wholeA, result.sroccA(), 1e-15);
    assertEquals(wholeB, result.sroccB(), 1e-15);
    assertEquals(wholeA - wholeB, result.difference(), 1e-15);
    assertEquals(0, result.undefinedResamples());
    assertNull(result.undefinedReason());
  }

  @Test
  void aClearlyBetterMetricWinsAlmostEveryResample() {
    PairedComparisonResult result = compare(close, 1, far, 1, 4);
    assertTrue(result.difference() > 0.2, "difference " + result.difference());
    assertTrue(result.lower() > 0, "lower " + result.lower());
    assertTrue(result.fractionABeatsB() > 0.99, "fraction " + result.fractionABeatsB());
    PairedComparisonResult reversed = compare(far, 1, close, 1, 4);
    assertEquals(-result.difference(), reversed.difference(), 1e-15);
    assertEquals(-result.lower(), reversed.upper(), 1e-12);
    assertTrue(reversed.fractionABeatsB() < 0.01);
  }

  @Test
  void aMetricAgainstItselfInTheOtherDirectionTiesEverywhere() {
    double[] negated = new double[close.length];
    for (int i = 0; i < close.length; i++) {
      negated[i] = -close[i];
    }
    // close (distance, sign +1) and -close (higher = better, sign -1) agree equally in every
    // resample: difference exactly 0, and a tie is not a win.
    PairedComparisonResult result = compare(close, 1, negated, -1, 6);
    assertEquals(0.0, result.difference(), 1e-15);
    assertEquals(0.0, result.lower(), 1e-15);
    assertEquals(0.0, result.upper(), 1e-15);
    assertEquals(0.0, result.fractionABeatsB(), 0.0);
  }

  @Test
  void undefinedCellsAndBadSignsAreReported() {
    double[] constant = new double[score.length];
    PairedComparisonResult result = compare(close, 1, constant, 1, 1);
    assertNull(result.difference());
    assertNull(result.lower());
    assertEquals("metric B: constant metric", result.undefinedReason());
    assertEquals(1000, result.undefinedResamples());
    assertThrows(IllegalArgumentException.class, () -> compare(close, 0, far, 1, 1));
  }
}
