package org.perceptsweep.export.report;

import java.util.List;

/**
 * One row of the {@code nets} table: a net (kind {@code net}) or classic metric (kind
 * {@code classic}) with the factors a sweep varies and its taps in depth order.
 */
public record NetRecord(String net, String kind, String architecture, String goal, String trainingData,
    int tapCount, List<String> taps) {
  public NetRecord {
    taps = List.copyOf(taps);
  }

  public boolean classic() {
    return "classic".equals(kind);
  }

  /** The factor value by its column name: goal, training_data or architecture. */
  public String factor(String name) {
    return switch (name) {
      case "goal" -> goal;
      case "training_data" -> trainingData;
      case "architecture" -> architecture;
      default -> throw new IllegalArgumentException("not a net factor: " + name);
    };
  }
}
