package org.perceptsweep.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.perceptsweep.core.image.RgbImage;

class SyntheticDistortionTest {
  private static double[] table(SyntheticDistortion d) {
    double[] out = new double[5];
    for (int k = 1; k <= 5; k++) {
      out[k - 1] = d.parameter(k, 5);
    }
    return out;
  }

  @Test
  void parameterTablesMatchTheJavadoc() {
    assertArrayEquals(new double[] {0.02, 0.065, 0.11, 0.155, 0.20}, table(SyntheticDistortion.GAUSSIAN_NOISE), 1e-12);
    // 0.5 * 8^(k/4): 0.5, 0.5*8^0.25 = 0.8409, 0.5*sqrt(8) = 1.4142, 0.5*8^0.75 = 2.3784, 4
    assertArrayEquals(new double[] {0.5, 0.840896, 1.414214, 2.378414, 4.0}, table(SyntheticDistortion.GAUSSIAN_BLUR), 1e-6);
    assertArrayEquals(new double[] {70, 55, 40, 25, 10}, table(SyntheticDistortion.JPEG), 1e-12);
    assertArrayEquals(new double[] {0.8, 0.65, 0.5, 0.35, 0.2}, table(SyntheticDistortion.CONTRAST_CHANGE), 1e-12);
    assertArrayEquals(new double[] {32, 16, 8, 4, 2}, table(SyntheticDistortion.QUANTISATION), 1e-9);
    assertArrayEquals(new double[] {0.8, 0.6, 0.4, 0.2, 0.0}, table(SyntheticDistortion.COLOUR_SATURATION), 1e-12);
    assertEquals(0.02, SyntheticDistortion.GAUSSIAN_NOISE.parameter(1, 1)); // one level: the mildest
    assertEquals(List.of("gaussian_noise", "gaussian_blur", "jpeg", "contrast_change", "quantisation",
        "colour_saturation"), SyntheticDistortion.names());
  }

  /** A 2x1 image: pixel 0 = (r0,g0,b0), pixel 1 = (r1,g1,b1). */
  private static RgbImage twoPixels(float r0, float g0, float b0, float r1, float g1, float b1) {
    return new RgbImage(2, 1, new float[] {r0, r1, g0, g1, b0, b1});
  }

  @Test
  void contrastShrinksAroundEachChannelsMean() {
    // red mean 0.5: 0.5 + 0.5*(0.2-0.5) = 0.35 and 0.65; green mean 0.5 stays flat at 0.5
    RgbImage out = SyntheticDistortion.contrast(twoPixels(0.2f, 0.5f, 0f, 0.8f, 0.5f, 1f), 0.5);
    assertArrayEquals(new float[] {0.35f, 0.65f, 0.5f, 0.5f, 0.25f, 0.75f}, out.planar(), 1e-6f);
  }

  @Test
  void quantisationRoundsToNEvenlySpacedLevels() {
    // n = 3 levels {0, 0.5, 1}: 0.2 -> 0, 0.3 -> 0.5, 0.74 -> 0.5, 0.76 -> 1
    RgbImage out = SyntheticDistortion.quantise(twoPixels(0.2f, 0.3f, 0.74f, 0.76f, 1f, 0f), 3);
    assertArrayEquals(new float[] {0f, 1f, 0.5f, 1f, 0.5f, 0f}, out.planar(), 0f);
  }

  @Test
  void saturationMovesTowardsLumaAndLeavesGreyAlone() {
    // pixel 0 pure red: Y = 0.299; s = 0.5 -> R = 0.299 + 0.5*0.701 = 0.6495, G = B = 0.1495
    RgbImage out = SyntheticDistortion.saturation(twoPixels(1f, 0f, 0f, 0.4f, 0.4f, 0.4f), 0.5);
    assertArrayEquals(new float[] {0.6495f, 0.4f, 0.1495f, 0.4f, 0.1495f, 0.4f}, out.planar(), 1e-6f);
    RgbImage grey = SyntheticDistortion.saturation(twoPixels(1f, 0f, 0f, 0.4f, 0.4f, 0.4f), 0.0);
    assertArrayEquals(new float[] {0.299f, 0.4f, 0.299f, 0.4f, 0.299f, 0.4f}, grey.planar(), 1e-6f);
  }

  @Test
  void blurKeepsAFlatImageFlatAndSpreadsAnImpulseSymmetrically() {
    float[] flat = new float[3 * 9 * 9];
    java.util.Arrays.fill(flat, 0.3f);
    for (float v : SyntheticDistortion.blur(new RgbImage(9, 9, flat), 1.0).planar()) {
      assertEquals(0.3f, v, 1e-6f);
    }
    float[] impulse = new float[3 * 9 * 9];
    impulse[4 * 9 + 4] = 1f;
    RgbImage b = SyntheticDistortion.blur(new RgbImage(9, 9, impulse), 1.0);
    double sum = 0;
    for (int i = 0; i < 81; i++) {
      sum += b.planar()[i];
    }
    assertEquals(1.0, sum, 1e-5); // no mass lost: the kernel stays inside the image
    assertEquals(b.get(0, 4, 3), b.get(0, 4, 5), 1e-7);
    assertEquals(b.get(0, 3, 4), b.get(0, 4, 3), 1e-7);
    // separable normalised Gaussian, sigma 1, radius 3: centre weight squared
    double k0 = 1 / (1 + 2 * (Math.exp(-0.5) + Math.exp(-2) + Math.exp(-4.5)));
    assertEquals(k0 * k0, b.get(0, 4, 4), 1e-6);
  }

  @Test
  void mirrorReflectsWithoutRepeatingTheEdge() {
    int[] got = new int[9];
    for (int i = -3; i <= 5; i++) {
      got[i + 3] = SyntheticDistortion.mirror(i, 3);
    }
    assertArrayEquals(new int[] {1, 2, 1, 0, 1, 2, 1, 0, 1}, got);
  }

  @Test
  void noiseHasTheRequestedSpreadAndIsReproducible() {
    float[] mid = new float[3 * 64 * 64];
    java.util.Arrays.fill(mid, 0.5f);
    RgbImage img = new RgbImage(64, 64, mid);
    RgbImage a = SyntheticDistortion.addNoise(img, 0.05, new SplittableRandom(7));
    RgbImage b = SyntheticDistortion.addNoise(img, 0.05, new SplittableRandom(7));
    assertArrayEquals(a.planar(), b.planar(), 0f);
    double s = 0;
    double ss = 0;
    for (float v : a.planar()) {
      s += v - 0.5;
      ss += (v - 0.5) * (v - 0.5);
    }
    int n = a.planar().length; // 12288 draws: the sample sd is within ~2% of sigma
    assertEquals(0.0, s / n, 0.003);
    assertEquals(0.05, Math.sqrt(ss / n), 0.0025);
  }
}
