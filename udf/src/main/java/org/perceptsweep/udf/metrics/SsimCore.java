package org.perceptsweep.udf.metrics;

import java.util.Arrays;

/**
 * The arithmetic of Wang et al.'s {@code ssim.m} / {@code ssim_index_new.m} / {@code msssim.m} on
 * grey planes of 8-bit levels: 11x11 Gaussian window (sigma 1.5) applied separably with 'valid'
 * extent, K = [0.01 0.03], L = 255, and MATLAB's {@code imfilter(.., ones(f)/f^2, 'symmetric',
 * 'same')} followed by {@code (1:f:end, 1:f:end)} for downsampling. Stateless; thread-safe.
 */
final class SsimCore {
  static final int WINDOW = 11;
  private static final double SIGMA = 1.5;
  private static final double C1 = (0.01 * 255) * (0.01 * 255);
  private static final double C2 = (0.03 * 255) * (0.03 * 255);

  /**
   * 1-D factor of fspecial('gaussian', 11, 1.5): the normalised 2-D window is the outer product of
   * this normalised 1-D one (fspecial's eps cut-off removes nothing at this size). Never modified.
   */
  private static final double[] GAUSS = gaussian1d(WINDOW, SIGMA);

  private SsimCore() {}

  /** Means of the SSIM map and of the contrast-structure (cs) map at one scale. */
  record ScaleStats(double meanSsim, double meanCs) {}

  /** ssim_index_new.m on two planes of equal size, each side at least {@link #WINDOW}. */
  static ScaleStats compare(GreyPlane a, GreyPlane b) {
    int w = a.width();
    int h = a.height();
    if (b.width() != w || b.height() != h || w < WINDOW || h < WINDOW) {
      throw new IllegalArgumentException("planes must match and be at least " + WINDOW + " on each side: "
          + w + "x" + h + " vs " + b.width() + "x" + b.height());
    }
    int vw = w - WINDOW + 1;
    int vh = h - WINDOW + 1;
    double[] pa = a.values();
    double[] pb = b.values();

    // Rows filtered horizontally ('valid' in x) are kept in a ring of WINDOW rows per moment, so the
    // working set stays in cache and memory does not grow with the image height.
    double[][] ringX = new double[WINDOW][vw];
    double[][] ringY = new double[WINDOW][vw];
    double[][] ringXx = new double[WINDOW][vw];
    double[][] ringYy = new double[WINDOW][vw];
    double[][] ringXy = new double[WINDOW][vw];
    double[] mx = new double[vw];
    double[] my = new double[vw];
    double[] mxx = new double[vw];
    double[] myy = new double[vw];
    double[] mxy = new double[vw];
    double sumSsim = 0;
    double sumCs = 0;
    for (int row = 0; row < h; row++) {
      int slot = row % WINDOW;
      filterRow(pa, pb, row * w, vw, ringX[slot], ringY[slot], ringXx[slot], ringYy[slot], ringXy[slot]);
      int outRow = row - WINDOW + 1;
      if (outRow < 0) {
        continue;
      }
      // vertical pass for output row outRow: input rows outRow .. outRow + 10, in window order
      Arrays.fill(mx, 0);
      Arrays.fill(my, 0);
      Arrays.fill(mxx, 0);
      Arrays.fill(myy, 0);
      Arrays.fill(mxy, 0);
      for (int k = 0; k < WINDOW; k++) {
        double g = GAUSS[k];
        int s = (outRow + k) % WINDOW;
        double[] rx = ringX[s];
        double[] ry = ringY[s];
        double[] rxx = ringXx[s];
        double[] ryy = ringYy[s];
        double[] rxy = ringXy[s];
        for (int x = 0; x < vw; x++) {
          mx[x] += g * rx[x];
          my[x] += g * ry[x];
          mxx[x] += g * rxx[x];
          myy[x] += g * ryy[x];
          mxy[x] += g * rxy[x];
        }
      }
      for (int x = 0; x < vw; x++) {
        double mu1 = mx[x];
        double mu2 = my[x];
        double mu1Sq = mu1 * mu1;
        double mu2Sq = mu2 * mu2;
        double mu1Mu2 = mu1 * mu2;
        double sigma1Sq = mxx[x] - mu1Sq;
        double sigma2Sq = myy[x] - mu2Sq;
        double sigma12 = mxy[x] - mu1Mu2;
        double csNum = 2 * sigma12 + C2;
        double csDen = sigma1Sq + sigma2Sq + C2;
        sumSsim += ((2 * mu1Mu2 + C1) * csNum) / ((mu1Sq + mu2Sq + C1) * csDen);
        sumCs += csNum / csDen;
      }
    }
    double n = (double) vw * vh;
    return new ScaleStats(sumSsim / n, sumCs / n);
  }

