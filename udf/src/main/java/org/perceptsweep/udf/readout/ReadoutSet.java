package org.perceptsweep.udf.readout;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.perceptsweep.core.UserInputException;

/**
 * What to compute for each pair on a net: the per-pair readouts, on which taps (default: all taps
 * of the net's card), with channel weights for {@code weighted}, how taps are combined
 * ({@link TapCombine}), which per-channel terms to return ({@link ChannelTermKind}), and the
 * dataset-wide derived readout {@value #CHANNEL_NORM_L2}. Immutable; safe to share between threads.
 *
 * <p>Pseudo-taps in the results: {@link #SUM_TAP} holds, per readout, the sum of the per-tap values
 * over the computed taps: for every readout with {@code --combine sum}, and always for
 * {@code weighted} (with the LPIPS weights on all their taps that sum is LPIPS). {@link #CONCAT_TAP}
 * holds l2 and mse of all computed taps concatenated, with {@code --combine concat}.
 *
 * <p>{@value #CHANNEL_NORM_L2} is not computed per pair: selecting it asks for the {@code mse}
 * channel terms, from which a dataset-wide job computes it (see {@link ChannelNorm}).
 */
public final class ReadoutSet {
  /** Pseudo-tap holding readouts summed over the computed taps (LPIPS with LPIPS weights). */
  public static final String SUM_TAP = TapCombine.SUM.key();
  /** Pseudo-tap holding l2 and mse of the computed taps concatenated. */
  public static final String CONCAT_TAP = TapCombine.CONCAT.key();
  /** The derived readout sqrt(mean_c d_c / n_c); computed from stored mse channel terms. */
  public static final String CHANNEL_NORM_L2 = "channel_norm_l2";

  private final List<Readout> readouts;
  private final List<String> taps; // empty = all card taps
  private final ChannelWeights weights; // null unless weighted is selected
  private final Set<TapCombine> combine;
  private final Set<ChannelTermKind> channelTerms;
  private final boolean channelNormL2;
  private final boolean descriptors;
  private final List<String> mapTaps;

  private ReadoutSet(List<Readout> readouts, List<String> taps, ChannelWeights weights, Set<TapCombine> combine,
      Set<ChannelTermKind> channelTerms, boolean channelNormL2) {
    this(readouts, taps, weights, combine, channelTerms, channelNormL2, false, List.of());
  }

  private ReadoutSet(List<Readout> readouts, List<String> taps, ChannelWeights weights, Set<TapCombine> combine,
      Set<ChannelTermKind> channelTerms, boolean channelNormL2, boolean descriptors, List<String> mapTaps) {
    this.readouts = List.copyOf(readouts);
    this.taps = List.copyOf(taps);
    this.weights = weights;
    this.combine = Collections.unmodifiableSet(combine.isEmpty() ? EnumSet.noneOf(TapCombine.class)
        : EnumSet.copyOf(combine));
    Set<ChannelTermKind> terms = channelTerms.isEmpty() ? EnumSet.noneOf(ChannelTermKind.class)
        : EnumSet.copyOf(channelTerms);
    if (channelNormL2) {
      terms.add(ChannelTermKind.MSE);
    }
    this.channelTerms = Collections.unmodifiableSet(terms);
    this.channelNormL2 = channelNormL2;
    this.descriptors = descriptors;
    this.mapTaps = List.copyOf(new LinkedHashSet<>(mapTaps));
  }

  /**
   * @param commaList readout names, e.g. {@code "l2,mse,unit_l2,weighted"}; may include
   *     {@value #CHANNEL_NORM_L2}
   * @param weightsUriOrNull channel-weights JSON (Hadoop URI); required when weighted is listed
   */
  public static ReadoutSet parse(String commaList, String weightsUriOrNull, Configuration conf) {
    Set<Readout> readouts = new LinkedHashSet<>();
    boolean channelNorm = false;
    if (commaList != null) {
      for (String part : commaList.split(",")) {
        String name = part.trim();
        if (name.equals(CHANNEL_NORM_L2)) {
          channelNorm = true;
        } else if (!name.isEmpty()) {
          readouts.add(Readout.byKey(name));
        }
      }
    }
    if (readouts.isEmpty() && !channelNorm) {
      throw new UserInputException("no readouts selected ('" + commaList
          + "'): list at least one of " + Readout.allNames() + ", comma-separated");
    }
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
    return new ReadoutSet(new ArrayList<>(readouts), List.of(), weights, Set.of(), Set.of(), channelNorm);
  }

