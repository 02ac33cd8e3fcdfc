package org.perceptsweep.core.stats.findings;

import org.perceptsweep.core.UserInputException;

/**
 * The settings of the findings, all part of the aggregate's input hash.
 *
 * @param resamples reference resamples (the correlations' count; 0 = no intervals, no verdicts)
 * @param seed the correlations' seed, so the findings use the very same resamples
 * @param delta half-width of the equivalence band: two agreements within +-delta SROCC are "no
 *     major difference" (default {@value #DEFAULT_DELTA})
 * @param depthThreshold nets with more weight layers than this are "very deep", the others
 *     "simple" (default {@value #DEFAULT_DEPTH_THRESHOLD})
 */
public record FindingsSettings(int resamples, long seed, double delta, int depthThreshold)
    implements java.io.Serializable {
  /**
   * 0.02 SROCC: well below the steps IQA papers report as progress (PSNR to SSIM on the LIVE JPEG
   * subset: 0.05), so a difference inside it is no major effect.
   */
  public static final double DEFAULT_DELTA = 0.02;
  /**
   * 30 weight layers. Counted in the exported conv parts (whole torchvision nets in brackets):
   * AlexNet 5 (8), VGG-16 13 (16), ResNet-18 20 (21), SqueezeNet 1.1 25 (26) are simple;
   * MobileNetV2 52 (53), ResNet-50 53 (54), DenseNet-121 120 (121) are very deep. The study's nets
   * leave a gap between 26 and 52; 30 lies in it, in either count.
   */
  public static final int DEFAULT_DEPTH_THRESHOLD = 30;

  public FindingsSettings {
    if (resamples < 0) {
      throw new UserInputException("resamples is " + resamples + ": give 0 or a positive count");
    }
    if (!(delta > 0 && delta < 2)) {
      throw new UserInputException("--equivalence-delta is " + delta
          + ": give a difference of agreement SROCC above 0 and below 2, such as " + DEFAULT_DELTA);
    }
    if (depthThreshold < 1) {
      throw new UserInputException("--depth-threshold is " + depthThreshold
          + ": give a positive number of weight layers, such as " + DEFAULT_DEPTH_THRESHOLD);
    }
  }
}
