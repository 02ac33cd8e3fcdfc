package org.perceptsweep.udf.net;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

/**
 * A net's size counted from its parameters: {@code depth} is the number of weight layers (conv and
 * linear: a parameter whose name ends in {@code weight} with at least 2 dimensions; batch-norm
 * scales are 1-D and position embeddings are not named weight), {@code parameters} the number of
 * values in all its parameters (buffers such as batch-norm running statistics are not parameters).
 * Counted in the model file as saved, i.e. the part up to its deepest tap.
 */
public record WeightCount(int depth, long parameters) {

  /** Counts a loaded DJL block (a TorchScript module or the built-in net). */
  public static WeightCount of(Block block) {
    int depth = 0;
    long parameters = 0;
    for (Pair<String, Parameter> p : block.getParameters()) {
      Shape shape = p.getValue().getArray().getShape();
      parameters += shape.size();
      if (isWeightLayer(p.getKey(), shape.dimension())) {
        depth++;
      }
    }
    return new WeightCount(depth, parameters);
  }

  /** Whether a parameter named {@code name} with {@code dimensions} dimensions is a layer's weight. */
  static boolean isWeightLayer(String name, int dimensions) {
    String last = name.substring(name.lastIndexOf('.') + 1);
    return dimensions >= 2 && last.endsWith("weight");
  }
}
