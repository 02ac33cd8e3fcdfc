package org.perceptsweep.udf.readout;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.perceptsweep.core.UserInputException;

/**
 * Per-channel terms of one tap that extract can store (table {@code channel_terms}), so that
 * readouts needing a dataset-wide pass or learned weights are computed later from them.
 *
 * <ul>
 *   <li>{@code unit_l2}: t_c = mean over h,w of (u_a,c - u_b,c)^2 with u the channel-unit-normalised
 *       activations. sum_c t_c is unit_l2 and sum_c w_c t_c is weighted: the inputs of {@code fit}.
 *   <li>{@code mse}: d_c = mean over h,w of (a_c - b_c)^2. mean_c d_c is mse; channel_norm_l2 is
 *       sqrt(mean_c d_c / n_c) with n_c the mean of d_c over the dataset's pairs.
 * </ul>
 */
public enum ChannelTermKind {
  UNIT_L2("unit_l2"),
  MSE("mse");

  private final String key;

  ChannelTermKind(String key) {
    this.key = key;
  }

  public String key() {
    return key;
  }

  public static ChannelTermKind byKey(String key) {
    for (ChannelTermKind k : values()) {
      if (k.key.equals(key)) {
        return k;
      }
    }
    throw new UserInputException("unknown channel-term kind '" + key + "': use one of "
        + Arrays.stream(values()).map(ChannelTermKind::key).collect(Collectors.joining(", ")));
  }
}
