package org.perceptsweep.udf.readout;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.perceptsweep.core.UserInputException;

/**
 * A distance between the reference and distorted activations {@code a, b} of one tap (each
 * [C,H,W]); every one is 0 for {@code a == b} and higher = more different.
 *
 * <ul>
 *   <li>{@code l2}: sqrt(sum over c,h,w of (a-b)^2)
 *   <li>{@code mse}: mean over c,h,w of (a-b)^2
 *   <li>{@code unit_l2}: u = x / (sqrt(sum_c x^2) + 1e-10) per position; mean over h,w of
 *       sum_c (u_a-u_b)^2
 *   <li>{@code weighted}: as unit_l2 with sum_c w_c (u_a-u_b)^2 (LPIPS per tap)
 *   <li>{@code mean_std}: m, s = per-channel spatial mean and population standard deviation;
 *       sqrt(sum_c (m_a-m_b)^2 + (s_a-s_b)^2)
 *   <li>{@code gram}: Frobenius norm of G_a - G_b, G = F F^T / (H W), F the [C, H*W] matrix
 *   <li>{@code dists}: per channel S1 = (2 m_a m_b + c1) / (m_a^2 + m_b^2 + c1) and
 *       S2 = (2 s_ab + c2) / (s_a^2 + s_b^2 + c2) (s_ab the population covariance over h,w),
 *       c1 = c2 = 1e-6; 1 - mean_c (S1 + S2) / 2 (DISTS with uniform weights)
 *   <li>{@code cosine}: 1 - cos(a, b) of the flattened tensors, computed as
 *       |a/(|a|+1e-10) - b/(|b|+1e-10)|^2 / 2 (the same number without the cancellation of
 *       1 - cos near 0; 0 for two zero tensors, 1/2 when exactly one is zero)
 * </ul>
 */
public enum Readout {
  L2("l2"),
  MSE("mse"),
  UNIT_L2("unit_l2"),
  WEIGHTED("weighted"),
  MEAN_STD("mean_std"),
  GRAM("gram"),
  DISTS("dists"),
  COSINE("cosine");

  /** Added to the channel norm before dividing, as LPIPS does (normalize_tensor, eps 1e-10). */
  public static final double UNIT_EPS = 1e-10;
  /** DISTS stabilising constants c1 (means) and c2 (covariances), as in the issue: 1e-6 each. */
  public static final double DISTS_C1 = 1e-6;
  public static final double DISTS_C2 = 1e-6;

  private final String key;

  Readout(String key) {
    this.key = key;
  }

  /** The name used in configuration and in result maps. */
  public String key() {
    return key;
  }

  public boolean needsWeights() {
    return this == WEIGHTED;
  }

  /** Whether the readout works on channel-unit-normalised activations (unit_l2, weighted). */
  public boolean usesUnitVectors() {
    return this == UNIT_L2 || this == WEIGHTED;
  }

  /** Every readout name a user may list: the per-pair readouts and the dataset-wide derived ones. */
  public static String allNames() {
    return Arrays.stream(values()).map(Readout::key).collect(Collectors.joining(", ")) + ", "
        + ReadoutSet.CHANNEL_NORM_L2;
  }

  public static Readout byKey(String key) {
    for (Readout r : values()) {
      if (r.key.equals(key)) {
        return r;
      }
    }
    throw new UserInputException("unknown readout '" + key + "': use one of " + allNames());
  }
}
