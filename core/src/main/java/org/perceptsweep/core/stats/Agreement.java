package org.perceptsweep.core.stats;

/**
 * Turns a signed correlation into agreement with humans: {@code sign * correlation} is positive when
 * the metric orders images the way people do. Correlations are stored signed (the dataset's own
 * score direction); reports multiply by this sign.
 */
public final class Agreement {
  private Agreement() {}

  /**
   * Agreement means "metric says worse" goes with "people say worse". With both directions
   * expressed as "higher is worse", a positive correlation agrees; each flipped direction flips it.
   *
   * <ul>
   *   <li>distance (higher = worse) vs DMOS (higher = worse): +1
   *   <li>PSNR (higher = better) vs DMOS: -1
   *   <li>distance vs MOS (higher = better): -1
   *   <li>PSNR vs MOS: +1
   * </ul>
   */
  public static int sign(boolean metricHigherIsWorse, boolean scoreHigherIsBetter) {
    boolean scoreHigherIsWorse = !scoreHigherIsBetter;
    return metricHigherIsWorse == scoreHigherIsWorse ? 1 : -1;
  }
}
