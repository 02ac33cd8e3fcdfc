package org.perceptsweep.udf.readout;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * The readouts as NDArray operations, so they run on the device that holds the activations and
 * only one number per image (or one per channel, for the channel terms) comes back.
 *
 * <p>Where the definition subtracts two nearly equal numbers (dists: 1 - mean(S1+S2)/2, gram:
 * G_a - G_b, cosine: 1 - cos) the device computes an algebraically identical form without the
 * cancellation, so float32 keeps its relative precision for small distances:
 * 1 - S1 = (m_a-m_b)^2 / (m_a^2+m_b^2+c1), 1 - S2 = var(a-b) / (s_a^2+s_b^2+c2),
 * G_b - G_a = (S D^T + D S^T) / (2HW) with S = F_b + F_a, D = F_b - F_a, and
 * 1 - cos = |a/|a| - b/|b||^2 / 2. {@link ArrayReadouts} evaluates the definitions as written.
 *
 * <p>Results are attached to the manager of {@code distorted}: callers put the distorted batch in a
 * short-lived sub-manager and close it after reading the results, so temporaries never pile up in
 * the reference's manager.
 */
public final class NdReadouts {
  private static final int[] C = {1};
  private static final int[] HW = {2, 3};

  private NdReadouts() {}

  /**
   * One readout of one tap for a batch.
   *
   * @param reference [1,C,H,W] reference activations
   * @param unitReference {@link #unitNormalise} of the reference (for unit_l2 and weighted; may be
   *     null for the others). Passed in so one reference serves many batches.
   * @param distorted [N,C,H,W] activations of the distorted images
   * @param weights [C] channel weights for weighted, else null
   * @return [N] float32 distances
   */
  public static NDArray compute(Readout readout, NDArray reference, NDArray unitReference, NDArray distorted,
      NDArray weights) {
    return computeAll(List.of(readout), reference, unitReference, distorted, weights).get(0);
  }

  /**
   * Several readouts of one tap for a batch, sharing intermediate arrays between readouts.
   *
   * @return one [N] array per readout, in the order given
   */
  public static NDList computeAll(List<Readout> readouts, NDArray reference, NDArray unitReference,
      NDArray distorted, NDArray weights) {
    return computeAll(readouts, reference, unitReference, null, distorted, weights);
  }

  /**
   * As {@link #computeAll(List, NDArray, NDArray, NDArray, NDArray)}, with the reference's spatial
   * moments ({@link #moments}) computed once per reference rather than once per batch (may be null).
   */
  public static NDList computeAll(List<Readout> readouts, NDArray reference, NDArray unitReference,
      NDList referenceMoments, NDArray distorted, NDArray weights) {
    Shared s = new Shared(reference, unitReference, distorted);
    if (referenceMoments != null) {
      s.meanA = referenceMoments.get(0);
      s.varA = referenceMoments.get(1);
    }
    NDList out = new NDList(readouts.size());
    for (Readout readout : readouts) {
      out.add(switch (readout) {
        case L2 -> overChannels(s.squaredSums(), null).sqrt().toType(DataType.FLOAT32, false);
        case MSE -> overChannels(s.squaredSums(), null).div(s.channels * s.positions).toType(DataType.FLOAT32, false);
        case UNIT_L2 -> overChannels(s.unitSquaredSums(), null).div(s.positions).toType(DataType.FLOAT32, false);
        case WEIGHTED -> overChannels(s.unitSquaredSums(), weights).div(s.positions).toType(DataType.FLOAT32, false);
        case MEAN_STD -> meanStd(s);
        case GRAM -> gram(s);
        case DISTS -> dists(s);
        case COSINE -> cosine(s);
      });
    }
    return out;
  }

  /**
   * Per-channel terms of one tap for a batch (see {@link ChannelTermKind}).
   *
   * @param unitReference needed for {@link ChannelTermKind#UNIT_L2}, else may be null
   * @return [N,C] float32
   */
  public static NDArray channelTerms(ChannelTermKind kind, NDArray reference, NDArray unitReference,
      NDArray distorted) {
    Shared s = new Shared(reference, unitReference, distorted);
    return (kind == ChannelTermKind.MSE ? s.squaredSums() : s.unitSquaredSums()).div(s.positions);
  }

