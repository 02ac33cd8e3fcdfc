package org.perceptsweep.udf.metrics;

import org.perceptsweep.core.image.RgbImage;

/**
 * SSIM and MS-SSIM as the definitions are written, the oracle of SsimCoreTest and the baseline of
 * benchmark 4 ({@code bench --only classic}): from Wang et al.'s
 * ssim.m and msssim.m: MATLAB rgb2gray of the 8-bit levels, a plain 2-D 11x11 Gaussian window
 * (sigma 1.5, normalised over its 121 taps) applied directly at every 'valid' position for each of
 * the five local moments, no separable filtering, no ring buffers; MS-SSIM with a 2x2 mean
 * (symmetric borders) between scales. Slow on purpose; {@link ClassicMetrics} must agree with it.
 */
public final class WindowSsim {
  private static final int WIN = 11;
  private static final double C1 = Math.pow(0.01 * 255, 2);
  private static final double C2 = Math.pow(0.03 * 255, 2);
  private static final double[] WEIGHTS = {0.0448, 0.2856, 0.3001, 0.2363, 0.1333};
  private static final double[][] WINDOW = window();

  private WindowSsim() {}

  public static double ssim(RgbImage a, RgbImage b) {
    return ssimAndCs(grey(a), grey(b), a.width(), a.height())[0];
  }

  public static double msSsim(RgbImage a, RgbImage b) {
    double[] x = grey(a);
    double[] y = grey(b);
    int w = a.width();
    int h = a.height();
    double product = 1;
    for (int level = 0; level < WEIGHTS.length; level++) {
      double[] s = ssimAndCs(x, y, w, h);
      if (level == WEIGHTS.length - 1) {
        product *= Math.pow(s[0], WEIGHTS[level]);
      } else {
        product *= Math.pow(s[1], WEIGHTS[level]);
        x = half(x, w, h);
        y = half(y, w, h);
        w = (w + 1) / 2;
        h = (h + 1) / 2;
      }
    }
    return product;
  }

  /**
   * One scale of grey levels (0-255, row-major w x h): {mean SSIM, mean cs} over the 'valid'
   * positions of the 11x11 window (ssim_index_new.m written out literally).
   */
  public static double[] ssimAndCs(double[] x, double[] y, int w, int h) {
    double sumSsim = 0;
    double sumCs = 0;
    int count = 0;
    for (int oy = 0; oy + WIN <= h; oy++) {
      for (int ox = 0; ox + WIN <= w; ox++) {
        double mx = 0;
        double my = 0;
        double mxx = 0;
        double myy = 0;
        double mxy = 0;
        for (int i = 0; i < WIN; i++) {
          for (int j = 0; j < WIN; j++) {
            double g = WINDOW[i][j];
            double p = x[(oy + i) * w + ox + j];
            double q = y[(oy + i) * w + ox + j];
            mx += g * p;
            my += g * q;
            mxx += g * p * p;
            myy += g * q * q;
            mxy += g * p * q;
          }
        }
        double vx = mxx - mx * mx;
        double vy = myy - my * my;
        double cov = mxy - mx * my;
        double cs = (2 * cov + C2) / (vx + vy + C2);
        sumCs += cs;
        sumSsim += (2 * mx * my + C1) / (mx * mx + my * my + C1) * cs;
        count++;
      }
    }
    return new double[] {sumSsim / count, sumCs / count};
  }

  /** 2x2 mean keeping every second sample; a missing last row/column mirrors the edge (symmetric). */
  private static double[] half(double[] p, int w, int h) {
    int ow = (w + 1) / 2;
    int oh = (h + 1) / 2;
    double[] out = new double[ow * oh];
    for (int i = 0; i < oh; i++) {
      for (int j = 0; j < ow; j++) {
        int y0 = 2 * i;
        int y1 = Math.min(2 * i + 1, h - 1);
        int x0 = 2 * j;
        int x1 = Math.min(2 * j + 1, w - 1);
        out[i * ow + j] = (p[y0 * w + x0] + p[y0 * w + x1] + p[y1 * w + x0] + p[y1 * w + x1]) / 4;
      }
    }
    return out;
  }

  /** MATLAB rgb2gray on uint8 levels, rounded back to uint8 (round half away from zero, saturated). */
  private static double[] grey(RgbImage img) {
    int n = img.width() * img.height();
    float[] v = img.planar();
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = uint8(0.298936021293775 * uint8(v[i] * 255.0) + 0.587043074451121 * uint8(v[n + i] * 255.0)
          + 0.114020904255103 * uint8(v[2 * n + i] * 255.0));
    }
    return out;
  }

  private static int uint8(double x) {
    return x <= 0 || Double.isNaN(x) ? 0 : x >= 255 ? 255 : (int) Math.floor(x + 0.5);
  }

  private static double[][] window() {
    double[][] g = new double[WIN][WIN];
    double sum = 0;
    for (int i = 0; i < WIN; i++) {
      for (int j = 0; j < WIN; j++) {
        double di = i - WIN / 2;
        double dj = j - WIN / 2;
        g[i][j] = Math.exp(-(di * di + dj * dj) / (2 * 1.5 * 1.5));
        sum += g[i][j];
      }
    }
    for (double[] row : g) {
      for (int j = 0; j < WIN; j++) {
        row[j] /= sum;
      }
    }
    return g;
  }
}
