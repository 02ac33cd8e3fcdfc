package org.perceptsweep.udf.readout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.perceptsweep.core.UserInputException;

/** The fit's solver, its reference-disjoint folds, and channel_norm_l2, on hand-worked and planted data. */
class FitChannelWeightsTest {
  /*
   * min 1/2 w^T Q w - g^T w, w >= 0, Q = [[2,0],[0,1]], g = [2,-1]: unconstrained w = (1, -1);
   * the coordinates are independent, so the constrained minimiser is (1, 0).
   * With lambda = 1: w_0 = g_0 / (Q_00 + 1) = 2/3, w_1 = 0.
   */
  @Test
  void solverHandWorked() {
    double[] q = {2, 0, 0, 1};
    double[] g = {2, -1};
    assertArrayEquals(new double[] {1, 0}, ChannelWeightFit.NonNegativeQuadratic.minimise(q, g, 0, 2), 1e-12);
    assertArrayEquals(new double[] {2.0 / 3, 0}, ChannelWeightFit.NonNegativeQuadratic.minimise(q, g, 1, 2), 1e-12);
  }

  /** Planted non-negative weights with an offset and no noise: NNLS (ridge 0) recovers them. */
  @Test
  void recoversPlantedWeights() {
    double[] truth = {2, 0, 1, 0, 0.5, 3};
    Random random = new Random(1);
    int n = 200;
    float[][] x = new float[n][truth.length];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < truth.length; j++) {
        x[i][j] = random.nextFloat();
        y[i] += truth[j] * x[i][j];
      }
      y[i] += 5; // the intercept is free: it does not enter the distance
    }
    assertArrayEquals(truth, ChannelWeightFit.fit(x, y, 0), 1e-6);
    // Ridge shrinks the weights towards 0, keeps them non-negative.
    double[] ridged = ChannelWeightFit.fit(x, y, 1.0);
    double normTruth = 0;
    double normRidged = 0;
    for (int j = 0; j < truth.length; j++) {
      assertTrue(ridged[j] >= 0);
      normTruth += truth[j] * truth[j];
      normRidged += ridged[j] * ridged[j];
    }
    assertTrue(normRidged < normTruth, normRidged + " vs " + normTruth);
  }

  /** Where least squares wants negative weights the fit satisfies the KKT conditions of w >= 0. */
  @Test
  void constrainedOptimumSatisfiesKkt() {
    Random random = new Random(4);
    int n = 80;
    int p = 10;
    float[][] x = new float[n][p];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < p; j++) {
        x[i][j] = random.nextFloat();
      }
      y[i] = x[i][0] - 2 * x[i][1] + 0.5 * x[i][2] - x[i][3] + 0.1 * random.nextGaussian();
    }
    double[] w = ChannelWeightFit.fit(x, y, 0);
    // Gradient of 1/2 |Xc w - yc|^2: Xc^T (Xc w - yc).
    double[] mx = new double[p];
    double my = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < p; j++) {
        mx[j] += x[i][j] / (double) n;
      }
      my += y[i] / n;
    }
    double[] grad = new double[p];
    for (int i = 0; i < n; i++) {
      double r = -(y[i] - my);
      for (int j = 0; j < p; j++) {
        r += w[j] * (x[i][j] - mx[j]);
      }
      for (int j = 0; j < p; j++) {
        grad[j] += (x[i][j] - mx[j]) * r;
      }
    }
    assertEquals(0.0, w[1], "negative effect -> weight 0");
    assertEquals(0.0, w[3], "negative effect -> weight 0");
    assertTrue(w[0] > 0.5, java.util.Arrays.toString(w));
    for (int j = 0; j < p; j++) {
      if (w[j] > 0) {
        assertEquals(0.0, grad[j], 1e-6, "stationary in free coordinate " + j);
      } else {
        assertTrue(grad[j] >= -1e-6, "no descent into the feasible side at " + j + ": " + grad[j]);
      }
    }
  }

  /** No reference appears in two folds, for many random layouts and seeds; folds are balanced. */
  @Test
  void noReferenceInBothATrainAndATestFold() {
    Random random = new Random(9);
    for (int trial = 0; trial < 50; trial++) {
      int refs = 5 + random.nextInt(40);
      int folds = 2 + random.nextInt(Math.min(refs, 10) - 1);
      String[] pairRefs = new String[refs * 3 + random.nextInt(20)];
      for (int i = 0; i < pairRefs.length; i++) {
        pairRefs[i] = "ref" + (i < refs ? i : random.nextInt(refs));
      }
      long seed = random.nextLong();
      int[] fold = ReferenceFolds.foldOfPairs(pairRefs, folds, seed);
      Map<String, Integer> seen = new HashMap<>();
      int[] refsPerFold = new int[folds];
      for (int i = 0; i < pairRefs.length; i++) {
        Integer before = seen.putIfAbsent(pairRefs[i], fold[i]);
        if (before == null) {
          refsPerFold[fold[i]]++;
        } else {
          assertEquals(before.intValue(), fold[i], "reference " + pairRefs[i] + " split across folds");
        }
      }
      // Each test fold f: its references are disjoint from those of the training folds.
      for (int f = 0; f < folds; f++) {
        Set<String> test = new HashSet<>();
        Set<String> train = new HashSet<>();
        for (int i = 0; i < pairRefs.length; i++) {
          (fold[i] == f ? test : train).add(pairRefs[i]);
        }
        assertTrue(!test.isEmpty());
        test.retainAll(train);
        assertTrue(test.isEmpty(), "references in train and test of fold " + f + ": " + test);
      }
      int min = java.util.Arrays.stream(refsPerFold).min().getAsInt();
      int max = java.util.Arrays.stream(refsPerFold).max().getAsInt();
      assertTrue(max - min <= 1, "balanced in references");
      assertArrayEquals(fold, ReferenceFolds.foldOfPairs(pairRefs, folds, seed), "deterministic for a seed");
    }
    String[] refs = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"};
    assertNotEquals(ReferenceFolds.assign(List.of(refs), 5, 1), ReferenceFolds.assign(List.of(refs), 5, 2),
        "the seed matters");
    assertThrows(UserInputException.class, () -> ReferenceFolds.assign(List.of(refs), 11, 1));
    assertThrows(UserInputException.class, () -> ReferenceFolds.assign(List.of(refs), 1, 1));
  }

  /**
   * Each out-of-fold distance equals the distance under weights fitted, from scratch, on exactly the
   * pairs whose references are not in its fold (the moment bookkeeping adds nothing from the test fold).
   */
  @Test
  void outOfFoldDistancesComeFromWeightsFittedWithoutTheirReference() {
    Random random = new Random(2);
    int n = 60;
    int p = 5;
    float[][] x = new float[n][p];
    double[] y = new double[n];
    String[] refs = new String[n];
    for (int i = 0; i < n; i++) {
      refs[i] = "r" + (i % 12);
      for (int j = 0; j < p; j++) {
        x[i][j] = random.nextFloat();
      }
      y[i] = x[i][0] + 2 * x[i][3] + 0.3 * random.nextGaussian() + (i % 12) * 0.1;
    }
    ChannelWeightFit.CrossValidation cv = ChannelWeightFit.crossValidate(x, y, refs, 4, 7, 0.01);
    for (int f = 0; f < 4; f++) {
      List<float[]> tx = new ArrayList<>();
      List<Double> ty = new ArrayList<>();
      Set<String> testRefs = new HashSet<>();
      for (int i = 0; i < n; i++) {
        if (cv.fold()[i] == f) {
          testRefs.add(refs[i]);
        }
      }
      for (int i = 0; i < n; i++) {
        if (!testRefs.contains(refs[i])) {
          tx.add(x[i]);
          ty.add(y[i]);
        }
      }
      double[] w = ChannelWeightFit.fit(tx.toArray(new float[0][]), ty.stream().mapToDouble(Double::doubleValue)
          .toArray(), 0.01);
      assertArrayEquals(w, cv.foldWeights()[f], 1e-9);
      for (int i = 0; i < n; i++) {
        if (cv.fold()[i] == f) {
          assertEquals(ChannelWeightFit.predict(new float[][] {x[i]}, w)[0], cv.outOfFold()[i], 1e-9);
        }
      }
    }
  }

  /*
   * channel_norm_l2 by hand: 2 pairs, 3 channels, channel 2 zero for every pair.
   *   d(pair 0) = (1, 4, 0), d(pair 1) = (3, 0, 0):  n = (2, 2, 0)
   *   pair 0: sqrt(mean(1/2, 4/2)) = sqrt(1.25);  pair 1: sqrt(mean(3/2, 0)) = sqrt(0.75)
   *   (channel 2 is left out: n_2 = 0)
   */
  @Test
  void channelNormL2HandWorked() {
    float[] d0 = {1, 4, 0};
    float[] d1 = {3, 0, 0};
    double[] n = ChannelNorm.means(ChannelNorm.accumulate(ChannelNorm.accumulate(null, d0), d1), 2);
    assertArrayEquals(new double[] {2, 2, 0}, n, 0);
    assertEquals(Math.sqrt(1.25), ChannelNorm.distance(d0, n), 1e-15);
    assertEquals(Math.sqrt(0.75), ChannelNorm.distance(d1, n), 1e-15);
    assertEquals(0.0, ChannelNorm.distance(new float[] {0, 0, 0}, new double[] {0, 0, 0}));
  }
}
