package org.perceptsweep.udf.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.perceptsweep.core.UserInputException;
import org.perceptsweep.core.image.RgbImage;

/** Hand-worked values, invariants and input checks of {@link ClassicMetrics}. */
class ClassicMetricsTest {
  private static final double C1 = 6.5025; // (0.01 * 255)^2
  private static final double C2 = 58.5225; // (0.03 * 255)^2

  @Test
  void identicalImagesAreAPerfectMatch() {
    RgbImage image = TestImages.texture(200, 180, 1);
    RgbImage copy = new RgbImage(200, 180, image.planar().clone());
    assertEquals(1.0, ClassicMetrics.ssim(image, copy), 1e-12);
    assertEquals(1.0, ClassicMetrics.ssim(image, copy, true), 1e-12);
    assertEquals(1.0, ClassicMetrics.msSsim(image, copy), 1e-12);
    assertEquals(Double.POSITIVE_INFINITY, ClassicMetrics.psnr(image, copy));
    assertEquals(0.0, ClassicMetrics.pixelL2(image, copy));
    assertEquals(0.0, ClassicMetrics.pixelMse(image, copy));
  }

  @Test
  void constantOffsetGivesHandComputedPixelDistances() {
    // 0.25 and 0.375 are exact in float: every one of the 3*4*3 = 36 values differs by 1/8.
    RgbImage ref = TestImages.constant(4, 3, 0.25f);
    RgbImage dist = TestImages.constant(4, 3, 0.375f);
    assertEquals(1.0 / 64, ClassicMetrics.pixelMse(ref, dist), 0.0); // (1/8)^2
    assertEquals(0.75, ClassicMetrics.pixelL2(ref, dist), 0.0); // sqrt(36 / 64)
    // PSNR = 10 log10(1 / (1/64)) = 10 log10(64) = 18.0617997398...
    assertEquals(18.061799739838872, ClassicMetrics.psnr(ref, dist), 1e-12);
  }

  @Test
  void psnrUsesDataRange255OnEightBitLevels() {
    // levels 100 vs 110 everywhere: MSE = 100 in 8-bit units, PSNR = 10 log10(255^2 / 100) = 28.1308036...
    RgbImage ref = TestImages.of8bit(5, 7, (c, y, x) -> 100);
    RgbImage dist = TestImages.of8bit(5, 7, (c, y, x) -> 110);
    assertEquals(28.130803608679106, ClassicMetrics.psnr(ref, dist), 1e-5); // floats store level/255
    assertEquals(ClassicMetrics.psnr(ref, dist), ClassicMetrics.psnr(dist, ref), 0.0);
    // one channel only differs by 30 levels: MSE = 900 / 3 = 300 -> 10 log10(65025 / 300) = 23.3597...
    RgbImage red = TestImages.of8bit(5, 7, (c, y, x) -> c == 0 ? 130 : 100);
    assertEquals(10 * Math.log10(65025.0 / 300), ClassicMetrics.psnr(ref, red), 1e-5);
  }

  @Test
  void ssimOfConstantGreyImagesIsTheLuminanceTerm() {
    // R=G=B keeps the grey level; with no variance the cs term is C2/C2 = 1 everywhere, so
    // SSIM = (2ab + C1) / (a^2 + b^2 + C1) = 22006.5025 / 22106.5025 for a = 100, b = 110.
    RgbImage a = TestImages.of8bit(180, 176, (c, y, x) -> 100);
    RgbImage b = TestImages.of8bit(180, 176, (c, y, x) -> 110);
    double luminance = (2 * 100 * 110 + C1) / (100 * 100 + 110 * 110 + C1);
    assertEquals(0.99547644409, luminance, 1e-10); // = 1 - 100 / 22106.5025
    assertEquals(luminance, ClassicMetrics.ssim(a, b), 1e-12);
    // MS-SSIM: every mcs is 1 and the last scale's mean SSIM is the luminance term: lum^0.1333.
    assertEquals(Math.pow(luminance, 0.1333), ClassicMetrics.msSsim(a, b), 1e-12);
  }

