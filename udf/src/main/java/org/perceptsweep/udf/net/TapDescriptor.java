package org.perceptsweep.udf.net;

/**
 * Activation descriptors of one tap for one image: per channel the spatial mean and the population
 * standard deviation (ddof = 0, like {@code torch.std(unbiased=False)}) over the tap's
 * {@code height x width} positions.
 */
public record TapDescriptor(String tap, int channels, int height, int width, float[] mean, float[] std) {
  public TapDescriptor {
    if (mean.length != channels || std.length != channels) {
      throw new IllegalArgumentException("tap " + tap + ": " + mean.length + " means and " + std.length
          + " standard deviations for " + channels + " channels");
    }
  }
}
