package org.perceptsweep.udf.readout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.perceptsweep.core.UserInputException;

/** The device readouts against hand-worked values and against the plain-Java reference. */
class ReadoutsTest {
  /*
   * Hand-worked case, C=2, H=1, W=2, layout [c][h][w]:
   *   a: c0 = [3, 0], c1 = [4, 1]      b: c0 = [0, 0], c1 = [4, 2]
   * Differences: c0 = [3, 0], c1 = [0, -1]; squares 9, 0, 0, 1; sum 10.
   *   l2  = sqrt(10)            = 3.1622776601683795
   *   mse = 10 / 4              = 2.5
   * Unit vectors across channels per position:
   *   position 0: a = (3,4)/5 = (0.6, 0.8); b = (0,4)/4 = (0, 1); diff (0.6, -0.2); squares 0.36, 0.04
   *   position 1: a = (0,1)/1 = (0, 1);     b = (0,2)/2 = (0, 1); diff 0
   *   unit_l2 = mean(0.36 + 0.04, 0)                 = 0.2
   *   weighted, w = (0.5, 2): mean(0.5*0.36 + 2*0.04, 0) = mean(0.26, 0) = 0.13
   * (eps 1e-10 changes these by about 1e-11.)
   */
  static final float[] A = {3, 0, 4, 1};
  static final float[] B = {0, 0, 4, 2};
  static final float[] W = {0.5f, 2f};

  @Test
  void plainJavaGivesHandWorkedValues() {
    assertEquals(Math.sqrt(10), ArrayReadouts.compute(Readout.L2, A, B, 2, 1, 2, null), 1e-12);
    assertEquals(2.5, ArrayReadouts.compute(Readout.MSE, A, B, 2, 1, 2, null), 1e-12);
    assertEquals(0.2, ArrayReadouts.compute(Readout.UNIT_L2, A, B, 2, 1, 2, null), 1e-9);
    assertEquals(0.13, ArrayReadouts.compute(Readout.WEIGHTED, A, B, 2, 1, 2, W), 1e-9);
  }

