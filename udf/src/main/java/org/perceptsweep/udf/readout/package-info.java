/**
 * Per-tap readouts ({@link org.perceptsweep.udf.readout.Readout}: l2, mse, unit_l2, weighted,
 * mean_std, gram, dists, cosine) between reference and distorted activations, each implemented
 * twice: {@link org.perceptsweep.udf.readout.NdReadouts} (NDArray ops, production, on the device)
 * and {@link org.perceptsweep.udf.readout.ArrayReadouts} (plain Java on float arrays, the
 * independent reference for tests). {@link org.perceptsweep.udf.readout.ReadoutSet} says which
 * readouts, taps, tap combinations ({@link org.perceptsweep.udf.readout.TapCombine}: sum, concat)
 * and per-channel terms ({@link org.perceptsweep.udf.readout.ChannelTermKind}) to compute.
 * {@code weighted} with LPIPS channel weights, summed over the taps (pseudo-tap
 * {@link org.perceptsweep.udf.readout.ReadoutSet#SUM_TAP}), is LPIPS. From stored channel terms:
 * {@link org.perceptsweep.udf.readout.ChannelNorm} (channel_norm_l2) and
 * {@link org.perceptsweep.udf.readout.ChannelWeightFit} (learned non-negative channel weights).
 */
package org.perceptsweep.udf.readout;
