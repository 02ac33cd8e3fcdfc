package org.perceptsweep.udf.net;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.perceptsweep.core.Learning;

/**
 * The built-in net {@code builtin:random-convnet}: an untrained conv net, so the demo and tests run
 * without model files. Four stages of Conv2d 3x3 (stride 2, padding 1, bias) + ReLU with 16, 32,
 * 64, 64 channels; taps conv1..conv4 are the post-ReLU outputs. Weights are He-uniform
 * (U(-sqrt(6/fan_in), +sqrt(6/fan_in)), fan_in = in_channels * 9) drawn in parameter order from
 * {@link SplittableRandom} with a fixed seed, biases zero: the same numbers on every machine.
 */
public final class RandomConvNet {
  public static final String SPEC = "builtin:random-convnet";
  public static final String NAME = "random-convnet";
  static final int[] CHANNELS = {16, 32, 64, 64};
  static final long SEED = 20230227L;
  /** Four stride-2 stages: 16 pixels give conv4 one output position computed from image pixels. */
  static final int MIN_INPUT_SIDE = 16;
  /** Everything the weights and outputs depend on; its hash is the card's sha256. */
  static final String DEFINITION = "convnet4 v1: 4x [Conv2d 3x3 stride 2 padding 1 bias + ReLU], channels 16,32,64,64,"
      + " taps conv1..conv4 post-ReLU, input RGB [0,1] unnormalised, weights He-uniform sqrt(6/fan_in) from"
      + " java.util.SplittableRandom(" + SEED + ").nextDouble() in parameter order, biases 0";

  private RandomConvNet() {}

  public static NetCard card() {
    List<TapInfo> taps = new ArrayList<>();
    for (int i = 0; i < CHANNELS.length; i++) {
      taps.add(new TapInfo("conv" + (i + 1), CHANNELS[i]));
    }
    return new NetCard(NAME, "convnet4", "none", "none", taps, sha256(DEFINITION),
        "built in: " + DEFINITION, Learning.NONE, CHANNELS.length, parameterCount());
  }

  /** Conv weights (out x in x 3 x 3) and biases of the four stages: 60 512 values. */
  static long parameterCount() {
    long total = 0;
    int in = 3;
    for (int c : CHANNELS) {
      total += (long) c * in * 9 + c;
      in = c;
    }
    return total;
  }

  /** Builds a fresh, independent instance (the cache in {@link Nets} holds one per JVM). */
  static DjlFeatureNet build(Device device) {
    Model model = Model.newInstance(NAME, device, "PyTorch");
    try {
      TapStages block = new TapStages(CHANNELS);
      model.setBlock(block);
      block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 3, MIN_INPUT_SIDE, MIN_INPUT_SIDE));
      fillHeUniform(block, new SplittableRandom(SEED));
      block.freezeParameters(true); // inference only: no autograd graph behind the activations
      DjlFeatureNet net = new DjlFeatureNet(model, card(), MIN_INPUT_SIDE);
      net.probe();
      return net;
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  private static void fillHeUniform(Block block, SplittableRandom random) {
    for (Pair<String, Parameter> p : block.getParameters()) {
      Parameter param = p.getValue();
      Shape shape = param.getArray().getShape();
      float[] values = new float[(int) shape.size()];
      if (param.getType() == Parameter.Type.WEIGHT) {
        long fanIn = shape.size() / shape.get(0);
        double bound = Math.sqrt(6.0 / fanIn);
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
      }
      param.getArray().set(values);
    }
  }

  static String sha256(String text) {
    return HexFormat.of().formatHex(ModelFiles.newDigest().digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** Runs the stages in order and returns every stage's output: the taps. */
  static final class TapStages extends AbstractBlock {
    private final List<Block> stages = new ArrayList<>();

    TapStages(int[] channels) {
      super((byte) 1);
      for (int i = 0; i < channels.length; i++) {
        Block stage = new SequentialBlock()
            .add(Conv2d.builder()
                .setKernelShape(new Shape(3, 3))
                .optStride(new Shape(2, 2))
                .optPadding(new Shape(1, 1))
                .setFilters(channels[i])
                .build())
            .add(Activation::relu);
        stages.add(addChildBlock("conv" + (i + 1), stage));
      }
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
        PairList<String, Object> params) {
      NDList x = inputs;
      NDList taps = new NDList(stages.size());
      for (Block stage : stages) {
        x = stage.forward(store, x, training, params);
        taps.add(x.singletonOrThrow());
      }
      return taps;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
      Shape[] out = new Shape[stages.size()];
      Shape s = inputShapes[0];
      for (int i = 0; i < stages.size(); i++) {
        s = stages.get(i).getOutputShapes(new Shape[] {s})[0];
        out[i] = s;
      }
      return out;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
      Shape s = inputShapes[0];
      for (Block stage : stages) {
        stage.initialize(manager, dataType, s);
        s = stage.getOutputShapes(new Shape[] {s})[0];
      }
    }
  }
}
