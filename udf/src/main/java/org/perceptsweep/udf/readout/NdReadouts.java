package org.perceptsweep.udf.readout;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * The readouts as NDArray operations, so they run on the device that holds the activations and
 * only one number per image comes back.
 *
 * <p>Results are attached to the manager of {@code distorted}: callers put the distorted batch in a
 * short-lived sub-manager and close it after reading the results, so temporaries never pile up in
 * the reference's manager.
 */
public final class NdReadouts {
  private static final int[] CHW = {1, 2, 3};
  private static final int[] C = {1};
  private static final int[] HW = {1, 2};

  private NdReadouts() {}

  /**
   * One readout of one tap for a batch.
   *
   * @param reference [1,C,H,W] reference activations
   * @param unitReference {@link #unitNormalise} of the reference (for unit_l2 and weighted; may be
   *     null for l2 and mse). Passed in so one reference serves many batches.
   * @param distorted [N,C,H,W] activations of the distorted images
   * @param weights [C] channel weights for weighted, else null
   * @return [N] float32 distances
   */
  public static NDArray compute(Readout readout, NDArray reference, NDArray unitReference, NDArray distorted,
      NDArray weights) {
    return computeAll(List.of(readout), reference, unitReference, distorted, weights).get(0);
  }

  /**
   * Several readouts of one tap for a batch, sharing the squared differences between readouts.
   *
   * @return one [N] array per readout, in the order given
   */
  public static NDList computeAll(List<Readout> readouts, NDArray reference, NDArray unitReference,
      NDArray distorted, NDArray weights) {
    // Means are sums divided by the count: the PyTorch engine's mean takes a single axis only.
    Shape shape = distorted.getShape();
    float positions = shape.get(2) * shape.get(3);
    NDArray squared = null;
    NDArray unitSquared = null;
    NDList out = new NDList(readouts.size());
    for (Readout readout : readouts) {
      if (readout == Readout.L2 || readout == Readout.MSE) {
        squared = squared != null ? squared : distorted.sub(reference).square();
      } else {
        unitSquared = unitSquared != null ? unitSquared : unitNormalise(distorted).sub(unitReference).square();
      }
      out.add(switch (readout) {
        case L2 -> squared.sum(CHW).sqrt();
        case MSE -> squared.sum(CHW).div(shape.get(1) * positions);
        case UNIT_L2 -> unitSquared.sum(C).sum(HW).div(positions);
        case WEIGHTED -> unitSquared.mul(weights.reshape(1, shape.get(1), 1, 1)).sum(C).sum(HW).div(positions);
      });
    }
    return out;
  }

  /** x / (sqrt(sum over channels of x^2) + 1e-10) at every position of an [N,C,H,W] array. */
  public static NDArray unitNormalise(NDArray activations) {
    NDArray norm = activations.square().sum(C, true).sqrt().add((float) Readout.UNIT_EPS);
    return activations.div(norm);
  }
}
