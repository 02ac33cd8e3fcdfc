package org.perceptsweep.udf.net;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import java.util.List;
import org.perceptsweep.core.UserInputException;

/**
 * A DJL model with its card. Thread-safe: every session gets its own Predictor. The model is
 * closed when it has been evicted from the per-JVM cache and its last session has closed, so an
 * eviction never pulls the model from under a running task.
 */
final class DjlFeatureNet implements FeatureNet {
  private final Model model;
  private final NetCard card;
  private final int minInputSide;
  private int openSessions;
  private boolean retired;
  private boolean closed;
  private NetFacts facts;

  DjlFeatureNet(Model model, NetCard card, int minInputSide) {
    this.model = model;
    this.card = card;
    this.minInputSide = minInputSide;
  }

  @Override
  public NetCard card() {
    return card;
  }

  @Override
  public int minInputSide() {
    return minInputSide;
  }

  /**
   * Counted on first use only (the driver asks, executors never do): reading a TorchScript module's
   * parameters makes DJL hold them as arrays of the model.
   */
  @Override
  public synchronized NetFacts facts() {
    if (facts == null) {
      if (closed) {
        throw new IllegalStateException("net " + card.name() + " was closed; call Nets.get again for a fresh handle");
      }
      facts = NetFacts.resolve(card, this::countWeights);
    }
    return facts;
  }

  /** Weight layers and parameters of the loaded model, whatever its card says. */
  WeightCount countWeights() {
    return WeightCount.of(model.getBlock());
  }

  @Override
  public NetSession newSession() {
    return newSession(NetSession.DEFAULT_BATCH_SIZE);
  }

  @Override
  public NetSession newSession(int batchSize) {
    if (batchSize < 0) {
      throw new UserInputException("batch size for net " + card.name() + " must be at least 1 (or auto), got "
          + batchSize);
    }
    acquire();
    try {
      Predictor<ImageBatchTranslator.ImageBatch, NDList> predictor = model.newPredictor(new ImageBatchTranslator());
      NDManager manager = model.getNDManager().newSubManager();
      return new DjlNetSession(this, predictor, manager, batchSize);
    } catch (RuntimeException e) {
      release();
      throw e;
    }
  }

  /**
   * Forwards zeros of the smallest accepted size once, so a file that is not a tap-list net, or
   * whose card lists other taps or channel counts, fails at load with a clear message.
   */
  void probe() {
    try (NDManager scratch = model.getNDManager().newSubManager();
         Predictor<ImageBatchTranslator.ImageBatch, NDList> predictor = model.newPredictor(new ImageBatchTranslator())) {
      int side = minInputSide;
      NDList out;
      try {
        out = predictor.predict(new ImageBatchTranslator.ImageBatch(new float[3 * side * side], 1, side, side, scratch));
      } catch (TranslateException | RuntimeException e) {
        throw new UserInputException("net " + card.name() + " failed on a 1x3x" + side + "x" + side
            + " float input: " + oneLine(e) + "; it must be TorchScript whose forward(x) takes [N,3,H,W] RGB"
            + " and returns a list of tap tensors", e);
      }
      checkOutputs(out, 1);
    }
  }

  /** Checks a forward's outputs against the card: tap count, batch size, channels. */
  void checkOutputs(NDList out, int batch) {
    List<TapInfo> taps = card.taps();
    if (out.size() != taps.size()) {
      throw new UserInputException("net " + card.name() + " returns " + out.size() + " tensors but its card lists "
          + taps.size() + " taps (" + String.join(", ", card.tapChannels().keySet())
          + "); make the card's taps match forward()'s outputs");
    }
    for (int i = 0; i < taps.size(); i++) {
      NDArray a = out.get(i);
      Shape s = a.getShape();
      if (s.dimension() != 4 || s.get(0) != batch) {
        throw new UserInputException("net " + card.name() + " tap " + taps.get(i).name() + " has shape " + s
            + " for a batch of " + batch + "; each tap must be [N,C,H,W]");
      }
      if (s.get(1) != taps.get(i).channels()) {
        throw new UserInputException("net " + card.name() + " tap " + taps.get(i).name() + " has " + s.get(1)
            + " channels but its card says " + taps.get(i).channels() + "; fix the card");
      }
    }
  }

  /** Native arrays held under the model's manager (parameters, sessions, references): for leak tests. */
  int liveArrays() {
    return model.getNDManager().getManagedArrays().size();
  }

  synchronized boolean isClosed() {
    return closed;
  }

  synchronized void acquire() {
    if (closed) {
      throw new IllegalStateException("net " + card.name() + " was evicted from the model cache and closed;"
          + " call Nets.get again for a fresh handle");
    }
    openSessions++;
  }

  synchronized void release() {
    openSessions--;
    closeIfUnused();
  }

  /** Called when the cache evicts this net: close now, or when the last session closes. */
  synchronized void retire() {
    retired = true;
    closeIfUnused();
  }

  private void closeIfUnused() {
    if (retired && openSessions == 0 && !closed) {
      closed = true;
      model.close();
    }
  }

  static String oneLine(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String msg = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    msg = msg.replaceAll("\\s+", " ").trim();
    return msg.length() > 300 ? msg.substring(0, 300) + "..." : msg;
  }
}
