package org.perceptsweep.udf.metrics;

import org.perceptsweep.core.image.RgbImage;

/**
 * MATLAB's {@code rgb2gray} on a uint8 image, as the official SSIM / MS-SSIM scripts see it: a
 * weighted sum of the 8-bit levels in double, converted back to uint8.
 */
final class MatlabGrey {
  /** First row of inv([1 0.956 0.621; 1 -0.272 -0.647; 1 -1.106 1.703]), the NTSC luma weights rgb2gray uses. */
  static final double RED = 0.298936021293775;
  static final double GREEN = 0.587043074451121;
  static final double BLUE = 0.114020904255103;

  private MatlabGrey() {}

  /** Grey levels 0..255 (as doubles, the way ssim.m calls double() on the uint8 result). */
  static GreyPlane rgb2grayUint8(RgbImage image) {
    int plane = image.width() * image.height();
    float[] rgb = image.planar();
    double[] grey = new double[plane];
    for (int i = 0; i < plane; i++) {
      double y = RED * level8(rgb[i]) + GREEN * level8(rgb[plane + i]) + BLUE * level8(rgb[2 * plane + i]);
      grey[i] = toUint8(y);
    }
    return new GreyPlane(image.width(), image.height(), grey);
  }

  /** The 8-bit level a [0,1] value stands for (RgbImage stores level / 255), saturated to 0..255. */
  static int level8(float v) {
    return toUint8(v * 255.0);
  }

  /**
   * MATLAB's double-to-uint8 conversion: round half away from zero, saturate to 0..255, NaN to 0.
   * (Not Math.rint, which rounds halves to even.)
   */
  static int toUint8(double x) {
    if (!(x > 0)) {
      return 0; // negatives saturate; uint8(NaN) is 0 in MATLAB
    }
    if (x >= 255) {
      return 255;
    }
    return (int) Math.round(x); // for positive x, Java rounds halves up = away from zero
  }
}
