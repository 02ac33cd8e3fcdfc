package org.perceptsweep.udf.net;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.perceptsweep.core.Learning;

/**
 * The model card of a net ({@code NAME.json} beside {@code NAME.pt}): the factors a sweep varies
 * (architecture, goal, training data), the taps {@code forward} returns in order, and the sha256
 * of the TorchScript file. The net facts the findings use are optional in a card: {@code learning}
 * (null: follows from the goal), {@code depth} (weight layers) and {@code parameters} (null:
 * counted in the model file); see {@link NetFacts}.
 */
public record NetCard(String name, String architecture, String goal, String trainingData,
                      List<TapInfo> taps, String sha256, String source, Learning learning, Integer depth,
                      Long parameters) {
  public NetCard {
    taps = List.copyOf(taps);
  }

  /** A card without the optional net facts. */
  public NetCard(String name, String architecture, String goal, String trainingData, List<TapInfo> taps,
      String sha256, String source) {
    this(name, architecture, goal, trainingData, taps, sha256, source, null, null, null);
  }

  /** Tap name to channel count, in card order. */
  public Map<String, Integer> tapChannels() {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (TapInfo t : taps) {
      out.put(t.name(), t.channels());
    }
    return out;
  }

  /** Position of a tap in {@code forward}'s output list, or -1. */
  public int tapIndex(String tap) {
    for (int i = 0; i < taps.size(); i++) {
      if (taps.get(i).name().equals(tap)) {
        return i;
      }
    }
    return -1;
  }
}
