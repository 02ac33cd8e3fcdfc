package org.perceptsweep.core.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.junit.jupiter.api.Test;

class ReferenceBootstrapTest {

  /** A cell of refs x pairsPerRef pairs with ties (values rounded) and a noisy relation. */
  private static final class Cell {
    final double[] metric;
    final double[] score;
    final String[] refIds;

    Cell(int refs, int pairsPerRef, long seed) {
      SplittableRandom random = new SplittableRandom(seed);
      int n = refs * pairsPerRef;
      metric = new double[n];
      score = new double[n];
      refIds = new String[n];
      for (int i = 0; i < n; i++) {
        int ref = i % refs; // interleaved on purpose: groups need not be contiguous
        refIds[i] = "ref" + ref;
        double quality = random.nextDouble() + 0.2 * ref;
        metric[i] = Math.round(10 * (quality + 0.3 * random.nextGaussian())) / 10.0;
        score[i] = Math.round(5 * (quality + 0.2 * random.nextGaussian())) / 5.0;
      }
    }
  }

  /** The resample written out pair by pair: reference r's pairs repeated count(b, r) times. */
  private static double[][] materialise(double[] metric, double[] score, ReferenceGroups groups,
      ReferenceResamples resamples, int b) {
    int total = 0;
    for (int r = 0; r < groups.referenceCount(); r++) {
      total += resamples.count(b, r) * groups.pairsOf(r).length;
    }
    double[] x = new double[total];
    double[] y = new double[total];
    int k = 0;
    for (int r = 0; r < groups.referenceCount(); r++) {
      for (int copy = 0; copy < resamples.count(b, r); copy++) {
        for (int i : groups.pairsOf(r)) {
          x[k] = metric[i];
          y[k] = score[i];
          k++;
        }
      }
    }
    return new double[][] {x, y};
  }

  @Test
  void replicatesEqualCommonsMathOnTheMaterialisedResamples() {
    Cell cell = new Cell(7, 15, 42);
    ReferenceGroups groups = ReferenceGroups.of(cell.refIds);
    ReferenceResamples resamples = ReferenceResamples.draw(groups.referenceCount(), 300, 7);
    double[] srocc = ReferenceBootstrap.sroccReplicates(cell.metric, cell.score, groups, resamples);
    double[] plcc = ReferenceBootstrap.plccReplicates(cell.metric, cell.score, groups, resamples);
    for (int b = 0; b < resamples.resampleCount(); b++) {
      double[][] xy = materialise(cell.metric, cell.score, groups, resamples, b);
      assertEquals(new SpearmansCorrelation().correlation(xy[0], xy[1]), srocc[b], 1e-12, "b=" + b);
      assertEquals(new PearsonsCorrelation().correlation(xy[0], xy[1]), plcc[b], 1e-12, "b=" + b);
    }
  }

  @Test
  void withTwoReferencesEveryResampleHoldsWholeReferencesOnly() {
    // Reference A: pairs 0-4, reference B: pairs 5-9, with a different relation in each. A resample
    // draws 2 references: {A,A}, {B,B} or {A,B}/{B,A}. Doubling every pair of a set maps its average
    // ranks r to 2r - 1/2, an affine map, so {A,A} has the SROCC of A alone. Hence every replicate
    // must be one of three values; a resample of single pairs would produce others.
    double[] metric = {1, 2, 3, 4, 5, 1.5, 2.5, 3.5, 4.5, 5.5};
    double[] score = {2, 1, 4, 3, 5, 9, 8, 6, 7, 5};
    String[] refs = {"A", "A", "A", "A", "A", "B", "B", "B", "B", "B"};
    ReferenceGroups groups = ReferenceGroups.of(refs);
    double onlyA = new SpearmansCorrelation().correlation(
        Arrays.copyOfRange(metric, 0, 5), Arrays.copyOfRange(score, 0, 5));
    double onlyB = new SpearmansCorrelation().correlation(
        Arrays.copyOfRange(metric, 5, 10), Arrays.copyOfRange(score, 5, 10));
    double both = new SpearmansCorrelation().correlation(metric, score);
    // The three outcomes differ, so the test can tell them apart: 0.8, -0.9, and the mix.
    assertEquals(0.8, onlyA, 1e-12);
    assertEquals(-0.9, onlyB, 1e-12);
    assertTrue(Math.abs(both - onlyA) > 0.1 && Math.abs(both - onlyB) > 0.1);

    ReferenceResamples resamples = ReferenceResamples.draw(2, 1000, 2024);
    double[] replicates = ReferenceBootstrap.sroccReplicates(metric, score, groups, resamples);
    int[] seen = new int[3];
    for (int b = 0; b < replicates.length; b++) {
      int a = resamples.count(b, 0);
      assertEquals(2, a + resamples.count(b, 1));
      double expected = a == 2 ? onlyA : a == 0 ? onlyB : both;
      assertEquals(expected, replicates[b], 1e-12, "resample " + b);
      seen[a]++;
    }
    // Each outcome occurs (probabilities 1/4, 1/2, 1/4 over 1000 draws).
    assertTrue(seen[0] > 150 && seen[1] > 400 && seen[2] > 150, Arrays.toString(seen));
  }

