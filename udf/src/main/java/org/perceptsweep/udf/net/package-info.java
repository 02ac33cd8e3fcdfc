/**
 * Nets through DJL, without Spark.
 *
 * <p>{@link org.perceptsweep.udf.net.Nets#get} returns a per-JVM shared {@link
 * org.perceptsweep.udf.net.FeatureNet} (a TorchScript NAME.pt with its NAME.json card, or {@code
 * builtin:random-convnet}); each task thread opens a {@link org.perceptsweep.udf.net.NetSession},
 * forwards a reference once and compares its distorted images against it with a {@link
 * org.perceptsweep.udf.readout.ReadoutSet}. Activations stay on the engine's device; only one number
 * per image, tap and readout comes back.
 */
package org.perceptsweep.udf.net;
