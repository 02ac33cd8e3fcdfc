package org.perceptsweep.udf.metrics;

import org.perceptsweep.core.UserInputException;
import org.perceptsweep.core.image.RgbImage;

/**
 * Classic full-reference metrics, computed to the conventions of their official implementations
 * (see {@code ../shared/data/calibration/expected.csv}). Plain Java on arrays; stateless and
 * thread-safe. Arguments are (reference, distorted); every metric needs both the same size.
 *
 * <p>SSIM and MS-SSIM work on MATLAB {@code rgb2gray} of the 8-bit levels ({@code round(v * 255)}
 * of the stored values), rounded back to uint8, exactly as Wang et al.'s scripts receive a colour
 * image converted in MATLAB. PSNR and the pixel distances use the stored RGB values directly.
 */
public final class ClassicMetrics {
  /** msssim.m's default per-scale exponents, finest scale first. */
  private static final double[] MS_SSIM_WEIGHTS = {0.0448, 0.2856, 0.3001, 0.2363, 0.1333};
  /** msssim.m refuses images whose coarsest scale is smaller than the window: 11 * 2^4. */
  public static final int MS_SSIM_MIN_SIDE = SsimCore.WINDOW << (MS_SSIM_WEIGHTS.length - 1);
  public static final int SSIM_MIN_SIDE = SsimCore.WINDOW;

  private ClassicMetrics() {}

  /**
   * PSNR in dB over all three channels with data range 255 for 8-bit images (skimage
   * {@code peak_signal_noise_ratio}); in the stored [0,1] units that is 10 log10(1 / MSE).
   * Identical images give {@code +Infinity}.
   */
  public static double psnr(RgbImage ref, RgbImage dist) {
    requireSameSize("PSNR", ref, dist);
    double mse = pixelMse(ref, dist);
    return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(1.0 / mse);
  }

  /** SSIM as ssim.m computes it with its defaults, without the automatic downsampling. */
  public static double ssim(RgbImage ref, RgbImage dist) {
    return ssim(ref, dist, false);
  }

  /**
   * SSIM (Wang et al. ssim.m): 11x11 Gaussian window sigma 1.5, K1 0.01, K2 0.03, L 255, 'valid'
   * filtering, mean of the SSIM map. With {@code matlabDownsample}, first ssim.m's automatic
   * downsampling: f = max(1, round(min(H, W) / 256)), an f x f box filter with symmetric borders,
   * then every f-th pixel starting at the first.
   */
  public static double ssim(RgbImage ref, RgbImage dist, boolean matlabDownsample) {
    requireSameSize("SSIM", ref, dist);
    requireMinSide("SSIM", ref, SSIM_MIN_SIDE, "the 11x11 Gaussian window");
    GreyPlane a = MatlabGrey.rgb2grayUint8(ref);
    GreyPlane b = MatlabGrey.rgb2grayUint8(dist);
    if (matlabDownsample) {
      // f >= 2 needs a side of at least 384, so the downsampled planes keep at least 128 per side
      int f = SsimCore.matlabDownsampleFactor(ref.width(), ref.height());
      a = SsimCore.boxDownsample(a, f);
      b = SsimCore.boxDownsample(b, f);
    }
    return SsimCore.compare(a, b).meanSsim();
  }

  /**
   * MS-SSIM (Wang et al. msssim.m, 'product' method): at each of 5 scales the mean cs and SSIM maps
   * with the SSIM window, then a 2x2 average (symmetric borders) keeping every 2nd pixel; the result
   * is prod_{l<5} mcs_l^w_l * mssim_5^w_5 with w = 0.0448 0.2856 0.3001 0.2363 0.1333.
   *
   * <p>Returns NaN when a scale's mean cs (or the last mean SSIM) is negative: the real power is
   * undefined there, and msssim.m itself returns a complex number.
   */
  public static double msSsim(RgbImage ref, RgbImage dist) {
    requireSameSize("MS-SSIM", ref, dist);
    requireMinSide("MS-SSIM", ref, MS_SSIM_MIN_SIDE, "5 scales of the 11x11 window (11 * 2^4)");
    GreyPlane a = MatlabGrey.rgb2grayUint8(ref);
    GreyPlane b = MatlabGrey.rgb2grayUint8(dist);
    int levels = MS_SSIM_WEIGHTS.length;
    double product = 1;
    for (int level = 0; level < levels; level++) {
      SsimCore.ScaleStats stats = SsimCore.compare(a, b);
      if (level < levels - 1) {
        product *= Math.pow(stats.meanCs(), MS_SSIM_WEIGHTS[level]);
        a = SsimCore.boxDownsample(a, 2);
        b = SsimCore.boxDownsample(b, 2);
      } else {
        product *= Math.pow(stats.meanSsim(), MS_SSIM_WEIGHTS[level]);
      }
    }
    return product;
  }

  /** Euclidean distance sqrt(sum over c,h,w of (a - b)^2), values in [0,1]. */
  public static double pixelL2(RgbImage ref, RgbImage dist) {
    requireSameSize("pixel L2", ref, dist);
    return Math.sqrt(sumSquaredDifference(ref, dist));
  }

  /** Mean over c,h,w of (a - b)^2, values in [0,1]. */
  public static double pixelMse(RgbImage ref, RgbImage dist) {
    requireSameSize("pixel MSE", ref, dist);
    return sumSquaredDifference(ref, dist) / ref.planar().length;
  }

  private static double sumSquaredDifference(RgbImage ref, RgbImage dist) {
    float[] a = ref.planar();
    float[] b = dist.planar();
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      double d = (double) a[i] - b[i];
      sum += d * d;
    }
    return sum;
  }

  private static void requireSameSize(String metric, RgbImage ref, RgbImage dist) {
    if (!ref.sameSize(dist)) {
      throw new UserInputException(metric + " needs reference and distorted images of the same size, but the"
          + " reference is " + ref.sizeString() + " and the distorted image is " + dist.sizeString()
          + " (width x height); check that the pair's paths belong together or resize the distorted image");
    }
  }

  private static void requireMinSide(String metric, RgbImage image, int minSide, String why) {
    if (Math.min(image.width(), image.height()) < minSide) {
      throw new UserInputException(metric + " needs images of at least " + minSide + "x" + minSide + " pixels ("
          + why + "), but this pair is " + image.sizeString()
          + " (width x height); leave " + metric + " out for this dataset or use larger images");
    }
  }
}
