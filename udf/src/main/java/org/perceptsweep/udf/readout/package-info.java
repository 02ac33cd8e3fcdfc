/**
 * Per-tap readouts (l2, mse, unit_l2, weighted) between reference and distorted activations, each
 * implemented twice: {@link org.perceptsweep.udf.readout.NdReadouts} (NDArray ops, production, on the
 * device) and {@link org.perceptsweep.udf.readout.ArrayReadouts} (plain Java on float arrays, the
 * independent reference for tests). {@code weighted} with LPIPS channel weights, summed over the taps
 * (pseudo-tap {@link org.perceptsweep.udf.readout.ReadoutSet#SUM_TAP}), is LPIPS.
 */
package org.perceptsweep.udf.readout;
