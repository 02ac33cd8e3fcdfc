package org.perceptsweep.datasets;

import java.util.SplittableRandom;
import org.perceptsweep.core.image.RgbImage;

/**
 * Reference images with natural-image-like statistics, a function of (seed, index, size) only.
 * Three kinds, cycled by index so that neighbouring references differ:
 *
 * <ol start="0">
 *   <li><b>dead leaves</b>: occluding discs of random colour, radius drawn from p(r) ~ r^-3 between
 *       size/128 and size/4 (the scale-invariant law that gives natural images their 1/f spectrum
 *       and sharp edges), drawn front to back until every pixel is covered;
 *   <li><b>1/f colour field</b>: multi-octave smooth noise with amplitude proportional to the
 *       octave's cell size (amplitude spectrum ~ 1/f), a strong luminance field plus two weaker
 *       chroma fields;
 *   <li><b>oriented texture</b>: three gratings of random orientation and frequency whose phase is
 *       warped by 1/f noise (wood-grain like), coloured between a dark and a light random colour,
 *       with 1/f shading and detail.
 * </ol>
 */
final class SyntheticReferences {
  static final int KINDS = 3;

  private SyntheticReferences() {}

  static String kindName(int index) {
    return switch (index % KINDS) {
      case 0 -> "dead_leaves";
      case 1 -> "pink_noise";
      default -> "oriented_texture";
    };
  }