  @Test
  void deviceGivesHandWorkedValues() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = m.create(A, new Shape(1, 2, 1, 2));
      NDArray b = m.create(B, new Shape(1, 2, 1, 2));
      NDArray w = m.create(W);
      NDArray ua = NdReadouts.unitNormalise(a);
      assertEquals(3.1622777f, NdReadouts.compute(Readout.L2, a, ua, b, w).getFloat(0), 1e-6f);
      assertEquals(2.5f, NdReadouts.compute(Readout.MSE, a, ua, b, w).getFloat(0), 1e-6f);
      assertEquals(0.2f, NdReadouts.compute(Readout.UNIT_L2, a, ua, b, w).getFloat(0), 1e-6f);
      assertEquals(0.13f, NdReadouts.compute(Readout.WEIGHTED, a, ua, b, w).getFloat(0), 1e-6f);
    }
  }

  /*
   * A position where one activation vector is all zero: eps keeps u = 0 there (no NaN), so the
   * unit distance at that position is |u_b|^2 = 1. a = [[0],[0]] (C=2,H=1,W=1), b = [[3],[4]]:
   * unit_l2 = (0.6^2 + 0.8^2) = 1; weighted with w = (0.5, 2) = 0.5*0.36 + 2*0.64 = 1.46.
   */
  @Test
  void zeroActivationVectorsAreFinite() {
    float[] zero = {0, 0};
    float[] b = {3, 4};
    assertEquals(1.0, ArrayReadouts.compute(Readout.UNIT_L2, zero, b, 2, 1, 1, null), 1e-9);
    assertEquals(1.46, ArrayReadouts.compute(Readout.WEIGHTED, zero, b, 2, 1, 1, W), 1e-9);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray za = m.create(zero, new Shape(1, 2, 1, 1));
      NDArray nb = m.create(b, new Shape(1, 2, 1, 1));
      NDArray uz = NdReadouts.unitNormalise(za);
      assertEquals(1.0f, NdReadouts.compute(Readout.UNIT_L2, za, uz, nb, null).getFloat(0), 1e-6f);
      assertEquals(1.46f, NdReadouts.compute(Readout.WEIGHTED, za, uz, nb, m.create(W)).getFloat(0), 1e-6f);
    }
  }

  /** Random activations, a batch of 3 distorted against one reference: device == plain Java to 1e-5. */
  @ParameterizedTest
  @EnumSource(Readout.class)
  void deviceMatchesPlainJavaOnRandomTensors(Readout readout) {
    int c = 24;
    int h = 7;
    int w = 9;
    int n = 3;
    int size = c * h * w;
    Random random = new Random(7);
    float[] ref = relu(random, size);
    float[] dist = new float[n * size];
    for (int i = 0; i < dist.length; i++) {
      dist[i] = Math.max(0f, ref[i % size] + (float) random.nextGaussian() * 0.3f * (1 + i / size));
    }
    float[] weights = new float[c];
    for (int i = 0; i < c; i++) {
      weights[i] = random.nextFloat() * 0.2f;
    }
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = m.create(ref, new Shape(1, c, h, w));
      NDArray b = m.create(dist, new Shape(n, c, h, w));
      float[] got = NdReadouts.compute(readout, a, NdReadouts.unitNormalise(a), b, m.create(weights)).toFloatArray();
      assertEquals(n, got.length);
      for (int i = 0; i < n; i++) {
        float[] one = new float[size];
        System.arraycopy(dist, i * size, one, 0, size);
        double expected = ArrayReadouts.compute(readout, ref, one, c, h, w, weights);
        assertTrue(expected > 0, "distorted images differ from the reference");
        assertEquals(expected, got[i], 1e-5 * expected, readout + " image " + i);
      }
    }
  }

  @Test
  void invariants() {
    Random random = new Random(3);
    float[] a = relu(random, 4 * 5 * 6);
    float[] b = relu(random, 4 * 5 * 6);
    for (Readout r : Readout.values()) {
      assertEquals(0.0, ArrayReadouts.compute(r, a, a, 4, 5, 6, new float[] {1, 1, 1, 1}), 1e-12, r + "(a, a)");
      assertEquals(ArrayReadouts.compute(r, a, b, 4, 5, 6, new float[] {1, 2, 3, 4}),
          ArrayReadouts.compute(r, b, a, 4, 5, 6, new float[] {1, 2, 3, 4}), 1e-12, r + " is symmetric");
    }
    // Unit normalisation: scaling b by 3 leaves unit_l2 unchanged; weights of 1 give unit_l2.
    float[] b3 = b.clone();
    for (int i = 0; i < b3.length; i++) {
      b3[i] *= 3;
    }
    assertEquals(ArrayReadouts.compute(Readout.UNIT_L2, a, b, 4, 5, 6, null),
        ArrayReadouts.compute(Readout.UNIT_L2, a, b3, 4, 5, 6, null), 1e-6); // b3 is rounded to float
    assertEquals(ArrayReadouts.compute(Readout.UNIT_L2, a, b, 4, 5, 6, null),
        ArrayReadouts.compute(Readout.WEIGHTED, a, b, 4, 5, 6, new float[] {1, 1, 1, 1}), 1e-12);
  }

  @Test
  void unknownReadoutIsAClearError() {
    UserInputException e = assertThrows(UserInputException.class, () -> ReadoutSet.parse("l2,lpips", null, null));
    assertTrue(e.getMessage().contains("'lpips'") && e.getMessage().contains("unit_l2"), e.getMessage());
    UserInputException noWeights = assertThrows(UserInputException.class,
        () -> ReadoutSet.parse("weighted", null, null));
    assertTrue(noWeights.getMessage().contains("channel-weights"), noWeights.getMessage());
  }

  private static float[] relu(Random random, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) Math.max(0, random.nextGaussian());
    }
    return v;
  }
}
