package org.perceptsweep.jobs;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.perceptsweep.core.UserInputException;

/**
 * What one extract run measures, fixed on the driver and shipped to the executors.
 *
 * @param classicMetrics names among {@link #CLASSIC}, measured on the images themselves (tap "image")
 * @param nets the nets, by spec (builtin:NAME or a model-file URI) and table name (the card's name)
 * @param readouts comma list of readout names applied to every tap of every net
 * @param weightsUri channel-weights JSON for the {@code weighted} readout, or null
 * @param batchSize distorted images forwarded per batch
 * @param inputHash per "dataset/net": the hash of everything that made those rows
 */
public record ExtractPlan(
    List<String> classicMetrics,
    List<NetPlan> nets,
    String readouts,
    String weightsUri,
    int batchSize,
    Map<String, String> inputHash) implements Serializable {

  /** Classic metrics selected like nets; {@code pixels} gives the pixel-space l2 and mse. */
  public static final Set<String> CLASSIC = Set.of("psnr", "ssim", "ms_ssim", "pixels");

  public record NetPlan(String spec, String name) implements Serializable {}

  public ExtractPlan {
    if (batchSize < 1) {
      throw new UserInputException("--batch-size must be at least 1, got " + batchSize);
    }
  }

  public String inputHash(String dataset, String net) {
    String h = inputHash.get(dataset + "/" + net);
    if (h == null) {
      throw new IllegalStateException("no input hash planned for " + dataset + "/" + net);
    }
    return h;
  }
}
