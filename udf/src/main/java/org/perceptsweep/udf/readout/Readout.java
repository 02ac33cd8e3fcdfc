package org.perceptsweep.udf.readout;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.perceptsweep.core.UserInputException;

/**
 * A distance between the reference and distorted activations of one tap (each [C,H,W]).
 *
 * <ul>
 *   <li>{@code l2}: sqrt(sum over c,h,w of (a-b)^2)
 *   <li>{@code mse}: mean over c,h,w of (a-b)^2
 *   <li>{@code unit_l2}: u = x / (sqrt(sum_c x^2) + 1e-10) per position; mean over h,w of
 *       sum_c (u_a-u_b)^2
 *   <li>{@code weighted}: as unit_l2 with sum_c w_c (u_a-u_b)^2 (LPIPS per tap)
 * </ul>
 */
public enum Readout {
  L2("l2"),
  MSE("mse"),
  UNIT_L2("unit_l2"),
  WEIGHTED("weighted");

  /** Added to the channel norm before dividing, as LPIPS does (normalize_tensor, eps 1e-10). */
  public static final double UNIT_EPS = 1e-10;

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

  public static Readout byKey(String key) {
    for (Readout r : values()) {
      if (r.key.equals(key)) {
        return r;
      }
    }
    throw new UserInputException("unknown readout '" + key + "': use one of "
        + Arrays.stream(values()).map(Readout::key).collect(Collectors.joining(", ")));
  }
}
