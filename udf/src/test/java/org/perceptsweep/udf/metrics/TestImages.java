package org.perceptsweep.udf.metrics;

import java.util.Random;
import org.perceptsweep.core.image.RgbImage;

/** Small synthetic 8-bit images for the metric tests (stored as level / 255, like ImageDecoder). */
final class TestImages {
  private TestImages() {}

  interface Levels {
    int at(int channel, int y, int x);
  }

  static RgbImage of8bit(int width, int height, Levels levels) {
    float[] p = new float[3 * width * height];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          p[(c * height + y) * width + x] = levels.at(c, y, x) / 255f;
        }
      }
    }
    return new RgbImage(width, height, p);
  }

  static RgbImage constant(int width, int height, float value) {
    float[] p = new float[3 * width * height];
    java.util.Arrays.fill(p, value);
    return new RgbImage(width, height, p);
  }

  /** A textured colour image: smooth gradients and sinusoids plus seeded noise, clipped to 0..255. */
  static RgbImage texture(int width, int height, long seed) {
    Random random = new Random(seed);
    int[] noise = new int[3 * width * height];
    for (int i = 0; i < noise.length; i++) {
      noise[i] = (int) Math.round(random.nextGaussian() * 12);
    }
    return of8bit(width, height, (c, y, x) -> clip(
        90 + 40 * c + 50 * Math.sin(x / (7.0 + c)) * Math.cos(y / 11.0) + 0.2 * (x - y)
            + noise[(c * height + y) * width + x]));
  }

  /** {@code image} plus seeded Gaussian noise of the given standard deviation in 8-bit levels. */
  static RgbImage withNoise(RgbImage image, double sigmaLevels, long seed) {
    Random random = new Random(seed);
    float[] in = image.planar();
    float[] out = new float[in.length];
    for (int i = 0; i < in.length; i++) {
      out[i] = clip(Math.round(in[i] * 255) + random.nextGaussian() * sigmaLevels) / 255f;
    }
    return new RgbImage(image.width(), image.height(), out);
  }

  /** Each pixel repeated into a factor x factor block. */
  static RgbImage replicate(RgbImage image, int factor) {
    int w = image.width() * factor;
    int h = image.height() * factor;
    float[] out = new float[3 * w * h];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          out[(c * h + y) * w + x] = image.get(c, y / factor, x / factor);
        }
      }
    }
    return new RgbImage(w, h, out);
  }

  static int clip(double level) {
    return (int) Math.max(0, Math.min(255, Math.round(level)));
  }
}
