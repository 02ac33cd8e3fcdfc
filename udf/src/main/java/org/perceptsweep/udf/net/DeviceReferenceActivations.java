package org.perceptsweep.udf.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import org.perceptsweep.udf.readout.NdReadouts;

/** A reference's tap tensors ([1,C,h,w] each) in a manager of their own, owned by one session. */
final class DeviceReferenceActivations implements ReferenceActivations {
  final DjlNetSession owner;
  final int width;
  final int height;
  private final NDManager manager;
  private final NDList taps;
  private final NDArray[] unitNormalised;
  private boolean closed;

  DeviceReferenceActivations(DjlNetSession owner, int width, int height, NDList taps, NDManager manager) {
    this.owner = owner;
    this.width = width;
    this.height = height;
    this.taps = taps;
    this.manager = manager;
    this.unitNormalised = new NDArray[taps.size()];
  }

  NDArray tap(int index) {
    return taps.get(index);
  }

  /** Channel-unit-normalised tap, computed once per reference and kept beside it. */
  NDArray unitTap(int index) {
    if (unitNormalised[index] == null) {
      // The tap is lent to a scratch manager so the temporaries die with it and only the result stays.
      try (NDManager scratch = manager.newSubManager()) {
        NDArray tap = taps.get(index);
        tap.tempAttach(scratch);
        NDArray u = NdReadouts.unitNormalise(tap);
        u.attach(manager);
        unitNormalised[index] = u;
      }
    }
    return unitNormalised[index];
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
