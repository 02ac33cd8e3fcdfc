package org.perceptsweep.udf.net;

/** A loaded net, shared by all tasks of one executor JVM, thread-safe. */
public interface FeatureNet {
  NetCard card();

  /** A session with the default batch size ({@link NetSession#DEFAULT_BATCH_SIZE}); one per task thread. */
  NetSession newSession();

  /** A session that forwards distorted images in batches of at most {@code batchSize}. */
  NetSession newSession(int batchSize);

  /** The smallest image width and height the net takes. */
  int minInputSide();

  /** Learning kind, depth and parameter count: the card's, else derived or counted (see {@link NetFacts}). */
  NetFacts facts();
}
