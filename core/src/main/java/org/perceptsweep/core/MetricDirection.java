package org.perceptsweep.core;

import java.util.Set;

/**
 * Which way a metric points. Readouts of nets and the pixel distances are distances (higher =
 * worse); PSNR, SSIM and MS-SSIM are similarities (higher = better). The correlation job needs this
 * to turn a signed correlation into agreement with humans.
 */
public final class MetricDirection {
  private static final Set<String> SIMILARITIES = Set.of("psnr", "ssim", "ms_ssim");

  private MetricDirection() {}

  public static boolean higherIsWorse(String readout) {
    return !SIMILARITIES.contains(readout);
  }
}
