package org.perceptsweep.udf.net;

import java.util.Map;

/**
 * What {@link NetSession#measure} returns for one distorted image.
 *
 * @param distances tap -> readout name -> distance (taps in the set's order, then the pseudo-taps
 *     {@code sum} and {@code concat} where selected)
 * @param channelTerms tap -> channel-term kind name -> one value per channel (empty unless the set
 *     asks for channel terms)
 * @param activations the distorted image's own activation descriptors and maps, from the same batch
 *     forward ({@link ImageActivations#NONE} unless the set asks for them)
 */
public record PairReadouts(Map<String, Map<String, Double>> distances, Map<String, Map<String, float[]>> channelTerms,
    ImageActivations activations) {
  public PairReadouts(Map<String, Map<String, Double>> distances, Map<String, Map<String, float[]>> channelTerms) {
    this(distances, channelTerms, ImageActivations.NONE);
  }
}
