package org.perceptsweep.jobs.extract;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.perceptsweep.core.UserInputException;
import org.perceptsweep.udf.net.NetSession;
import org.perceptsweep.udf.readout.ReadoutSet;

/**
 * What one extract run measures, fixed on the driver and shipped to the executors.
 *
 * @param classicMetrics names among {@link #CLASSIC}, measured on the images themselves (tap "image")
 * @param nets the nets, by spec (builtin:NAME or a model-file URI) and table name (the card's name)
 * @param readouts comma list of readout names applied to every chosen tap of every net
 * @param weightsUri channel-weights JSON for the {@code weighted} readout, or null
 * @param taps comma list of taps to read (blank = every tap of the net's card)
 * @param combine comma list of tap combinations ({@code sum}, {@code concat}; blank = none)
 * @param channelTerms comma list of channel-term kinds to store ({@code unit_l2}, {@code mse}; blank = none)
 * @param batchSize distorted images forwarded per batch, or {@link NetSession#AUTO_BATCH}
 * @param inputHash per "dataset/net": the hash of everything that made those rows
 * @param activations whether each image's per-channel descriptors of the chosen taps are kept
 * @param activationMaps comma list of taps whose full maps are kept (blank = none)
 */
public record ExtractPlan(
    List<String> classicMetrics,
    List<NetPlan> nets,
    String readouts,
    String weightsUri,
    String taps,
    String combine,
    String channelTerms,
    int batchSize,
    Map<String, String> inputHash,
    boolean activations,
    String activationMaps) implements Serializable {

  /** Classic metrics selected like nets; {@code pixels} gives the pixel-space l2 and mse. */
  public static final Set<String> CLASSIC = Set.of("psnr", "ssim", "ms_ssim", "pixels");

  public record NetPlan(String spec, String name) implements Serializable {}

  public ExtractPlan {
    if (batchSize < 1 && batchSize != NetSession.AUTO_BATCH) {
      throw new UserInputException("--batch-size must be at least 1 (or auto), got " + batchSize);
    }
  }

  /** The readout set of this plan (parses and reads the weights file: once per task, not per pair). */
  public ReadoutSet readoutSet(Configuration conf) {
    return readoutSet(readouts, weightsUri, taps, combine, channelTerms, conf)
        .withActivations(activations, ReadoutSet.parseTaps(activationMaps));
  }

  public static ReadoutSet readoutSet(String readouts, String weightsUri, String taps, String combine, String channelTerms,
      Configuration conf) {
    ReadoutSet set = ReadoutSet.parse(readouts, weightsUri, conf);
    List<String> tapList = ReadoutSet.parseTaps(taps);
    if (!tapList.isEmpty()) {
      set = set.onTaps(tapList);
    }
    set = set.withCombine(ReadoutSet.parseCombine(combine));
    return set.withChannelTerms(ReadoutSet.parseChannelTerms(channelTerms));
  }

  public String inputHash(String dataset, String net) {
    String h = inputHash.get(dataset + "/" + net);
    if (h == null) {
      throw new IllegalStateException("no input hash planned for " + dataset + "/" + net);
    }
    return h;
  }
}