  @Test
  void ssimOfAStepEdgeMatchesAHandComputedWindow() {
    // Vertical edges at different places and contrasts. An 11x11 image gives a 1x1 SSIM map, worked
    // out here straight from the definition with the 2-D window (not the separable passes).
    RgbImage ref = TestImages.of8bit(11, 11, (c, y, x) -> x < 5 ? 50 : 200);
    RgbImage dist = TestImages.of8bit(11, 11, (c, y, x) -> x < 6 ? 60 : 180);
    double[] g = new double[11];
    double sum = 0;
    for (int i = 0; i < 11; i++) {
      g[i] = Math.exp(-(i - 5) * (i - 5) / (2 * 1.5 * 1.5));
      sum += g[i];
    }
    double mu1 = 0;
    double mu2 = 0;
    double e11 = 0;
    double e22 = 0;
    double e12 = 0;
    for (int y = 0; y < 11; y++) {
      for (int x = 0; x < 11; x++) {
        double w = g[y] * g[x] / (sum * sum);
        double p = x < 5 ? 50 : 200;
        double q = x < 6 ? 60 : 180;
        mu1 += w * p;
        mu2 += w * q;
        e11 += w * p * p;
        e22 += w * q * q;
        e12 += w * p * q;
      }
    }
    double s1 = e11 - mu1 * mu1;
    double s2 = e22 - mu2 * mu2;
    double s12 = e12 - mu1 * mu2;
    double expected = (2 * mu1 * mu2 + C1) * (2 * s12 + C2) / ((mu1 * mu1 + mu2 * mu2 + C1) * (s1 + s2 + C2));
    assertTrue(expected > 0.5 && expected < 0.99, "a real, partial match: " + expected);
    assertEquals(expected, ClassicMetrics.ssim(ref, dist), 1e-12);
  }

  @Test
  void ssimIsSymmetric() {
    RgbImage a = TestImages.texture(240, 190, 2);
    RgbImage b = TestImages.withNoise(a, 15, 3);
    assertEquals(ClassicMetrics.ssim(a, b), ClassicMetrics.ssim(b, a), 1e-12);
    assertEquals(ClassicMetrics.msSsim(a, b), ClassicMetrics.msSsim(b, a), 1e-12);
  }

  @Test
  void ssimAndMsSsimDecreaseAsNoiseGrows() {
    RgbImage ref = TestImages.texture(256, 192, 4);
    double previousSsim = 1;
    double previousMsSsim = 1;
    for (double sigma : new double[] {2, 5, 10, 20, 40}) {
      RgbImage noisy = TestImages.withNoise(ref, sigma, 5);
      double ssim = ClassicMetrics.ssim(ref, noisy);
      double msSsim = ClassicMetrics.msSsim(ref, noisy);
      assertTrue(ssim < previousSsim, "SSIM " + ssim + " at sigma " + sigma + " not below " + previousSsim);
      assertTrue(msSsim < previousMsSsim, "MS-SSIM " + msSsim + " at sigma " + sigma + " not below " + previousMsSsim);
      assertTrue(ssim > 0 && msSsim > 0);
      previousSsim = ssim;
      previousMsSsim = msSsim;
    }
  }

  @Test
  void matlabDownsampleAveragesTwoByTwoBlocksFromTheFirstPixel() {
    // 256x192 images blown up by pixel replication to 512x384: ssim.m's f = round(384/256) = 2, and
    // its 2x2 box (anchored at the top-left sample) then every 2nd pixel returns the originals, so
    // the downsampled SSIM equals the plain SSIM of the small pair. A shifted anchor would mix blocks.
    RgbImage small = TestImages.texture(256, 192, 6);
    RgbImage smallNoisy = TestImages.withNoise(small, 20, 7);
    double plainSmall = ClassicMetrics.ssim(small, smallNoisy);
    RgbImage big = TestImages.replicate(small, 2);
    RgbImage bigNoisy = TestImages.replicate(smallNoisy, 2);
    assertEquals(plainSmall, ClassicMetrics.ssim(big, bigNoisy, true), 1e-12);
    assertTrue(Math.abs(ClassicMetrics.ssim(big, bigNoisy, false) - plainSmall) > 1e-3,
        "without downsampling the blown-up pair scores differently");
    // below 384 pixels on the short side f = 1: the option changes nothing
    assertEquals(plainSmall, ClassicMetrics.ssim(small, smallNoisy, true), 0.0);
  }

