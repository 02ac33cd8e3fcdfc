package org.perceptsweep.core.image;

import java.util.Arrays;

/**
 * A decoded image: RGB, planar (channel-major, then rows), float values in [0, 1].
 * This is the layout the nets take ([3,H,W]) and the classic metrics read.
 */
public final class RgbImage {
  private final int width;
  private final int height;
  private final float[] planar;

  public RgbImage(int width, int height, float[] planar) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
    }
    if (planar.length != 3 * width * height) {
      throw new IllegalArgumentException(
          "expected " + (3 * width * height) + " values for " + width + "x" + height + " RGB, got " + planar.length);
    }
    this.width = width;
    this.height = height;
    this.planar = planar;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** The backing array, [3][height][width] flattened. Callers must not modify it. */
  public float[] planar() {
    return planar;
  }

  public float get(int channel, int y, int x) {
    return planar[(channel * height + y) * width + x];
  }

  public boolean sameSize(RgbImage other) {
    return width == other.width && height == other.height;
  }

  public String sizeString() {
    return width + "x" + height;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RgbImage other
        && width == other.width && height == other.height && Arrays.equals(planar, other.planar);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * width + height) + Arrays.hashCode(planar);
  }
}