  /** One image row filtered along x with the window ('valid'): the five local moments. */
  private static void filterRow(double[] pa, double[] pb, int rowStart, int vw,
      double[] outX, double[] outY, double[] outXx, double[] outYy, double[] outXy) {
    for (int x = 0; x < vw; x++) {
      int in = rowStart + x;
      double sx = 0;
      double sy = 0;
      double sxx = 0;
      double syy = 0;
      double sxy = 0;
      for (int k = 0; k < WINDOW; k++) {
        double g = GAUSS[k];
        double p = pa[in + k];
        double q = pb[in + k];
        sx += g * p;
        sy += g * q;
        // ssim.m filters img1.*img1 etc.; products of 8-bit levels are exact in double
        sxx += g * (p * p);
        syy += g * (q * q);
        sxy += g * (p * q);
      }
      outX[x] = sx;
      outY[x] = sy;
      outXx[x] = sxx;
      outYy[x] = syy;
      outXy[x] = sxy;
    }
  }

  /** ssim.m's automatic downsampling factor: max(1, round(min(H, W) / 256)). */
  static int matlabDownsampleFactor(int width, int height) {
    int minSide = Math.min(width, height);
    return Math.max(1, (minSide + 128) / 256); // round half up of minSide/256 for positive ints
  }

  /**
   * imfilter(p, ones(f)/f^2, 'symmetric', 'same') then p(1:f:end, 1:f:end). MATLAB anchors an
   * even-sized kernel at index floor((f+1)/2), so the box covers offsets -floor((f-1)/2) ..
   * f-1-floor((f-1)/2); only the kept samples are computed. For f = 2 this is the mean of each 2x2
   * block, the last row/column (odd sizes) averaged with its mirror, i.e. itself.
   */
  static GreyPlane boxDownsample(GreyPlane p, int f) {
    int w = p.width();
    int h = p.height();
    if (f < 1 || f > w || f > h) {
      throw new IllegalArgumentException("downsampling factor " + f + " does not fit a " + w + "x" + h + " plane");
    }
    if (f == 1) {
      return p;
    }
    int start = -((f - 1) / 2);
    int ow = (w + f - 1) / f;
    int oh = (h + f - 1) / f;
    double[] in = p.values();
    double[] rowSums = new double[h * ow];
    for (int y = 0; y < h; y++) {
      int row = y * w;
      for (int j = 0; j < ow; j++) {
        int x0 = j * f + start;
        double s = 0;
        for (int t = 0; t < f; t++) {
          s += in[row + reflect(x0 + t, w)];
        }
        rowSums[y * ow + j] = s;
      }
    }
    double weight = 1.0 / ((double) f * f);
    double[] out = new double[oh * ow];
    for (int i = 0; i < oh; i++) {
      int y0 = i * f + start;
      for (int t = 0; t < f; t++) {
        int row = reflect(y0 + t, h) * ow;
        for (int j = 0; j < ow; j++) {
          out[i * ow + j] += rowSums[row + j];
        }
      }
      for (int j = 0; j < ow; j++) {
        out[i * ow + j] *= weight;
      }
    }
    return new GreyPlane(ow, oh, out);
  }

  /** MATLAB 'symmetric' padding: mirror with the edge sample repeated (valid for |overhang| <= n). */
  static int reflect(int i, int n) {
    if (i < 0) {
      return -i - 1;
    }
    if (i >= n) {
      return 2 * n - i - 1;
    }
    return i;
  }

  private static double[] gaussian1d(int size, double sigma) {
    double[] g = new double[size];
    int half = size / 2;
    double sum = 0;
    for (int i = 0; i < size; i++) {
      int d = i - half;
      g[i] = Math.exp(-(d * d) / (2 * sigma * sigma));
      sum += g[i];
    }
    for (int i = 0; i < size; i++) {
      g[i] /= sum;
    }
    return g;
  }
}
