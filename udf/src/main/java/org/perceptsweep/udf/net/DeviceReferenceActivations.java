package org.perceptsweep.udf.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.perceptsweep.udf.readout.NdReadouts;
import org.perceptsweep.udf.readout.ReadoutSet;

/** A reference's tap tensors ([1,C,h,w] each) in a manager of their own, owned by one session. */
final class DeviceReferenceActivations implements ReferenceActivations {
  final DjlNetSession owner;
  final int width;
  final int height;
  private final NDManager manager;
  private final NDList taps;
  private final NDList[] unitNormalised;
  private final NDList[] moments;
  private boolean closed;

  DeviceReferenceActivations(DjlNetSession owner, int width, int height, NDList taps, NDManager manager) {
    this.owner = owner;
    this.width = width;
    this.height = height;
    this.taps = taps;
    this.manager = manager;
    this.unitNormalised = new NDList[taps.size()];
    this.moments = new NDList[taps.size()];
  }

  NDArray tap(int index) {
    return taps.get(index);
  }

  int tapCount() {
    return taps.size();
  }

  /** The tap's per-channel spatial mean and variance ([1,C] each), computed once per reference and kept. */
  NDList momentsTap(int index) {
    return derived(moments, index, NdReadouts::moments);
  }

  /** Channel-unit-normalised tap, computed once per reference and kept beside it. */
  NDArray unitTap(int index) {
    return derived(unitNormalised, index, tap -> new NDList(NdReadouts.unitNormalise(tap))).get(0);
  }

  /** {@code cache[index]}, computed from the tap on first use and kept with the reference. */
  private NDList derived(NDList[] cache, int index, java.util.function.Function<NDArray, NDList> compute) {
    if (cache[index] == null) {
      // The tap is lent to a scratch manager so the temporaries die with it and only the result stays.
      try (NDManager scratch = manager.newSubManager()) {
        NDArray tap = taps.get(index);
        tap.tempAttach(scratch);
        NDList result = compute.apply(tap);
        result.attach(manager);
        cache[index] = result;
      }
    }
    return cache[index];
  }

  @Override
  public ImageActivations activations(ReadoutSet set) {
    if (!set.descriptors() && set.mapTaps().isEmpty()) {
      return ImageActivations.NONE;
    }
    if (isClosed()) {
      throw new IllegalStateException("reference activations are already closed");
    }
    NetCard card = owner.card();
    List<TapDescriptor> descriptors = new ArrayList<>();
    List<TapActivation> maps = new ArrayList<>();
    // Taps are lent to a scratch manager so the temporaries die with it; the taps stay held.
    try (NDManager scratch = manager.newSubManager()) {
      if (set.descriptors()) {
        for (String tap : owner.resolvedTaps(set)) {
          NDArray t = taps.get(card.tapIndex(tap));
          t.tempAttach(scratch);
          descriptors.add(DjlNetSession.describe(tap, t).get(0));
        }
      }
      for (String tap : set.mapTaps()) {
        maps.add(DjlNetSession.copyMaps(tap, taps.get(card.tapIndex(tap))).get(0));
      }
    }
    return new ImageActivations(descriptors, maps);
  }

  boolean isClosed() {
    return closed || !manager.isOpen();
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      manager.close();
    }
  }
}
