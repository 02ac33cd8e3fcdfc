package org.perceptsweep.udf.net;

import java.util.List;
import java.util.Map;
import org.perceptsweep.core.image.RgbImage;
import org.perceptsweep.udf.readout.ReadoutSet;

/** One per task thread (wraps a DJL Predictor). Not thread-safe. */
public interface NetSession extends AutoCloseable {
  int DEFAULT_BATCH_SIZE = 4;
  /** Batch size 0: the session chooses from the activation memory of the net and image size ({@link BatchSizing}). */
  int AUTO_BATCH = 0;

  /** Forward the reference once; its tap activations stay on the engine's device until closed. */
  ReferenceActivations forwardReference(RgbImage reference);

  /**
   * Forward the distorted images (batched, same size as the reference), and compute each readout
   * on each tap against the reference, on the device; only the small results come back: per image,
   * tap -> readout name -> value (taps and readouts in the set's order; plus the pseudo-tap
   * {@link ReadoutSet#SUM_TAP} when {@code weighted} is selected).
   */
  List<Map<String, Map<String, Double>>> compare(ReferenceActivations ref, List<RgbImage> distorted,
      ReadoutSet readouts);

  /**
   * As {@link #compare}, and also the per-channel terms the set asks for
   * ({@link ReadoutSet#channelTerms()}), per image and tap; the pseudo-taps of
   * {@link ReadoutSet#combine()} are in the distances. With {@link ReadoutSet#withActivations} each
   * distorted image's own descriptors and maps come from the same batch forward
   * ({@link PairReadouts#activations()}); the reference's from {@link ReferenceActivations#activations}.
   * Either way, turning them on adds no forward pass.
   */
  default List<PairReadouts> measure(ReferenceActivations ref, List<RgbImage> distorted, ReadoutSet readouts) {
    if (!readouts.channelTerms().isEmpty()) {
      throw new UnsupportedOperationException(getClass().getSimpleName() + " does not return channel terms");
    }
    if (readouts.descriptors() || !readouts.mapTaps().isEmpty()) {
      throw new UnsupportedOperationException(getClass().getSimpleName() + " does not return activations");
    }
    List<PairReadouts> out = new java.util.ArrayList<>();
    for (Map<String, Map<String, Double>> d : compare(ref, distorted, readouts)) {
      out.add(new PairReadouts(d, Map.of()));
    }
    return out;
  }

  /** The activations of every tap of one image, copied back as plain arrays (card order). */
  List<TapActivation> activations(RgbImage image);

  /** Images forwarded so far by this session (references and distorted images). */
  long forwardPasses();

  /**
   * Task-thread time this session spent so far in forward passes (predictor calls: batch in, taps
   * out) and in readouts (distances, channel terms, descriptors and their transfers), in nanoseconds.
   */
  default Times times() {
    return new Times(0, 0);
  }

  /** See {@link #times()}. */
  record Times(long forwardNanos, long readoutNanos) {}

  @Override
  void close();
}
