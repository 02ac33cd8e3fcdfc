package org.perceptsweep.udf.metrics;

/**
 * One grey plane in MATLAB's double representation: row-major, {@code values[y * width + x]}.
 * Package-private working type of the SSIM code; callers own the array.
 */
record GreyPlane(int width, int height, double[] values) {
  GreyPlane {
    if (values.length != width * height) {
      throw new IllegalArgumentException(
          "expected " + (width * height) + " values for " + width + "x" + height + ", got " + values.length);
    }
  }

  int minSide() {
    return Math.min(width, height);
  }
}
