package org.perceptsweep.udf.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** MATLAB rgb2gray on uint8 and MATLAB's double-to-uint8 conversion. */
class MatlabGreyTest {

  @Test
  void uint8ConversionRoundsHalvesAwayFromZeroAndSaturates() {
    assertEquals(3, MatlabGrey.toUint8(2.5)); // round-half-even (Math.rint) would give 2
    assertEquals(5, MatlabGrey.toUint8(4.5));
    assertEquals(255, MatlabGrey.toUint8(254.5));
    assertEquals(0, MatlabGrey.toUint8(0.49999999999999994)); // largest double below 0.5
    assertEquals(1, MatlabGrey.toUint8(0.5));
    assertEquals(0, MatlabGrey.toUint8(-0.5));
    assertEquals(0, MatlabGrey.toUint8(-7));
    assertEquals(255, MatlabGrey.toUint8(300));
    assertEquals(0, MatlabGrey.toUint8(Double.NaN)); // uint8(NaN) is 0 in MATLAB
  }

  @Test
  void rgb2grayRoundsTheWeightedSumOfLevels() {
    // An exhaustive search over all 2^24 8-bit triples finds none whose weighted sum is exactly x.5
    // in double, so rounding is pinned down by the nearest misses on each side of a half:
    //   (0, 49, 138):    0.587043074451121*49 + 0.114020904255103*138 = 44.4999954353... -> 44
    //   (246, 197, 108): 0.298936021293775*246 + 0.587043074451121*197 + 0.114020904255103*108
    //                    = 201.5000045647... -> 202 (truncation would give 201)
    //   (1, 1, 1):       sum of the weights = 0.9999999999999991 -> 1 (truncation would give 0)
    //   (255, 0, 0):     76.2286854299... -> 76;  (255, 255, 255): 254.99999999999977 -> 255
    int[][] rgb = {{0, 49, 138}, {246, 197, 108}, {1, 1, 1}, {255, 0, 0}, {255, 255, 255}, {0, 0, 0}};
    double[] expected = {44, 202, 1, 76, 255, 0};
    GreyPlane grey = MatlabGrey.rgb2grayUint8(
        TestImages.of8bit(rgb.length, 1, (c, y, x) -> rgb[x][c]));
    assertEquals(rgb.length, grey.width());
    assertArrayEquals(expected, grey.values(), 0.0);
  }

  @Test
  void greyInputsKeepTheirLevels() {
    // R = G = B = v: v * (sum of weights) = v * 0.999999999999999 rounds back to v for every level
    GreyPlane grey = MatlabGrey.rgb2grayUint8(TestImages.of8bit(256, 1, (c, y, x) -> x));
    for (int v = 0; v < 256; v++) {
      assertEquals(v, grey.values()[v], 0.0, "level " + v);
    }
  }

  @Test
  void storedValuesAreReadAsTheNearest8BitLevel() {
    assertEquals(128, MatlabGrey.level8(128 / 255f));
    assertEquals(128, MatlabGrey.level8(0.5f)); // 127.5 -> 128, half away from zero
    assertEquals(255, MatlabGrey.level8(1.2f));
    assertEquals(0, MatlabGrey.level8(-0.1f));
  }
}
