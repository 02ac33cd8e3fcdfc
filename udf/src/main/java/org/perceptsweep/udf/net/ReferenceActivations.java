package org.perceptsweep.udf.net;

import org.perceptsweep.udf.readout.ReadoutSet;

/** A reference image's tap activations, held on the device by the session that made them. */
public interface ReferenceActivations extends AutoCloseable {
  /**
   * The reference's own activation descriptors and maps, as the set asks for them
   * ({@link ReadoutSet#withActivations}), computed from the activations already held: no forward pass.
   */
  default ImageActivations activations(ReadoutSet set) {
    if (set.descriptors() || !set.mapTaps().isEmpty()) {
      throw new UnsupportedOperationException(getClass().getSimpleName() + " does not return activations");
    }
    return ImageActivations.NONE;
  }

  @Override
  void close();
}