  /**
   * [N]: the sum over channels of per-channel sums [N,C] (weighted when {@code weights} is given),
   * in float64: the per-channel sums are few numbers, so their total costs nothing in double.
   */
  private static NDArray overChannels(NDArray channelSums, NDArray weights) {
    NDArray sums = channelSums.toType(DataType.FLOAT64, false);
    if (weights != null) {
      sums = sums.mul(weights.toType(DataType.FLOAT64, false).reshape(1, -1));
    }
    return sums.sum(C);
  }

  /**
   * Activation descriptors of one tap for a batch: per image and channel the spatial mean m and the
   * population standard deviation s = sqrt(mean over h,w of (x - m)^2) (ddof = 0, as
   * {@code torch.std(unbiased=False)}), centred before squaring (two passes, no cancellation).
   *
   * @param activations [N,C,H,W]
   * @return [N,2,C] float32: {@code [i][0]} the means, {@code [i][1]} the standard deviations of image i
   */
  public static NDArray descriptors(NDArray activations) {
    Shape shape = activations.getShape();
    float positions = shape.get(2) * shape.get(3);
    NDArray mean = spatialMean(activations, positions);
    return mean.stack(spatialVariance(activations, mean, positions).sqrt(), 1);
  }

  /**
   * The per-channel spatial mean and population variance of a [1,C,H,W] reference, [1,C] each
   * (what mean_std and dists need of it), for {@link #computeAll(List, NDArray, NDArray, NDList,
   * NDArray, NDArray)} to reuse across the reference's batches.
   */
  public static NDList moments(NDArray reference) {
    Shape shape = reference.getShape();
    float positions = shape.get(2) * shape.get(3);
    NDArray mean = spatialMean(reference, positions);
    return new NDList(mean, spatialVariance(reference, mean, positions));
  }

  /** [N,C]: the mean over h,w (a sum divided by the count: the PyTorch engine's mean takes one axis). */
  private static NDArray spatialMean(NDArray x, float positions) {
    return x.sum(HW).div(positions);
  }

  /** [N,C]: the population variance over h,w, centred on {@code mean} before squaring. */
  private static NDArray spatialVariance(NDArray x, NDArray mean, float positions) {
    NDArray centred = x.sub(mean.expandDims(2).expandDims(3));
    NDArray variance = centred.muli(centred).sum(HW).div(positions);
    centred.close();
    return variance;
  }

  /** x / (sqrt(sum over channels of x^2) + 1e-10) at every position of an [N,C,H,W] array. */
  public static NDArray unitNormalise(NDArray activations) {
    // norm() reads the activations once; square().sum().sqrt() would allocate a full-size temporary.
    NDArray norm = activations.norm(C, true).add((float) Readout.UNIT_EPS);
    return activations.div(norm);
  }

  private static NDArray meanStd(Shared s) {
    NDArray dm = s.meanB().sub(s.meanA());
    NDArray ds = s.varB().sqrt().sub(s.varA().sqrt());
    return dm.square().add(ds.square()).sum(C).sqrt();
  }

  private static NDArray gram(Shared s) {
    long n = s.distorted.getShape().get(0);
    NDArray fa = s.reference.reshape(1, s.channels, (long) s.positions);
    NDArray fb = s.distorted.reshape(n, s.channels, (long) s.positions);
    NDArray sum = fb.add(fa);
    NDArray diff = fb.sub(fa);
    NDArray m = sum.matMul(diff.transpose(0, 2, 1)); // [N,C,C]
    NDArray gramDiff = m.add(m.transpose(0, 2, 1)).div(2f * s.positions);
    return gramDiff.square().sum(new int[] {1, 2}).sqrt();
  }