  static RgbImage make(long seed, int index, int size) {
    SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, index, "reference".hashCode()));
    return switch (index % KINDS) {
      case 0 -> deadLeaves(rng, size);
      case 1 -> pinkColourField(rng, size);
      default -> orientedTexture(rng, size);
    };
  }

  static RgbImage deadLeaves(SplittableRandom rng, int size) {
    int plane = size * size;
    float[] out = new float[3 * plane];
    boolean[] covered = new boolean[plane];
    int uncovered = plane;
    double rMin = Math.max(1.0, size / 128.0);
    double rMax = size / 4.0;
    double aMin = 1 / (rMin * rMin);
    double aMax = 1 / (rMax * rMax);
    double[] colour = new double[3];
    for (int disc = 0; disc < 200_000 && uncovered > 0; disc++) {
      // inverse CDF of p(r) ~ r^-3 on [rMin, rMax]
      double r = 1 / StrictMath.sqrt(aMin - rng.nextDouble() * (aMin - aMax));
      double cx = rng.nextDouble() * size;
      double cy = rng.nextDouble() * size;
      randomColour(rng, colour);
      int x0 = Math.max(0, (int) Math.floor(cx - r));
      int x1 = Math.min(size - 1, (int) Math.ceil(cx + r));
      int y0 = Math.max(0, (int) Math.floor(cy - r));
      int y1 = Math.min(size - 1, (int) Math.ceil(cy + r));
      for (int y = y0; y <= y1; y++) {
        for (int x = x0; x <= x1; x++) {
          int i = y * size + x;
          double dx = x + 0.5 - cx;
          double dy = y + 0.5 - cy;
          if (!covered[i] && dx * dx + dy * dy <= r * r) {
            covered[i] = true;
            uncovered--;
            out[i] = (float) colour[0];
            out[plane + i] = (float) colour[1];
            out[2 * plane + i] = (float) colour[2];
          }
        }
      }
    }
    if (uncovered > 0) { // only possible for huge sizes: fill what is left with one more colour
      randomColour(rng, colour);
      for (int i = 0; i < plane; i++) {
        if (!covered[i]) {
          out[i] = (float) colour[0];
          out[plane + i] = (float) colour[1];
          out[2 * plane + i] = (float) colour[2];
        }
      }
    }
    return new RgbImage(size, size, out);
  }

  /** A colour with a random luminance and a moderate random chroma, inside [0,1]. */
  private static void randomColour(SplittableRandom rng, double[] rgb) {
    colourOfLuminance(rng, 0.1 + 0.8 * rng.nextDouble(), rgb);
  }

  private static void colourOfLuminance(SplittableRandom rng, double lum, double[] rgb) {
    for (int c = 0; c < 3; c++) {
      rgb[c] = clip(lum + 0.5 * (rng.nextDouble() - 0.5));
    }
  }

  static RgbImage pinkColourField(SplittableRandom rng, int size) {
    int plane = size * size;
    double[] lum = fractalNoise(rng, size);
    double[] c1 = fractalNoise(rng, size);
    double[] c2 = fractalNoise(rng, size);
    double[] base = {0.3 + 0.4 * rng.nextDouble(), 0.3 + 0.4 * rng.nextDouble(), 0.3 + 0.4 * rng.nextDouble()};
    double[][] chromaDirs = {randomUnit(rng), randomUnit(rng)};
    float[] out = new float[3 * plane];
    for (int i = 0; i < plane; i++) {
      for (int c = 0; c < 3; c++) {
        double v = base[c] + 0.16 * lum[i] + 0.07 * (c1[i] * chromaDirs[0][c] + c2[i] * chromaDirs[1][c]);
        out[c * plane + i] = (float) clip(v);
      }
    }
    return new RgbImage(size, size, out);
  }

  static RgbImage orientedTexture(SplittableRandom rng, int size) {
    int plane = size * size;
    int gratings = 3;
    double[] fx = new double[gratings];
    double[] fy = new double[gratings];
    double[] phase = new double[gratings];
    double[] amp = new double[gratings];
    double ampSum = 0;
    for (int g = 0; g < gratings; g++) {
      double theta = rng.nextDouble() * Math.PI;
      double cyclesPerPixel = 0.02 + 0.12 * rng.nextDouble();
      fx[g] = 2 * Math.PI * cyclesPerPixel * StrictMath.cos(theta);
      fy[g] = 2 * Math.PI * cyclesPerPixel * StrictMath.sin(theta);
      phase[g] = 2 * Math.PI * rng.nextDouble();
      amp[g] = 0.3 + rng.nextDouble();
      ampSum += amp[g];
    }
    double[] warp = fractalNoise(rng, size);
    double[] detail = fractalNoise(rng, size);
    double[] shading = fractalNoise(rng, size);
    // a dark and a light colour, so that the texture has a clear luminance contrast
    double[] colourA = new double[3];
    double[] colourB = new double[3];
    colourOfLuminance(rng, 0.15 + 0.25 * rng.nextDouble(), colourA);
    colourOfLuminance(rng, 0.55 + 0.3 * rng.nextDouble(), colourB);
    float[] out = new float[3 * plane];
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        int i = y * size + x;
        double t = 0;
        for (int g = 0; g < gratings; g++) {
          t += amp[g] * StrictMath.cos(fx[g] * x + fy[g] * y + phase[g] + 1.5 * warp[i]);
        }
        double mix = 0.5 + 0.5 * t / ampSum; // in [0,1]
        for (int c = 0; c < 3; c++) {
          double v = (colourA[c] + (colourB[c] - colourA[c]) * mix) * (1 + 0.15 * shading[i]) + 0.05 * detail[i];
          out[c * plane + i] = (float) clip(v);
        }
      }
    }
    return new RgbImage(size, size, out);
  }

  /**
   * Zero-mean, unit-variance noise with an approximately 1/f amplitude spectrum: octaves of smoothly
   * interpolated random grids, cell sizes size/2, size/4, ..., 2, each with amplitude proportional to
   * its cell size and a random offset so that the grids do not line up.
   */
  static double[] fractalNoise(SplittableRandom rng, int size) {
    double[] sum = new double[size * size];
    for (int cell = Integer.highestOneBit(size) / 2; cell >= 2; cell /= 2) {
      int n = size / cell + 3;
      double[] grid = new double[n * n];
      for (int i = 0; i < grid.length; i++) {
        grid[i] = 2 * rng.nextDouble() - 1;
      }
      double ox = rng.nextDouble() * cell;
      double oy = rng.nextDouble() * cell;
      for (int y = 0; y < size; y++) {
        double gy = (y + oy) / cell;
        int iy = (int) gy;
        double sy = smooth(gy - iy);
        for (int x = 0; x < size; x++) {
          double gx = (x + ox) / cell;
          int ix = (int) gx;
          double sx = smooth(gx - ix);
          double top = grid[iy * n + ix] * (1 - sx) + grid[iy * n + ix + 1] * sx;
          double bottom = grid[(iy + 1) * n + ix] * (1 - sx) + grid[(iy + 1) * n + ix + 1] * sx;
          sum[y * size + x] += cell * (top * (1 - sy) + bottom * sy);
        }
      }
    }
    double mean = 0;
    for (double v : sum) {
      mean += v;
    }
    mean /= sum.length;
    double var = 0;
    for (double v : sum) {
      var += (v - mean) * (v - mean);
    }
    double sd = Math.sqrt(var / sum.length);
    for (int i = 0; i < sum.length; i++) {
      sum[i] = sd > 0 ? (sum[i] - mean) / sd : 0;
    }
    return sum;
  }

  /** Cubic smoothstep: continuous slope across grid cells, so no visible grid creases. */
  private static double smooth(double t) {
    return t * t * (3 - 2 * t);
  }

  private static double[] randomUnit(SplittableRandom rng) {
    double[] v = {rng.nextDouble() - 0.5, rng.nextDouble() - 0.5, rng.nextDouble() - 0.5};
    double n = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
    if (n == 0) {
      return new double[] {1, -1, 0};
    }
    for (int c = 0; c < 3; c++) {
      v[c] /= n;
    }
    return v;
  }

  private static double clip(double v) {
    return v < 0 ? 0 : Math.min(v, 1);
  }
}
