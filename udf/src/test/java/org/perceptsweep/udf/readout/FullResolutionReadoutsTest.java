package org.perceptsweep.udf.readout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every readout on a full-resolution map, 16 x 512 x 768 (a first tap that keeps the input size):
 * 6.3 million values per image, where float32 accumulation order shows. Small tensors cannot show
 * it; an engine reduction that adds long runs in float32 comes out about 1e-4 low here.
 */
class FullResolutionReadoutsTest {
  private static final int C = 16;
  private static final int H = 512;
  private static final int W = 768;
  /** Far tighter than the 1e-4 the real nets are held to: here no forward pass adds its own error. */
  private static final double TOLERANCE = 1e-5;

  /*
   * Hand-worked: a[c,h,w] = ((c + 3h + 5w) mod 64) / 64 and b = a + d with
   * d[c,h,w] = ((c + h + w) mod 8 + 1) / 64. All of a, b and b - a are exact in float32. Along w
   * (768 = 96 x 8) every row holds each of j = 1..8 exactly 96 times, so
   *   sum of d^2 = C * H * 96 * (1 + 4 + ... + 64) / 64^2 = 16 * 512 * 96 * 204 / 4096 = 39168
   *   l2 = sqrt(39168) = 197.9090700...,  mse = 39168 / (16 * 512 * 768) = 0.0062255859375.
   * Partial sums pass 4096, beyond which float32 no longer holds multiples of 1/4096: a
   * sequential float32 sum would drift.
   */
  @Test
  void squaredDifferencesMatchTheHandWorkedSums() {
    float[] a = new float[C * H * W];
    float[] b = new float[a.length];
    for (int c = 0; c < C; c++) {
      for (int h = 0; h < H; h++) {
        for (int w = 0; w < W; w++) {
          int i = (c * H + h) * W + w;
          a[i] = ((c + 3 * h + 5 * w) % 64) / 64f;
          b[i] = a[i] + ((c + h + w) % 8 + 1) / 64f;
        }
      }
    }
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray na = m.create(a, new Shape(1, C, H, W));
      NDArray nb = m.create(b, new Shape(1, C, H, W));
      assertRelative(Math.sqrt(39168), NdReadouts.compute(Readout.L2, na, null, nb, null).getFloat(0), "l2");
      assertRelative(39168.0 / (C * H * W), NdReadouts.compute(Readout.MSE, na, null, nb, null).getFloat(0), "mse");
    }
  }

  /*
   * Hand-worked unit_l2: a has the same value v > 0 in all 16 channels, so u_a = (1/4, ..., 1/4).
   * At positions with w mod 3 == 0, b doubles channel 0: u_b = (2, 1, ..., 1) / sqrt(19), and
   *   |u_a - u_b|^2 = (1/4 - 2/sqrt(19))^2 + 15 (1/4 - 1/sqrt(19))^2   (independent of v);
   * elsewhere b = a and the distance is 0. A third of the positions (w = 0, 3, ..., 765) differ,
   * so unit_l2 = |u_a - u_b|^2 / 3, whatever v is (v varies over positions: 0.25 to 1.24).
   * eps = 1e-10 against |a| >= 1 changes this by less than 1e-9 (relative).
   */
  @Test
  void unitL2MatchesTheHandWorkedMean() {
    float[] a = new float[C * H * W];
    float[] b = new float[a.length];
    for (int h = 0; h < H; h++) {
      for (int w = 0; w < W; w++) {
        float v = 0.25f + ((h * 7 + w * 13) % 100) / 100f;
        for (int c = 0; c < C; c++) {
          int i = (c * H + h) * W + w;
          a[i] = v;
          b[i] = c == 0 && w % 3 == 0 ? 2 * v : v;
        }
      }
    }
    double s19 = Math.sqrt(19);
    double perPosition = Math.pow(0.25 - 2 / s19, 2) + 15 * Math.pow(0.25 - 1 / s19, 2);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray na = m.create(a, new Shape(1, C, H, W));
      NDArray nb = m.create(b, new Shape(1, C, H, W));
      assertRelative(perPosition / 3, NdReadouts.compute(Readout.UNIT_L2, na, NdReadouts.unitNormalise(na), nb, null)
          .getFloat(0), "unit_l2");
    }
  }

  /**
   * Each readout on activation-like maps (non-negative, a few percent of change), against the same
   * definition evaluated in double ({@link ArrayReadouts}), for a batch of two: batching must not
   * change the values either. Both layouts the nets return: channel-planar, and channels-last (what
   * the nets give for the channels-last input the sessions feed them).
   */
  @ParameterizedTest
  @EnumSource(Readout.class)
  void everyReadoutMatchesTheFloat64Definition(Readout readout) {
    everyReadoutMatchesTheFloat64Definition(readout, false);
  }

  @ParameterizedTest
  @EnumSource(Readout.class)
  void everyReadoutMatchesTheFloat64DefinitionChannelsLast(Readout readout) {
    everyReadoutMatchesTheFloat64Definition(readout, true);
  }

  private void everyReadoutMatchesTheFloat64Definition(Readout readout, boolean channelsLast) {
    Random rnd = new Random(7);
    float[] a = new float[C * H * W];
    float[] b1 = new float[a.length];
    float[] b2 = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      a[i] = Math.max(0f, (float) rnd.nextGaussian() + 0.3f);
      b1[i] = Math.max(0f, a[i] + 0.05f * (float) rnd.nextGaussian());
      b2[i] = Math.max(0f, 0.9f * a[i] + 0.2f * (float) rnd.nextGaussian());
    }
    float[] weights = new float[C];
    for (int c = 0; c < C; c++) {
      weights[c] = 0.05f + 0.02f * c;
    }
    float[] batch = new float[2 * a.length];
    System.arraycopy(b1, 0, batch, 0, a.length);
    System.arraycopy(b2, 0, batch, a.length, a.length);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray na = layout(m, a, 1, channelsLast);
      NDArray nb = layout(m, batch, 2, channelsLast);
      float[] got = NdReadouts.compute(readout, na, NdReadouts.unitNormalise(na), nb, m.create(weights)).toFloatArray();
      assertRelative(ArrayReadouts.compute(readout, a, b1, C, H, W, weights), got[0], readout.key() + " image 1");
      assertRelative(ArrayReadouts.compute(readout, a, b2, C, H, W, weights), got[1], readout.key() + " image 2");
    }
  }

  /** [n,C,H,W] from planar values, stored channel-planar or channels-last (a permuted NHWC array). */
  private static NDArray layout(NDManager m, float[] planar, int n, boolean channelsLast) {
    NDArray nchw = m.create(planar, new Shape(n, C, H, W));
    if (!channelsLast) {
      return nchw;
    }
    float[] nhwc = nchw.transpose(0, 2, 3, 1).toFloatArray(); // values in N,H,W,C order
    return m.create(nhwc, new Shape(n, H, W, C)).transpose(0, 3, 1, 2);
  }

  private static void assertRelative(double expected, double actual, String what) {
    assertEquals(expected, actual, TOLERANCE * Math.abs(expected),
        what + ": relative difference " + (actual - expected) / expected);
  }
}
