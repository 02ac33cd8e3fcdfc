package org.perceptsweep.udf.net;

import java.io.Serializable;
import java.util.function.Supplier;
import org.perceptsweep.core.Learning;

/**
 * The facts about a net the findings need, with where each came from: how it learned
 * ({@link Learning}; from the card, else from the card's goal), its depth in weight layers and its
 * parameter count (from the card, else counted in the model file, see {@link WeightCount}). A
 * sweep file may override each (source {@code sweep}, applied to the {@code nets} table).
 *
 * @param learning null when neither the card nor its goal says (source {@code unknown})
 */
public record NetFacts(Learning learning, String learningSource, int depth, String depthSource, long parameters,
    String parametersSource) implements Serializable {
  public static final String CARD = "card";
  public static final String GOAL = "goal";
  public static final String MODEL_FILE = "model file";
  public static final String SWEEP = "sweep";
  public static final String UNKNOWN = "unknown";

  /** Card values first; {@code counted} is asked only when the card lacks depth or parameters. */
  public static NetFacts resolve(NetCard card, Supplier<WeightCount> counted) {
    Learning learning = card.learning();
    String learningSource = CARD;
    if (learning == null) {
      learning = Learning.fromGoal(card.goal(), card.trainingData());
      learningSource = learning == null ? UNKNOWN : GOAL;
    }
    WeightCount count = card.depth() != null && card.parameters() != null ? null : counted.get();
    return new NetFacts(learning, learningSource,
        card.depth() != null ? card.depth() : count.depth(), card.depth() != null ? CARD : MODEL_FILE,
        card.parameters() != null ? card.parameters() : count.parameters(),
        card.parameters() != null ? CARD : MODEL_FILE);
  }
}
