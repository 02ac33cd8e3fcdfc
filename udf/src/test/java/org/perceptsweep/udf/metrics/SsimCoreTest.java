package org.perceptsweep.udf.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** MATLAB imfilter 'symmetric' box downsampling and ssim.m's downsampling factor. */
class SsimCoreTest {
  private static final GreyPlane ONE_TO_NINE = new GreyPlane(3, 3, new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9});

  @Test
  void twoByTwoBoxMirrorsTheLastOddRowAndColumn() {
    // imfilter(ones(2)/4, 'symmetric', 'same') anchors the 2x2 kernel at its top-left; keep (1:2:end):
    //   (1+2+4+5)/4 = 3    (3+3+6+6)/4 = 4.5     <- column 4 mirrors column 3
    //   (7+8+7+8)/4 = 7.5  (9+9+9+9)/4 = 9       <- row 4 mirrors row 3
    GreyPlane out = SsimCore.boxDownsample(ONE_TO_NINE, 2);
    assertEquals(2, out.width());
    assertEquals(2, out.height());
    assertArrayEquals(new double[] {3, 4.5, 7.5, 9}, out.values(), 1e-15);
  }

  @Test
  void threeByThreeBoxIsCentred() {
    // f = 3: offsets -1..1; the first output sees rows/cols {0,0,1} (index -1 mirrors to 0):
    // 1*4 + 2*2 + 4*2 + 5*1 = 21, / 9
    GreyPlane out = SsimCore.boxDownsample(ONE_TO_NINE, 3);
    assertArrayEquals(new double[] {21.0 / 9}, out.values(), 1e-15);
  }

  @Test
  void downsampleFactorRoundsMinSideOver256HalfAwayFromZero() {
    assertEquals(1, SsimCore.matlabDownsampleFactor(300, 300));
    assertEquals(1, SsimCore.matlabDownsampleFactor(1000, 383)); // 1.496
    assertEquals(2, SsimCore.matlabDownsampleFactor(512, 384)); // 1.5 -> 2
    assertEquals(3, SsimCore.matlabDownsampleFactor(640, 640)); // 2.5 -> 3
    assertEquals(1, SsimCore.matlabDownsampleFactor(11, 11));
  }

  @Test
  void symmetricPaddingRepeatsTheEdgeSample() {
    assertEquals(0, SsimCore.reflect(-1, 5));
    assertEquals(1, SsimCore.reflect(-2, 5));
    assertEquals(4, SsimCore.reflect(5, 5));
    assertEquals(3, SsimCore.reflect(6, 5));
    assertEquals(2, SsimCore.reflect(2, 5));
  }

  @Test
  void separableFilteringMatchesTheTwoDimensionalDefinition() {
    // odd sizes and a non-square shape; levels like real 8-bit grey data
    Random random = new Random(11);
    int w = 29;
    int h = 23;
    double[] a = new double[w * h];
    double[] b = new double[w * h];
    for (int i = 0; i < a.length; i++) {
      a[i] = random.nextInt(256);
      b[i] = Math.max(0, Math.min(255, a[i] + random.nextInt(81) - 40));
    }
    SsimCore.ScaleStats stats = SsimCore.compare(new GreyPlane(w, h, a), new GreyPlane(w, h, b));
    double[] reference = WindowSsim.ssimAndCs(a, b, w, h);
    assertEquals(reference[0], stats.meanSsim(), 1e-12);
    assertEquals(reference[1], stats.meanCs(), 1e-12);
  }
}
