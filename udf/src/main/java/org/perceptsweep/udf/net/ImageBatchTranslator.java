package org.perceptsweep.udf.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import java.nio.FloatBuffer;

/**
 * Feeds a ready [N,3,H,W] batch to the net and hands the tap tensors to the caller's manager, so
 * they outlive the predictor's per-call context (which DJL closes after each predict).
 *
 * <p>The batch goes in channels-last ({@link TorchSettings#channelsLast()}): the same [N,3,H,W]
 * tensor, its values stored pixel by pixel (N,H,W,C strides), which libtorch carries through the
 * net. Its convolutions then run as oneDNN channels-last kernels and its max-pooling as the
 * vectorised channels-last kernel, where the channel-planar layout takes the scalar pooling loop
 * and im2col-style 1x1 convolutions: 1.3x to 2.4x less forward time for the shared nets at LIVE
 * sizes (docs/benchmarks.md), the same values to float rounding (ReadoutReferenceTest). The taps
 * come back in the same layout; every readout is a reduction over named axes, so layout is not
 * visible in any result.
 */
final class ImageBatchTranslator implements Translator<ImageBatchTranslator.ImageBatch, NDList> {
  /** Planar RGB of n images of h x w, concatenated; outputs go to {@code target}. */
  record ImageBatch(float[] data, int n, int height, int width, NDManager target) {}

  private final boolean channelsLast;

  ImageBatchTranslator() {
    this(TorchSettings.channelsLast());
  }

  ImageBatchTranslator(boolean channelsLast) {
    this.channelsLast = channelsLast;
  }

  @Override
  public NDList processInput(TranslatorContext ctx, ImageBatch batch) {
    ctx.setAttachment("target", batch.target());
    NDManager manager = ctx.getNDManager();
    if (!channelsLast) {
      return new NDList(manager.create(FloatBuffer.wrap(batch.data()),
          new Shape(batch.n(), 3, batch.height(), batch.width())));
    }
    NDArray nhwc = manager.create(FloatBuffer.wrap(interleave(batch)),
        new Shape(batch.n(), batch.height(), batch.width(), 3));
    // A permuted view: logically [N,3,H,W], stored channels-last.
    return new NDList(nhwc.transpose(0, 3, 1, 2));
  }

  /** Planar [N][3][H*W] to pixel-interleaved [N][H*W][3]. */
  static float[] interleave(ImageBatch batch) {
    int plane = batch.height() * batch.width();
    float[] planar = batch.data();
    float[] out = new float[planar.length];
    for (int i = 0; i < batch.n(); i++) {
      int base = 3 * plane * i;
      for (int p = 0; p < plane; p++) {
        out[base + 3 * p] = planar[base + p];
        out[base + 3 * p + 1] = planar[base + plane + p];
        out[base + 3 * p + 2] = planar[base + 2 * plane + p];
      }
    }
    return out;
  }

  @Override
  public NDList processOutput(TranslatorContext ctx, NDList output) {
    NDManager target = (NDManager) ctx.getAttachment("target");
    output.attach(target);
    return output;
  }

  /** Batching is done by the session (one tensor per call), not per item by DJL. */
  @Override
  public Batchifier getBatchifier() {
    return null;
  }
}
