package org.perceptsweep.udf.readout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
   * The statistical readouts on the same A, B (C=2, P = H*W = 2):
   *   per-channel means      m_a = (1.5, 2.5)   m_b = (0, 3)
   *   population std         s_a = (1.5, 1.5)   s_b = (0, 1)     (a_c0 = 3,0: deviations +-1.5; b_c1 = 4,2: +-1)
   *   mean_std = sqrt((1.5-0)^2 + (1.5-0)^2 + (2.5-3)^2 + (1.5-1)^2) = sqrt(4.5 + 0.5) = sqrt(5)
   *   gram: G = F F^T / 2.  G_a = [[9,12],[12,17]]/2 = [[4.5,6],[6,8.5]],  G_b = [[0,0],[0,20]]/2 = [[0,0],[0,10]]
   *         G_a - G_b = [[4.5,6],[6,-1.5]];  Frobenius = sqrt(20.25 + 36 + 36 + 2.25) = sqrt(94.5) = 9.72111104761179
   *   dists (c1 = c2 = 1e-6): channel 0: m_b = 0 and s_b = 0, so S1 = S2 = 1e-6 / (2.25 + 1e-6) = 4.4444e-7;
   *         channel 1: S1 = (2*2.5*3 + c1) / (6.25 + 9 + c1) ~ 60/61,  cov = (1.5*1 + (-1.5)*(-1)) / 2 = 1.5,
   *         S2 = (2*1.5 + c2) / (2.25 + 1 + c2) ~ 12/13;
   *         dists = 1 - ((S1+S2)_0 / 2 + (S1+S2)_1 / 2) / 2 = 0.5233289014784805  (1 - (60/61 + 12/13)/4 = 0.52332913
   *         without the constants)
   *   cosine: a.b = 0 + 0 + 16 + 2 = 18, |a|^2 = 26, |b|^2 = 20: 1 - 18 / sqrt(520) = 0.21064778262367367
   * Channel terms: unit_l2 kind: position 0 gives squares (0.36, 0.04), position 1 (0, 0): means (0.18, 0.02),
   *   summing to unit_l2 = 0.2;  mse kind: channel 0 diffs (3, 0) -> 4.5, channel 1 (0, -1) -> 0.5, mean 2.5 = mse.
   */
  @Test
  void statisticalReadoutsGiveHandWorkedValues() {
    assertEquals(Math.sqrt(5), ArrayReadouts.compute(Readout.MEAN_STD, A, B, 2, 1, 2, null), 1e-12);
    assertEquals(9.72111104761179, ArrayReadouts.compute(Readout.GRAM, A, B, 2, 1, 2, null), 1e-12);
    assertEquals(0.5233289014784805, ArrayReadouts.compute(Readout.DISTS, A, B, 2, 1, 2, null), 1e-12);
    assertEquals(0.21064778262367367, ArrayReadouts.compute(Readout.COSINE, A, B, 2, 1, 2, null), 1e-12);
    assertArrayEquals(new double[] {0.18, 0.02},
        ArrayReadouts.channelTerms(ChannelTermKind.UNIT_L2, A, B, 2, 1, 2), 1e-9);
    assertArrayEquals(new double[] {4.5, 0.5}, ArrayReadouts.channelTerms(ChannelTermKind.MSE, A, B, 2, 1, 2), 1e-12);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = m.create(A, new Shape(1, 2, 1, 2));
      NDArray b = m.create(B, new Shape(1, 2, 1, 2));
      assertEquals(2.2360680f, NdReadouts.compute(Readout.MEAN_STD, a, null, b, null).getFloat(0), 1e-6f);
      assertEquals(9.721111f, NdReadouts.compute(Readout.GRAM, a, null, b, null).getFloat(0), 1e-5f);
      assertEquals(0.5233289f, NdReadouts.compute(Readout.DISTS, a, null, b, null).getFloat(0), 1e-6f);
      assertEquals(0.21064778f, NdReadouts.compute(Readout.COSINE, a, null, b, null).getFloat(0), 1e-6f);
      assertArrayEquals(new float[] {0.18f, 0.02f},
          NdReadouts.channelTerms(ChannelTermKind.UNIT_L2, a, NdReadouts.unitNormalise(a), b).toFloatArray(), 1e-6f);
      assertArrayEquals(new float[] {4.5f, 0.5f},
          NdReadouts.channelTerms(ChannelTermKind.MSE, a, null, b).toFloatArray(), 1e-6f);
    }
  }

  /*
   * Zero tensors: cosine is 0 for two zero tensors and 1/2 when exactly one is zero (Readout.COSINE);
   * dists of two all-zero channels is 0 (S1 = S2 = c/c = 1); with a zero reference against b = (3, 4) at
   * one position (C=2, H=W=1): m_a = 0, s_a = s_b = 0, S1 = c1 / (m_b^2 + c1) ~ 0 per channel, S2 = c2/c2 = 1,
   * so dists = 1 - mean_c (S1 + 1)/2 = 1 - (1e-6/(9+1e-6) + 1e-6/(16+1e-6) + 2)/4 = 0.4999999548611...
   */
  @Test
  void zeroTensorsAreFinite() {
    float[] zero = {0, 0};
    float[] b = {3, 4};
    double dists = 1 - (1e-6 / (9 + 1e-6) + 1e-6 / (16 + 1e-6) + 2) / 4;
    assertEquals(0.0, ArrayReadouts.compute(Readout.COSINE, zero, zero, 2, 1, 1, null));
    assertEquals(0.5, ArrayReadouts.compute(Readout.COSINE, zero, b, 2, 1, 1, null));
    assertEquals(0.0, ArrayReadouts.compute(Readout.DISTS, zero, zero, 2, 1, 1, null));
    assertEquals(dists, ArrayReadouts.compute(Readout.DISTS, zero, b, 2, 1, 1, null), 1e-12);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray z = m.create(zero, new Shape(1, 2, 1, 1));
      NDArray nb = m.create(b, new Shape(1, 2, 1, 1));
      assertEquals(0f, NdReadouts.compute(Readout.COSINE, z, null, z, null).getFloat(0), 1e-7f);
      assertEquals(0.5f, NdReadouts.compute(Readout.COSINE, z, null, nb, null).getFloat(0), 1e-7f);
      assertEquals(0f, NdReadouts.compute(Readout.DISTS, z, null, z, null).getFloat(0), 1e-7f);
      assertEquals((float) dists, NdReadouts.compute(Readout.DISTS, z, null, nb, null).getFloat(0), 1e-6f);
    }
  }

  /**
   * Nearly identical activations (relative noise 1e-3): the device's cancellation-free forms of
   * dists, gram and cosine keep float32 precision where 1 - x would lose it (1 - cos here is ~1e-7,
   * at float32's rounding of 1).
   */
  @ParameterizedTest
  @EnumSource(Readout.class)
  void deviceKeepsPrecisionForTinyDistances(Readout readout) {
    int c = 16;
    int h = 5;
    int w = 6;
    int size = c * h * w;
    Random random = new Random(11);
    float[] ref = relu(random, size);
    float[] dist = new float[size];
    for (int i = 0; i < size; i++) {
      dist[i] = ref[i] * (1 + 1e-3f * (float) random.nextGaussian()) + 1e-3f * random.nextFloat();
    }
    float[] weights = new float[c];
    java.util.Arrays.fill(weights, 0.5f);
    double expected = ArrayReadouts.compute(readout, ref, dist, c, h, w, weights);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = m.create(ref, new Shape(1, c, h, w));
      NDArray b = m.create(dist, new Shape(1, c, h, w));
      float got = NdReadouts.compute(readout, a, NdReadouts.unitNormalise(a), b, m.create(weights)).getFloat(0);
      assertTrue(expected > 0);
      assertEquals(expected, got, 1e-3 * expected, readout + ": device " + got + " vs reference " + expected);
    }
  }

  /** Channel terms on random tensors: device == plain Java, and they add up to unit_l2 and mse. */
  @ParameterizedTest
  @EnumSource(ChannelTermKind.class)
  void channelTermsMatchPlainJavaAndAddUpToTheirReadout(ChannelTermKind kind) {
    int c = 12;
    int h = 4;
    int w = 7;
    int n = 2;
    int size = c * h * w;
    Random random = new Random(5);
    float[] ref = relu(random, size);
    float[] dist = new float[n * size];
    for (int i = 0; i < dist.length; i++) {
      dist[i] = Math.max(0f, ref[i % size] + (float) random.nextGaussian() * 0.5f);
    }
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = m.create(ref, new Shape(1, c, h, w));
      NDArray b = m.create(dist, new Shape(n, c, h, w));
      float[] got = NdReadouts.channelTerms(kind, a, NdReadouts.unitNormalise(a), b).toFloatArray();
      assertEquals(n * c, got.length);
      for (int i = 0; i < n; i++) {
        float[] one = java.util.Arrays.copyOfRange(dist, i * size, (i + 1) * size);
        double[] expected = ArrayReadouts.channelTerms(kind, ref, one, c, h, w);
        double total = 0;
        for (int ch = 0; ch < c; ch++) {
          assertEquals(expected[ch], got[i * c + ch], 1e-5 * expected[ch] + 1e-9, kind + " channel " + ch);
          total += expected[ch];
        }
        if (kind == ChannelTermKind.UNIT_L2) {
          assertEquals(ArrayReadouts.compute(Readout.UNIT_L2, ref, one, c, h, w, null), total, 1e-12);
        } else {
          assertEquals(ArrayReadouts.compute(Readout.MSE, ref, one, c, h, w, null), total / c, 1e-12);
        }
      }
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
    assertTrue(e.getMessage().contains("'lpips'") && e.getMessage().contains("unit_l2")
        && e.getMessage().contains("dists") && e.getMessage().contains("channel_norm_l2"), e.getMessage());
    UserInputException combine = assertThrows(UserInputException.class, () -> ReadoutSet.parseCombine("sum,mean"));
    assertTrue(combine.getMessage().contains("'mean'") && combine.getMessage().contains("concat"), combine.getMessage());
    UserInputException terms = assertThrows(UserInputException.class, () -> ReadoutSet.parseChannelTerms("l2"));
    assertTrue(terms.getMessage().contains("'l2'") && terms.getMessage().contains("unit_l2"), terms.getMessage());
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