  /** A set with already-parsed weights (null unless weighted is listed). */
  public static ReadoutSet of(List<Readout> readouts, ChannelWeights weightsOrNull) {
    if (readouts.isEmpty()) {
      throw new UserInputException("no readouts selected: list at least one of " + Readout.allNames());
    }
    if (readouts.contains(Readout.WEIGHTED) && weightsOrNull == null) {
      throw new UserInputException("readout 'weighted' needs a channel-weights file; give one or drop 'weighted'");
    }
    return new ReadoutSet(new ArrayList<>(new LinkedHashSet<>(readouts)), List.of(),
        readouts.contains(Readout.WEIGHTED) ? weightsOrNull : null, Set.of(), Set.of(), false);
  }

  /** The same readouts restricted to the given taps, in the given order (checked against the net). */
  public ReadoutSet onTaps(List<String> tapNames) {
    return new ReadoutSet(readouts, new ArrayList<>(new LinkedHashSet<>(tapNames)), weights, combine, channelTerms,
        channelNormL2, descriptors, mapTaps);
  }

  /** The same readouts, also combined over the taps as given. */
  public ReadoutSet withCombine(Collection<TapCombine> combinations) {
    return new ReadoutSet(readouts, taps, weights, EnumSet.copyOf(nonEmpty(combinations, TapCombine.class)),
        channelTerms, channelNormL2, descriptors, mapTaps);
  }

  /** The same readouts, also returning these per-channel terms for every computed tap. */
  public ReadoutSet withChannelTerms(Collection<ChannelTermKind> kinds) {
    return new ReadoutSet(readouts, taps, weights, combine, EnumSet.copyOf(nonEmpty(kinds, ChannelTermKind.class)),
        channelNormL2, descriptors, mapTaps);
  }

  /**
   * The same readouts, also returning each image's own activations from the forward passes the
   * readouts make anyway (no extra pass): with {@code descriptors}, per computed tap the per-channel
   * spatial mean and population standard deviation ({@link NdReadouts#descriptors}); and the full
   * activation maps of {@code mapTaps} (any taps of the net's card, checked by {@link #resolveTaps}).
   */
  public ReadoutSet withActivations(boolean descriptors, Collection<String> mapTaps) {
    return new ReadoutSet(readouts, taps, weights, combine, channelTerms, channelNormL2, descriptors,
        new ArrayList<>(mapTaps));
  }

  /** Whether each image's per-channel descriptors of the computed taps are returned. */
  public boolean descriptors() {
    return descriptors;
  }

  /** Taps whose full activation maps are returned per image (empty = none). */
  public List<String> mapTaps() {
    return mapTaps;
  }

  /** Parses a comma list of tap combinations ({@code sum}, {@code concat}); blank = none. */
  public static List<TapCombine> parseCombine(String commaList) {
    List<TapCombine> out = new ArrayList<>();
    for (String name : names(commaList)) {
      out.add(TapCombine.byKey(name));
    }
    return out;
  }

  /** Parses a comma list of channel-term kinds ({@code unit_l2}, {@code mse}); blank = none. */
  public static List<ChannelTermKind> parseChannelTerms(String commaList) {
    List<ChannelTermKind> out = new ArrayList<>();
    for (String name : names(commaList)) {
      out.add(ChannelTermKind.byKey(name));
    }
    return out;
  }

  /** Parses a comma list of tap names; blank = all taps of the net. */
  public static List<String> parseTaps(String commaList) {
    return names(commaList);
  }

  /** The per-pair readouts, in the order given. */
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

  public Set<TapCombine> combine() {
    return combine;
  }

  /** The channel terms to return per computed tap (includes mse when channel_norm_l2 is selected). */
  public Set<ChannelTermKind> channelTerms() {
    return channelTerms;
  }

  /** Whether the derived readout {@value #CHANNEL_NORM_L2} is selected. */
  public boolean channelNormL2() {
    return channelNormL2;
  }

