package org.perceptsweep.udf.readout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.perceptsweep.core.UserInputException;

/**
 * Which readouts to compute, on which taps (default: all taps of the net's card), with channel
 * weights for {@code weighted}. Immutable; safe to share between threads.
 *
 * <p>When {@code weighted} is selected, the results also carry a pseudo-tap {@link #SUM_TAP} whose
 * {@code weighted} value is the sum of the per-tap {@code weighted} values: with the LPIPS weights
 * on all their taps, that sum is LPIPS.
 */
public final class ReadoutSet {
  /** Pseudo-tap holding weighted summed over the computed taps (LPIPS with LPIPS weights). */
  public static final String SUM_TAP = "sum";

  private final List<Readout> readouts;
  private final List<String> taps; // empty = all card taps
  private final ChannelWeights weights; // null unless weighted is selected

  private ReadoutSet(List<Readout> readouts, List<String> taps, ChannelWeights weights) {
    this.readouts = List.copyOf(readouts);
    this.taps = List.copyOf(taps);
    this.weights = weights;
  }

  /**
   * @param commaList readout names, e.g. {@code "l2,mse,unit_l2,weighted"}
   * @param weightsUriOrNull channel-weights JSON (Hadoop URI); required when weighted is listed
   */
  public static ReadoutSet parse(String commaList, String weightsUriOrNull, Configuration conf) {
    List<Readout> readouts = parseNames(commaList);
    ChannelWeights weights = null;
    boolean wantsWeights = readouts.contains(Readout.WEIGHTED);
    boolean hasUri = weightsUriOrNull != null && !weightsUriOrNull.isBlank();
    if (wantsWeights && !hasUri) {
      throw new UserInputException("readout 'weighted' needs a channel-weights file (e.g. lpips-alex-v0.1.json);"
          + " give its path or drop 'weighted' from the readouts");
    }
    if (wantsWeights) {
      weights = ChannelWeights.read(weightsUriOrNull.trim(), conf);
    }
    return new ReadoutSet(readouts, List.of(), weights);
  }

  /** A set with already-parsed weights (null unless weighted is listed). */
  public static ReadoutSet of(List<Readout> readouts, ChannelWeights weightsOrNull) {
    if (readouts.isEmpty()) {
      throw new UserInputException("no readouts selected: list at least one of l2, mse, unit_l2, weighted");
    }
    if (readouts.contains(Readout.WEIGHTED) && weightsOrNull == null) {
      throw new UserInputException("readout 'weighted' needs a channel-weights file; give one or drop 'weighted'");
    }
    return new ReadoutSet(new ArrayList<>(new LinkedHashSet<>(readouts)), List.of(),
        readouts.contains(Readout.WEIGHTED) ? weightsOrNull : null);
  }

  /** The same readouts restricted to the given taps, in the given order (checked against the net). */
  public ReadoutSet onTaps(List<String> tapNames) {
    return new ReadoutSet(readouts, new ArrayList<>(new LinkedHashSet<>(tapNames)), weights);
  }

  public List<Readout> readouts() {
    return readouts;
  }

  /** Selected taps; empty means all taps of the net. */
  public List<String> taps() {
    return taps;
  }

  public ChannelWeights weights() {
    return weights;
  }

  public boolean has(Readout r) {
    return readouts.contains(r);
  }

  /**
   * Resolves the taps to compute on a net and checks every name and channel count.
   *
   * @param netName for error messages
   * @param tapChannels the net's taps in card order, name to channel count
   * @return the taps to compute, in order
   */
  public List<String> resolveTaps(String netName, Map<String, Integer> tapChannels) {
    if (tapChannels.containsKey(SUM_TAP) && has(Readout.WEIGHTED)) {
      throw new UserInputException("net " + netName + " has a tap named '" + SUM_TAP
          + "', which clashes with the summed pseudo-tap of readout weighted; rename the tap in its card");
    }
    List<String> selected = taps.isEmpty() ? new ArrayList<>(tapChannels.keySet()) : taps;
    for (String tap : selected) {
      if (!tapChannels.containsKey(tap)) {
        throw new UserInputException("unknown tap '" + tap + "' for net " + netName + ": its taps are "
            + String.join(", ", tapChannels.keySet()));
      }
    }
    if (weights != null) {
      for (Map.Entry<String, float[]> e : weights.byTap().entrySet()) {
        Integer channels = tapChannels.get(e.getKey());
        if (channels == null) {
          throw new UserInputException("channel-weights file " + weights.source() + " has tap '" + e.getKey()
              + "', which net " + netName + " does not have (its taps: " + String.join(", ", tapChannels.keySet())
              + "); use weights made for this net");
        }
        if (channels != e.getValue().length) {
          throw new UserInputException("channel-weights file " + weights.source() + " has " + e.getValue().length
              + " weights for tap " + e.getKey() + " but net " + netName + " gives " + channels
              + " channels there; use weights made for this net");
        }
      }
      for (String tap : selected) {
        if (weights.forTap(tap) == null) {
          throw new UserInputException("readout weighted on tap " + tap + " of net " + netName
              + ": channel-weights file " + weights.source() + " has no weights for it; select only the taps "
              + String.join(", ", weights.byTap().keySet()) + " or add weights for " + tap);
        }
      }
    }
    return Collections.unmodifiableList(new ArrayList<>(selected));
  }

  private static List<Readout> parseNames(String commaList) {
    Set<Readout> out = new LinkedHashSet<>();
    if (commaList != null) {
      for (String part : commaList.split(",")) {
        String name = part.trim();
        if (!name.isEmpty()) {
          out.add(Readout.byKey(name));
        }
      }
    }
    if (out.isEmpty()) {
      throw new UserInputException("no readouts selected ('" + commaList
          + "'): list at least one of l2, mse, unit_l2, weighted, comma-separated");
    }
    return new ArrayList<>(out);
  }

  @Override
  public String toString() {
    return "ReadoutSet" + readouts + (taps.isEmpty() ? "" : " on " + taps)
        + (weights == null ? "" : " weights " + weights.source());
  }
}
