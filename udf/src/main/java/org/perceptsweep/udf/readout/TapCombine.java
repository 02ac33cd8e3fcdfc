package org.perceptsweep.udf.readout;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.perceptsweep.core.UserInputException;

/**
 * How the chosen taps of a net are combined into one more distance per pair, reported on a
 * pseudo-tap of the same name.
 *
 * <ul>
 *   <li>{@code sum}: for every readout, the sum of its per-tap distances over the chosen taps
 *       (LPIPS style: weighted with the LPIPS weights, summed over all five AlexNet taps, is LPIPS).
 *   <li>{@code concat}: the chosen taps flattened and concatenated into one vector, then {@code l2}
 *       (the prototype's "cumulative" readout) and {@code mse} of it:
 *       sqrt(sum over taps of sum over c,h,w of (a-b)^2), and that sum over the total count.
 * </ul>
 */
public enum TapCombine {
  SUM("sum"),
  CONCAT("concat");

  private final String key;

  TapCombine(String key) {
    this.key = key;
  }

  /** The option value and the pseudo-tap name. */
  public String key() {
    return key;
  }

  public static TapCombine byKey(String key) {
    for (TapCombine c : values()) {
      if (c.key.equals(key)) {
        return c;
      }
    }
    throw new UserInputException("unknown tap combination '" + key + "' (--combine): use "
        + Arrays.stream(values()).map(TapCombine::key).collect(Collectors.joining(" or ")));
  }
}