  /** Readouts reported on the pseudo-tap {@link #SUM_TAP}: all with combine sum, else weighted if selected. */
  public List<Readout> sumReadouts() {
    if (combine.contains(TapCombine.SUM)) {
      return readouts;
    }
    return has(Readout.WEIGHTED) ? List.of(Readout.WEIGHTED) : List.of();
  }

  /** Readouts reported on the pseudo-tap {@link #CONCAT_TAP}: l2 and mse with combine concat, else none. */
  public List<Readout> concatReadouts() {
    return combine.contains(TapCombine.CONCAT) ? List.of(Readout.L2, Readout.MSE) : List.of();
  }

  /**
   * A canonical description of what determines the distances (readouts, taps, combinations),
   * for input hashes. The default choices keep the description of earlier versions: just the
   * readout list.
   */
  public String describe() {
    StringBuilder sb = new StringBuilder(readouts.stream().map(Readout::key).collect(Collectors.joining(",")));
    if (channelNormL2) {
      sb.append(sb.length() == 0 ? "" : ",").append(CHANNEL_NORM_L2);
    }
    if (!taps.isEmpty()) {
      sb.append("|taps=").append(String.join(",", taps));
    }
    if (!combine.isEmpty()) {
      sb.append("|combine=").append(combine.stream().map(TapCombine::key).collect(Collectors.joining(",")));
    }
    return sb.toString();
  }

  private static void requireKnownTaps(List<String> names, String option, String netName,
      Map<String, Integer> tapChannels) {
    for (String tap : names) {
      if (!tapChannels.containsKey(tap)) {
        throw new UserInputException("unknown tap '" + tap + "' for net " + netName + " (" + option
            + "): its taps are " + String.join(", ", tapChannels.keySet()) + "; name taps of this net's card");
      }
    }
  }

  /**
   * Resolves the taps to compute on a net and checks every name and channel count.
   *
   * @param netName for error messages
   * @param tapChannels the net's taps in card order, name to channel count
   * @return the taps to compute, in order
   */
  public List<String> resolveTaps(String netName, Map<String, Integer> tapChannels) {
    if (tapChannels.containsKey(SUM_TAP) && !sumReadouts().isEmpty()) {
      throw new UserInputException("net " + netName + " has a tap named '" + SUM_TAP
          + "', which clashes with the summed pseudo-tap (readout weighted or --combine sum); rename the tap in its"
          + " card");
    }
    if (tapChannels.containsKey(CONCAT_TAP) && combine.contains(TapCombine.CONCAT)) {
      throw new UserInputException("net " + netName + " has a tap named '" + CONCAT_TAP
          + "', which clashes with the pseudo-tap of --combine concat; rename the tap in its card");
    }
    List<String> selected = taps.isEmpty() ? new ArrayList<>(tapChannels.keySet()) : taps;
    requireKnownTaps(selected, "--taps", netName, tapChannels);
    requireKnownTaps(mapTaps, "--activation-maps", netName, tapChannels);
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
              + String.join(", ", weights.byTap().keySet()) + " (--taps) or add weights for " + tap);
        }
      }
    }
    return Collections.unmodifiableList(new ArrayList<>(selected));
  }

  private static List<String> names(String commaList) {
    List<String> out = new ArrayList<>();
    if (commaList != null) {
      for (String part : commaList.split(",")) {
        String name = part.trim();
        if (!name.isEmpty() && !out.contains(name)) {
          out.add(name);
        }
      }
    }
    return out;
  }

  private static <E extends Enum<E>> Collection<E> nonEmpty(Collection<E> values, Class<E> type) {
    return values.isEmpty() ? EnumSet.noneOf(type) : values;
  }

  @Override
  public String toString() {
    return "ReadoutSet" + readouts + (channelNormL2 ? "+" + CHANNEL_NORM_L2 : "")
        + (taps.isEmpty() ? "" : " on " + taps) + (combine.isEmpty() ? "" : " combine " + combine)
        + (channelTerms.isEmpty() ? "" : " terms " + channelTerms)
        + (descriptors ? " descriptors" : "") + (mapTaps.isEmpty() ? "" : " maps " + mapTaps)
        + (weights == null ? "" : " weights " + weights.source());
  }
}
