package org.perceptsweep.udf.net;

/** One tap's activations for one image: values laid out [channels][height][width]. */
public record TapActivation(String tap, int channels, int height, int width, float[] values) {
  public TapActivation {
    if (values.length != channels * height * width) {
      throw new IllegalArgumentException("tap " + tap + ": " + values.length + " values for shape ["
          + channels + "," + height + "," + width + "]");
    }
  }
}
