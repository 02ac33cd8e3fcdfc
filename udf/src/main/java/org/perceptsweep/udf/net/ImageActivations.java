package org.perceptsweep.udf.net;

import java.util.List;

/**
 * What a session returns about one image's activations besides the readouts, as asked by
 * {@link org.perceptsweep.udf.readout.ReadoutSet#withActivations}: the descriptors of every computed
 * tap (computed on the engine's device) and the full maps of the chosen taps (copied back whole).
 *
 * @param descriptors per computed tap, in the set's tap order (empty unless descriptors are asked for)
 * @param maps per chosen map tap, in the set's order (empty unless map taps are chosen)
 */
public record ImageActivations(List<TapDescriptor> descriptors, List<TapActivation> maps) {
  public static final ImageActivations NONE = new ImageActivations(List.of(), List.of());

  public ImageActivations {
    descriptors = List.copyOf(descriptors);
    maps = List.copyOf(maps);
  }

  public boolean isEmpty() {
    return descriptors.isEmpty() && maps.isEmpty();
  }
}
