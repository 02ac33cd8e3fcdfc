package org.perceptsweep.udf.net;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.TranslateException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.perceptsweep.core.UserInputException;
import org.perceptsweep.core.image.RgbImage;
import org.perceptsweep.udf.readout.Readout;
import org.perceptsweep.udf.readout.NdReadouts;
import org.perceptsweep.udf.readout.ReadoutSet;

/** A Predictor and a manager for one task thread; every call works in a sub-manager it closes. */
final class DjlNetSession implements NetSession {
  private final DjlFeatureNet net;
  private final Predictor<ImageBatchTranslator.ImageBatch, NDList> predictor;
  private final NDManager manager;
  private final int batchSize;
  /** The last readout set's taps, checked against the card once (a task reuses one set). */
  private ReadoutSet lastReadouts;
  private List<String> lastTaps;
  private long forwardPasses;
  private boolean closed;

  DjlNetSession(DjlFeatureNet net, Predictor<ImageBatchTranslator.ImageBatch, NDList> predictor, NDManager manager,
      int batchSize) {
    this.net = net;
    this.predictor = predictor;
    this.manager = manager;
    this.batchSize = batchSize;
  }

  @Override
  public ReferenceActivations forwardReference(RgbImage reference) {
    ensureOpen();
    checkSize(reference, "reference image");
    NDManager refManager = manager.newSubManager();
    try {
      NDList taps = forward(List.of(reference), refManager);
      return new DeviceReferenceActivations(this, reference.width(), reference.height(), taps, refManager);
    } catch (RuntimeException e) {
      refManager.close();
      throw e;
    }
  }

  @Override
  public List<Map<String, Map<String, Double>>> compare(ReferenceActivations ref, List<RgbImage> distorted,
      ReadoutSet readouts) {
    ensureOpen();
    if (!(ref instanceof DeviceReferenceActivations reference) || reference.owner != this) {
      throw new IllegalArgumentException("reference activations of net " + net.card().name()
          + " must come from this session's forwardReference");
    }
    if (reference.isClosed()) {
      throw new IllegalStateException("reference activations of net " + net.card().name() + " are already closed");
    }
    NetCard card = net.card();
    if (readouts != lastReadouts) {
      lastTaps = readouts.resolveTaps(card.name(), card.tapChannels());
      lastReadouts = readouts;
    }
    List<String> taps = lastTaps;
    for (int i = 0; i < distorted.size(); i++) {
      RgbImage img = distorted.get(i);
      if (img.width() != reference.width || img.height() != reference.height) {
        throw new UserInputException("net " + card.name() + ": distorted image " + i + " of this reference is "
            + img.sizeString() + " but the reference is " + reference.width + "x" + reference.height
            + "; pair images of the same size (resize the distorted image or fix the manifest row)");
      }
    }
    List<Readout> kinds = readouts.readouts();
    boolean weighted = readouts.has(Readout.WEIGHTED);
    boolean unit = weighted || readouts.has(Readout.UNIT_L2);
    List<Map<String, Map<String, Double>>> results = new ArrayList<>(distorted.size());
    for (int start = 0; start < distorted.size(); start += batchSize) {
      List<RgbImage> chunk = distorted.subList(start, Math.min(distorted.size(), start + batchSize));
      int n = chunk.size();
      List<Map<String, Map<String, Double>>> rows = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        rows.add(new LinkedHashMap<>());
      }
      double[] sums = new double[n];
      try (NDManager call = manager.newSubManager()) {
        NDList out = forward(chunk, call);
        for (String tap : taps) {
          int index = card.tapIndex(tap);
          NDArray dist = out.get(index);
          NDArray refTap = reference.tap(index);
          NDArray unitRef = unit ? reference.unitTap(index) : null;
          NDArray w = weighted ? call.create(readouts.weights().forTap(tap)) : null;
          for (int i = 0; i < n; i++) {
            rows.get(i).put(tap, new LinkedHashMap<>());
          }
          // One [readouts, N] transfer per tap.
          NDList perReadout = NdReadouts.computeAll(kinds, refTap, unitRef, dist, w);
          float[] values = NDArrays.stack(perReadout).toFloatArray();
          for (int k = 0; k < kinds.size(); k++) {
            Readout kind = kinds.get(k);
            for (int i = 0; i < n; i++) {
              double v = values[k * n + i];
              rows.get(i).get(tap).put(kind.key(), v);
              if (kind == Readout.WEIGHTED) {
                sums[i] += v;
              }
            }
          }
        }
      }
      if (weighted) {
        for (int i = 0; i < n; i++) {
          Map<String, Double> sum = new LinkedHashMap<>();
          sum.put(Readout.WEIGHTED.key(), sums[i]);
          rows.get(i).put(ReadoutSet.SUM_TAP, sum);
        }
      }
      results.addAll(rows);
    }
    return results;
  }

  @Override
  public List<TapActivation> activations(RgbImage image) {
    ensureOpen();
    checkSize(image, "image");
    try (NDManager call = manager.newSubManager()) {
      NDList out = forward(List.of(image), call);
      List<TapActivation> taps = new ArrayList<>(out.size());
      for (int i = 0; i < out.size(); i++) {
        Shape s = out.get(i).getShape();
        taps.add(new TapActivation(net.card().taps().get(i).name(), (int) s.get(1), (int) s.get(2), (int) s.get(3),
            out.get(i).toFloatArray()));
      }
      return taps;
    }
  }

  @Override
  public long forwardPasses() {
    return forwardPasses;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      try {
        predictor.close();
        manager.close();
      } finally {
        net.release();
      }
    }
  }

  /** Forwards same-size images as one batch; the tap tensors land in {@code target}. */
  private NDList forward(List<RgbImage> images, NDManager target) {
    int n = images.size();
    int w = images.get(0).width();
    int h = images.get(0).height();
    int plane = 3 * w * h;
    float[] data = new float[n * plane];
    for (int i = 0; i < n; i++) {
      checkSize(images.get(i), "image");
      System.arraycopy(images.get(i).planar(), 0, data, i * plane, plane);
    }
    NDList out;
    try {
      out = predictor.predict(new ImageBatchTranslator.ImageBatch(data, n, h, w, target));
    } catch (TranslateException | RuntimeException e) {
      throw new IllegalStateException("net " + net.card().name() + " failed on a batch of " + n + " images of "
          + w + "x" + h + ": " + DjlFeatureNet.oneLine(e), e);
    }
    forwardPasses += n;
    net.checkOutputs(out, n);
    return out;
  }

  private void checkSize(RgbImage image, String what) {
    int min = net.minInputSide();
    if (image.width() < min || image.height() < min) {
      throw new UserInputException("net " + net.card().name() + " takes images of at least " + min + "x" + min
          + " but the " + what + " is " + image.sizeString() + "; use larger images or upscale them first");
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("session of net " + net.card().name() + " is closed");
    }
  }
}
