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
import org.perceptsweep.udf.readout.ChannelTermKind;
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
  private long forwardNanos;
  private long readoutNanos;
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
    List<Map<String, Map<String, Double>>> out = new ArrayList<>(distorted.size());
    for (PairReadouts p : measure(ref, distorted, readouts)) {
      out.add(p.distances());
    }
    return out;
  }

  @Override
  public List<PairReadouts> measure(ReferenceActivations ref, List<RgbImage> distorted, ReadoutSet readouts) {
    ensureOpen();
    if (!(ref instanceof DeviceReferenceActivations reference) || reference.owner != this) {
      throw new IllegalArgumentException("reference activations of net " + net.card().name()
          + " must come from this session's forwardReference");
    }
    if (reference.isClosed()) {
      throw new IllegalStateException("reference activations of net " + net.card().name() + " are already closed");
    }
    NetCard card = net.card();
    List<String> taps = resolvedTaps(readouts);
    for (int i = 0; i < distorted.size(); i++) {
      RgbImage img = distorted.get(i);
      if (img.width() != reference.width || img.height() != reference.height) {
        throw new UserInputException("net " + card.name() + ": distorted image " + i + " of this reference is "
            + img.sizeString() + " but the reference is " + reference.width + "x" + reference.height
            + "; pair images of the same size (resize the distorted image or fix the manifest row)");
      }
    }
    List<Readout> kinds = readouts.readouts();
    List<Readout> sumKinds = readouts.sumReadouts();
    boolean concat = !readouts.concatReadouts().isEmpty();
    // concat is sqrt of the sum over taps of l2^2: l2 is computed per tap even when not reported.
    List<Readout> computed = new ArrayList<>(kinds);
    if (concat && !computed.contains(Readout.L2)) {
      computed.add(Readout.L2);
    }
    List<ChannelTermKind> termKinds = List.copyOf(readouts.channelTerms());
    boolean unit = computed.stream().anyMatch(Readout::usesUnitVectors) || termKinds.contains(ChannelTermKind.UNIT_L2);
    // mean_std and dists use the reference's spatial moments: computed once per reference.
    boolean moments = computed.contains(Readout.MEAN_STD) || computed.contains(Readout.DISTS);
    boolean descriptors = readouts.descriptors();
    List<String> mapTaps = readouts.mapTaps();
    List<PairReadouts> results = new ArrayList<>(distorted.size());
    long started = System.nanoTime();
    long forwardBefore = forwardNanos;
    int batch = batchSize != AUTO_BATCH ? batchSize : autoBatch(reference);
    for (int start = 0; start < distorted.size(); start += batch) {
      List<RgbImage> chunk = distorted.subList(start, Math.min(distorted.size(), start + batch));
      int n = chunk.size();
      List<Map<String, Map<String, Double>>> rows = new ArrayList<>(n);
      List<Map<String, Map<String, float[]>>> terms = new ArrayList<>(n);
      List<List<TapDescriptor>> described = new ArrayList<>(n);
      List<List<TapActivation>> maps = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        rows.add(new LinkedHashMap<>());
        terms.add(new LinkedHashMap<>());
        described.add(new ArrayList<>());
        maps.add(new ArrayList<>());
      }
      double[][] sums = new double[sumKinds.size()][n];
      double[] squaredSums = new double[n];
      double concatCount = 0;
      try (NDManager call = manager.newSubManager()) {
        NDList out = forward(chunk, call);
        for (String tap : taps) {
          int index = card.tapIndex(tap);
          NDArray dist = out.get(index);
          NDArray unitRef = unit ? reference.unitTap(index) : null;
          NDList refMoments = moments ? reference.momentsTap(index) : null;
          NDArray refTap = reference.tap(index);
          // Lent to this call's manager: temporaries made from the reference die with the call.
          refTap.tempAttach(call);
          if (unitRef != null) {
            unitRef.tempAttach(call);
          }
          if (refMoments != null) {
            refMoments.tempAttach(call);
          }
          Shape shape = dist.getShape();
          concatCount += (double) shape.get(1) * shape.get(2) * shape.get(3);
          NDArray w = readouts.has(Readout.WEIGHTED) ? call.create(readouts.weights().forTap(tap)) : null;
          for (int i = 0; i < n; i++) {
            rows.get(i).put(tap, new LinkedHashMap<>());
          }
          if (!computed.isEmpty()) {
            // One [readouts, N] transfer per tap.
            NDList perReadout = NdReadouts.computeAll(computed, refTap, unitRef, refMoments, dist, w);
            float[] values = NDArrays.stack(perReadout).toFloatArray();
            for (int k = 0; k < computed.size(); k++) {
              Readout kind = computed.get(k);
              int sumSlot = sumKinds.indexOf(kind);
              for (int i = 0; i < n; i++) {
                double v = values[k * n + i];
                if (k < kinds.size()) {
                  rows.get(i).get(tap).put(kind.key(), v);
                }
                if (sumSlot >= 0) {
                  sums[sumSlot][i] += v;
                }
                if (concat && kind == Readout.L2) {
                  squaredSums[i] += v * v;
                }
              }
            }
          }
          for (ChannelTermKind termKind : termKinds) {
            int channels = (int) shape.get(1);
            float[] all = NdReadouts.channelTerms(termKind, refTap, unitRef, dist).toFloatArray();
            for (int i = 0; i < n; i++) {
              float[] one = new float[channels];
              System.arraycopy(all, i * channels, one, 0, channels);
              terms.get(i).computeIfAbsent(tap, t -> new LinkedHashMap<>()).put(termKind.key(), one);
            }
          }
          if (descriptors) {
            // The distorted images' own descriptors from this same batch forward: one [N,2,C] transfer.
            List<TapDescriptor> perImage = describe(tap, dist);
            for (int i = 0; i < n; i++) {
              described.get(i).add(perImage.get(i));
            }
          }
        }
        for (String tap : mapTaps) {
          List<TapActivation> perImage = copyMaps(tap, out.get(card.tapIndex(tap)));
          for (int i = 0; i < n; i++) {
            maps.get(i).add(perImage.get(i));
          }
        }
      }
      for (int i = 0; i < n; i++) {
        if (!sumKinds.isEmpty()) {
          Map<String, Double> sum = new LinkedHashMap<>();
          for (int k = 0; k < sumKinds.size(); k++) {
            sum.put(sumKinds.get(k).key(), sums[k][i]);
          }
          rows.get(i).put(ReadoutSet.SUM_TAP, sum);
        }
        if (concat) {
          Map<String, Double> cat = new LinkedHashMap<>();
          cat.put(Readout.L2.key(), Math.sqrt(squaredSums[i]));
          cat.put(Readout.MSE.key(), squaredSums[i] / concatCount);
          rows.get(i).put(ReadoutSet.CONCAT_TAP, cat);
        }
        results.add(new PairReadouts(rows.get(i), terms.get(i), descriptors || !mapTaps.isEmpty()
            ? new ImageActivations(described.get(i), maps.get(i)) : ImageActivations.NONE));
      }
    }
    readoutNanos += System.nanoTime() - started - (forwardNanos - forwardBefore);
    return results;
  }

  /** The batch size for this reference's distorted images: from its largest tap (same size, same net). */
  private static int autoBatch(DeviceReferenceActivations reference) {
    long largest = 0;
    boolean gpu = false;
    for (int i = 0; i < reference.tapCount(); i++) {
      NDArray tap = reference.tap(i);
      largest = Math.max(largest, tap.size() * tap.getDataType().getNumOfBytes());
      gpu = tap.getDevice().isGpu();
    }
    return BatchSizing.choose(largest, gpu);
  }

  @Override
  public Times times() {
    return new Times(forwardNanos, readoutNanos);
  }

  NetCard card() {
    return net.card();
  }

  /** The set's taps on this net, resolved and checked against the card once per set. */
  List<String> resolvedTaps(ReadoutSet readouts) {
    if (readouts != lastReadouts) {
      NetCard card = net.card();
      lastTaps = readouts.resolveTaps(card.name(), card.tapChannels());
      lastReadouts = readouts;
    }
    return lastTaps;
  }

  /** Per-image descriptors of one tap of a batch, [N,C,H,W], computed on its device. */
  static List<TapDescriptor> describe(String tap, NDArray batch) {
    Shape shape = batch.getShape();
    int n = (int) shape.get(0);
    int channels = (int) shape.get(1);
    float[] all = NdReadouts.descriptors(batch).toFloatArray();
    List<TapDescriptor> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      float[] mean = new float[channels];
      float[] std = new float[channels];
      System.arraycopy(all, 2 * i * channels, mean, 0, channels);
      System.arraycopy(all, (2 * i + 1) * channels, std, 0, channels);
      out.add(new TapDescriptor(tap, channels, (int) shape.get(2), (int) shape.get(3), mean, std));
    }
    return out;
  }

  /** The full maps of one tap of a batch, [N,C,H,W], copied back per image. */
  static List<TapActivation> copyMaps(String tap, NDArray batch) {
    Shape shape = batch.getShape();
    int n = (int) shape.get(0);
    int channels = (int) shape.get(1);
    int height = (int) shape.get(2);
    int width = (int) shape.get(3);
    int size = channels * height * width;
    float[] all = batch.toFloatArray();
    List<TapActivation> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      float[] one = new float[size];
      System.arraycopy(all, i * size, one, 0, size);
      out.add(new TapActivation(tap, channels, height, width, one));
    }
    return out;
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
    long started = System.nanoTime();
    try {
      out = predictor.predict(new ImageBatchTranslator.ImageBatch(data, n, h, w, target));
      long took = System.nanoTime() - started;
      forwardNanos += took;
      org.perceptsweep.core.util.StageClock.add(org.perceptsweep.core.util.StageClock.NET_FORWARD, took);
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