  @Test
  void anticorrelatedStructureGivesNegativeSsimAndUndefinedMsSsim() {
    // The photographic negative (255 - level) flips the sign of every local covariance: the SSIM map
    // mean goes below zero, and msssim.m would raise a negative mean cs to a fractional power
    // (a complex number in MATLAB); we return NaN rather than invent a real value.
    RgbImage ref = TestImages.texture(200, 190, 14);
    RgbImage negative = TestImages.of8bit(200, 190, (c, y, x) -> 255 - Math.round(ref.get(c, y, x) * 255));
    assertTrue(ClassicMetrics.ssim(ref, negative) < 0, "SSIM of the negative");
    assertTrue(Double.isNaN(ClassicMetrics.msSsim(ref, negative)), "MS-SSIM of the negative");
  }

  @Test
  void concurrentCallsGiveTheSequentialResults() throws Exception {
    RgbImage ref = TestImages.texture(200, 190, 12);
    RgbImage[] dists = new RgbImage[8];
    double[] sequential = new double[dists.length];
    for (int i = 0; i < dists.length; i++) {
      dists[i] = TestImages.withNoise(ref, 3 + 4 * i, 13 + i);
      sequential[i] = ClassicMetrics.ssim(ref, dists[i]) + ClassicMetrics.msSsim(ref, dists[i]);
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Double>> results = new ArrayList<>();
      for (int round = 0; round < 3; round++) {
        for (RgbImage dist : dists) {
          results.add(pool.submit(() -> ClassicMetrics.ssim(ref, dist) + ClassicMetrics.msSsim(ref, dist)));
        }
      }
      for (int i = 0; i < results.size(); i++) {
        assertEquals(sequential[i % dists.length], results.get(i).get(), 0.0, "task " + i);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void sizeMismatchNamesBothSizes() {
    RgbImage ref = TestImages.constant(512, 384, 0.5f);
    RgbImage dist = TestImages.constant(500, 384, 0.5f);
    for (Runnable call : new Runnable[] {
        () -> ClassicMetrics.psnr(ref, dist), () -> ClassicMetrics.ssim(ref, dist),
        () -> ClassicMetrics.ssim(ref, dist, true), () -> ClassicMetrics.msSsim(ref, dist),
        () -> ClassicMetrics.pixelL2(ref, dist), () -> ClassicMetrics.pixelMse(ref, dist)}) {
      UserInputException e = assertThrows(UserInputException.class, call::run);
      assertTrue(e.getMessage().contains("512x384") && e.getMessage().contains("500x384"), e.getMessage());
      assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }
  }

  @Test
  void tooSmallImagesNameTheMinimum() {
    RgbImage thin = TestImages.constant(300, 10, 0.5f);
    UserInputException ssim = assertThrows(UserInputException.class, () -> ClassicMetrics.ssim(thin, thin));
    assertTrue(ssim.getMessage().contains("11x11") && ssim.getMessage().contains("300x10"), ssim.getMessage());

    RgbImage small = TestImages.constant(300, 175, 0.5f);
    UserInputException ms = assertThrows(UserInputException.class, () -> ClassicMetrics.msSsim(small, small));
    assertTrue(ms.getMessage().contains("176x176") && ms.getMessage().contains("300x175"), ms.getMessage());

    // the minimum itself is accepted: 176 / 2^4 = 11, one window at the coarsest scale
    RgbImage smallest = TestImages.texture(176, 176, 8);
    double value = ClassicMetrics.msSsim(smallest, TestImages.withNoise(smallest, 10, 9));
    assertTrue(value > 0 && value < 1, "MS-SSIM at the minimum size: " + value);
    RgbImage window = TestImages.constant(11, 11, 0.5f);
    assertEquals(1.0, ClassicMetrics.ssim(window, window), 1e-12);
  }
}