  private static NDArray dists(Shared s) {
    NDArray ma = s.meanA();
    NDArray mb = s.meanB();
    NDArray dm = mb.sub(ma); // [N,C]
    NDArray structure = dm.square().div(ma.square().add(mb.square()).add((float) Readout.DISTS_C1));
    // var(b - a) over positions, centred on its own mean dm.
    NDArray centred = s.distorted.sub(s.reference).sub(dm.expandDims(2).expandDims(3));
    NDArray varDiff = centred.muli(centred).sum(HW).div(s.positions);
    NDArray texture = varDiff.div(s.varA().add(s.varB()).add((float) Readout.DISTS_C2));
    return structure.add(texture).sum(C).div(2f * s.channels);
  }

  private static NDArray cosine(Shared s) {
    long n = s.distorted.getShape().get(0);
    NDArray a = s.reference.reshape(1, -1);
    NDArray b = s.distorted.reshape(n, -1);
    NDArray ua = a.div(a.square().sum(C, true).sqrt().add((float) Readout.UNIT_EPS));
    NDArray ub = b.div(b.square().sum(C, true).sqrt().add((float) Readout.UNIT_EPS));
    return ub.sub(ua).square().sum(C).div(2f);
  }

  /**
   * Intermediates computed at most once per call.
   */
  private static final class Shared {
    final NDArray reference;
    final NDArray unitReference;
    final NDArray distorted;
    final long channels;
    final float positions;
    private NDArray squaredSums;
    private NDArray unitSquaredSums;
    private NDArray meanA;
    private NDArray meanB;
    private NDArray varA;
    private NDArray varB;
    // meanA and varA may be set by computeAll from the reference's cached moments.

    Shared(NDArray reference, NDArray unitReference, NDArray distorted) {
      this.reference = reference;
      this.unitReference = unitReference;
      this.distorted = distorted;
      Shape shape = distorted.getShape();
      this.channels = shape.get(1);
      this.positions = shape.get(2) * shape.get(3);
    }

    /*
     * Every squared-difference readout (l2, mse, unit_l2, weighted and their channel terms) is made
     * from per-channel spatial sums [N,C], so there is one full-size reduction per kind, and it is
     * a sum: libtorch's CPU sum adds in a cascade, while its norm kernel accumulates long runs in
     * float32 and comes out low by about 1e-4 (relative) on a 6-million-value map, growing with the
     * map. The full-size difference is squared in place (a private intermediate, never the
     * caller's activations) and released once summed, so no squared temporary is allocated and the
     * memory is free again for the next tap.
     */
    /** [N,C]: per channel, the sum over h,w of (b - a)^2. */
    NDArray squaredSums() {
      if (squaredSums == null) {
        NDArray diff = distorted.sub(reference);
        squaredSums = diff.muli(diff).sum(HW);
        diff.close();
      }
      return squaredSums;
    }

    /** [N,C]: per channel, the sum over h,w of (u_b - u_a)^2, u the unit-normalised activations. */
    NDArray unitSquaredSums() {
      if (unitSquaredSums == null) {
        NDArray unitRef = unitReference != null ? unitReference : unitNormalise(reference);
        NDArray unitDiff = unitNormalise(distorted).subi(unitRef);
        unitSquaredSums = unitDiff.muli(unitDiff).sum(HW);
        unitDiff.close();
      }
      return unitSquaredSums;
    }

    /** [1,C] */
    NDArray meanA() {
      if (meanA == null) {
        meanA = spatialMean(reference, positions);
      }
      return meanA;
    }

    /** [N,C] */
    NDArray meanB() {
      if (meanB == null) {
        meanB = spatialMean(distorted, positions);
      }
      return meanB;
    }

    /** Population variance per channel, [1,C]. */
    NDArray varA() {
      if (varA == null) {
        varA = spatialVariance(reference, meanA(), positions);
      }
      return varA;
    }

    /** Population variance per channel, [N,C]. */
    NDArray varB() {
      if (varB == null) {
        varB = spatialVariance(distorted, meanB(), positions);
      }
      return varB;
    }
  }
}
