package org.perceptsweep.udf.net;

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
 */
final class ImageBatchTranslator implements Translator<ImageBatchTranslator.ImageBatch, NDList> {
  /** Planar RGB of n images of h x w, concatenated; outputs go to {@code target}. */
  record ImageBatch(float[] data, int n, int height, int width, NDManager target) {}

  @Override
  public NDList processInput(TranslatorContext ctx, ImageBatch batch) {
    ctx.setAttachment("target", batch.target());
    return new NDList(ctx.getNDManager().create(FloatBuffer.wrap(batch.data()),
        new Shape(batch.n(), 3, batch.height(), batch.width())));
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