  @Test
  void sameSeedGivesSameIntervalsAndDifferentSeedDifferentResamples() {
    Cell cell = new Cell(10, 12, 3);
    BootstrapResult first = ReferenceBootstrap.run(cell.metric, cell.score, cell.refIds, 99);
    BootstrapResult again = ReferenceBootstrap.run(cell.metric, cell.score, cell.refIds, 99);
    assertEquals(first, again);
    assertEquals(1000, first.srocc().resamples());
    BootstrapResult other = ReferenceBootstrap.run(cell.metric, cell.score, cell.refIds, 100);
    assertNotEquals(first.srocc(), other.srocc());

    ReferenceResamples a = ReferenceResamples.draw(10, 1000, 99);
    ReferenceResamples b = ReferenceResamples.draw(10, 1000, 100);
    int differing = 0;
    for (int s = 0; s < 1000; s++) {
      for (int r = 0; r < 10; r++) {
        if (a.count(s, r) != b.count(s, r)) {
          differing++;
          break;
        }
      }
    }
    // Two independent draws of 10 from 10 coincide with probability about 1e-4 each.
    assertTrue(differing > 990, "differing resamples: " + differing);
  }

  @Test
  void rowOrderDoesNotChangeTheResamples() {
    // References are numbered in sorted id order, so a shuffled cell gets the same intervals.
    Cell cell = new Cell(6, 8, 11);
    int n = cell.metric.length;
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = (i * 7 + 3) % n; // 7 is coprime with 48: a permutation
    }
    double[] x = new double[n];
    double[] y = new double[n];
    String[] refs = new String[n];
    for (int i = 0; i < n; i++) {
      x[i] = cell.metric[perm[i]];
      y[i] = cell.score[perm[i]];
      refs[i] = cell.refIds[perm[i]];
    }
    BootstrapResult original = ReferenceBootstrap.run(cell.metric, cell.score, cell.refIds, 5);
    BootstrapResult shuffled = ReferenceBootstrap.run(x, y, refs, 5);
    assertEquals(original.srocc().lower(), shuffled.srocc().lower(), 1e-12);
    assertEquals(original.srocc().upper(), shuffled.srocc().upper(), 1e-12);
    assertEquals(original.plcc().lower(), shuffled.plcc().lower(), 1e-12);
    assertEquals(original.plcc().upper(), shuffled.plcc().upper(), 1e-12);
  }

  @Test
  void intervalIsTheType7PercentileOfTheReplicates() {
    Cell cell = new Cell(8, 10, 8);
    ReferenceGroups groups = ReferenceGroups.of(cell.refIds);
    ReferenceResamples resamples = ReferenceResamples.draw(8, 1000, 1);
    BootstrapResult result = ReferenceBootstrap.run(cell.metric, cell.score, groups, resamples);
    double[] srocc = ReferenceBootstrap.sroccReplicates(cell.metric, cell.score, groups, resamples);
    Arrays.sort(srocc);
    // 1000 values: position (1000 - 1) * 0.025 = 24.975 -> v[24] + 0.975 (v[25] - v[24]);
    // (1000 - 1) * 0.975 = 974.025 -> v[974] + 0.025 (v[975] - v[974]).
    assertEquals(srocc[24] + 0.975 * (srocc[25] - srocc[24]), result.srocc().lower(), 1e-12);
    assertEquals(srocc[974] + 0.025 * (srocc[975] - srocc[974]), result.srocc().upper(), 1e-12);
    assertEquals(Correlations.of(cell.metric, cell.score).srocc(), result.srocc().estimate());
    assertEquals(Correlations.of(cell.metric, cell.score).plcc(), result.plcc().estimate());
    assertTrue(result.srocc().lower() < result.srocc().upper());
    assertEquals(0, result.srocc().undefinedResamples());
    assertNull(result.srocc().undefinedReason());
    assertEquals(8, result.references());
    assertEquals(80, result.n());
  }

  @Test
  void quantileMatchesNumpyPercentile() {
    // numpy.percentile([1, 2, 3, 4], [2.5, 97.5]) -> [1.075, 3.925]
    assertEquals(1.075, Replicates.quantile(new double[] {1, 2, 3, 4}, 0.025), 1e-12);
    assertEquals(3.925, Replicates.quantile(new double[] {1, 2, 3, 4}, 0.975), 1e-12);
    assertEquals(7.0, Replicates.quantile(new double[] {7}, 0.975), 0.0);
  }

  @Test
  void undefinedResamplesAreCountedNotDropped() {
    // References A and B have the same constant score 1; C varies. A resample that draws no C has a
    // constant score: undefined. So the undefined count must equal the resamples with count(C) = 0.
    double[] metric = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    double[] score = {1, 1, 1, 1, 1, 1, 3, 2, 5};
    String[] refs = {"A", "A", "A", "B", "B", "B", "C", "C", "C"};
    ReferenceGroups groups = ReferenceGroups.of(refs);
    ReferenceResamples resamples = ReferenceResamples.draw(3, 1000, 77);
    int withoutC = 0;
    for (int b = 0; b < 1000; b++) {
      if (resamples.count(b, 2) == 0) {
        withoutC++;
      }
    }
    assertTrue(withoutC > 200 && withoutC < 400, "expected about 1000 * (2/3)^3 = 296: " + withoutC);
    BootstrapResult result = ReferenceBootstrap.run(metric, score, groups, resamples);
    assertEquals(withoutC, result.srocc().undefinedResamples());
    assertEquals(withoutC, result.plcc().undefinedResamples());
    assertEquals(withoutC + " of 1000 resamples undefined (first: constant score in resample);"
        + " interval from the other " + (1000 - withoutC), result.srocc().undefinedReason());
    assertNotNull(result.srocc().lower());
    double[] replicates = ReferenceBootstrap.sroccReplicates(metric, score, groups, resamples);
    assertEquals(withoutC, Arrays.stream(replicates).filter(Double::isNaN).count());
  }

  @Test
  void infiniteMetricKeepsSroccIntervalButNotPlcc() {
    Cell cell = new Cell(5, 6, 21);
    cell.metric[4] = Double.POSITIVE_INFINITY;
    BootstrapResult result = ReferenceBootstrap.run(cell.metric, cell.score, cell.refIds, 1);
    assertNotNull(result.srocc().lower());
    assertNull(result.plcc().estimate());
    assertNull(result.plcc().lower());
    assertEquals("infinite metric at pair index 4: PLCC undefined (ranks still use it)",
        result.plcc().undefinedReason());
  }

  @Test
  void oneReferenceOrBadCellGivesNoInterval() {
    double[] metric = {1, 2, 3, 4};
    double[] score = {2, 1, 4, 3};
    BootstrapResult one = ReferenceBootstrap.run(metric, score, new String[] {"A", "A", "A", "A"}, 1);
    assertNull(one.srocc().lower());
    assertNull(one.srocc().estimate());
    assertEquals(1000, one.srocc().undefinedResamples());
    assertEquals(ReferenceBootstrap.ONE_REFERENCE, one.srocc().undefinedReason());

    double[] withNaN = {1, Double.NaN, 3, 4};
    BootstrapResult nan = ReferenceBootstrap.run(withNaN, score, new String[] {"A", "A", "B", "B"}, 1);
    assertNull(nan.plcc().lower());
    assertEquals("NaN metric at pair index 1; reject such pairs before correlating",
        nan.plcc().undefinedReason());
    assertThrows(IllegalArgumentException.class, () -> ReferenceBootstrap.sroccReplicates(
        withNaN, score, ReferenceGroups.of(new String[] {"A", "A", "B", "B"}),
        ReferenceResamples.draw(2, 10, 1)));
  }

  @Test
  void mismatchedShapesAreRejected() {
    double[] x = {1, 2, 3, 4};
    ReferenceGroups groups = ReferenceGroups.of(new String[] {"A", "A", "B", "B"});
    assertThrows(IllegalArgumentException.class, () -> ReferenceBootstrap.run(
        x, x, groups, ReferenceResamples.draw(3, 10, 1)));
    assertThrows(IllegalArgumentException.class, () -> ReferenceBootstrap.run(
        x, x, ReferenceGroups.of(new String[] {"A", "B"}), ReferenceResamples.draw(2, 10, 1)));
    assertThrows(IllegalArgumentException.class, () -> ReferenceResamples.draw(2, 0, 1));
  }

  @Test
  void groupsNumberReferencesInSortedOrder() {
    ReferenceGroups groups = ReferenceGroups.of(new String[] {"b", "a", "c", "a"});
    assertEquals(3, groups.referenceCount());
    assertEquals("a", groups.referenceId(0));
    assertEquals(1, groups.referenceOf(0));
    assertArrayEquals(new int[] {1, 3}, groups.pairsOf(0));
    assertFalse(groups.toString().isEmpty());
  }

  @Test
  void eachResampleDrawsAsManyReferencesAsThereAre() {
    ReferenceResamples resamples = ReferenceResamples.draw(25, 200, 3);
    for (int b = 0; b < 200; b++) {
      int sum = 0;
      for (int r = 0; r < 25; r++) {
        sum += resamples.count(b, r);
      }
      assertEquals(25, sum);
    }
  }
}
