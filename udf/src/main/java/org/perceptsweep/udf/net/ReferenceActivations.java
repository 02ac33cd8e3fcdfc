package org.perceptsweep.udf.net;

/** A reference image's tap activations, held on the device by the session that made them. */
public interface ReferenceActivations extends AutoCloseable {
  @Override
  void close();
}
