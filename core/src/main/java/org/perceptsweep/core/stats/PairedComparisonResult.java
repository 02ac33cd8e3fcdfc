package org.perceptsweep.core.stats;

/**
 * Metric A against metric B on the same pairs, in agreement-signed SROCC (positive = agrees with
 * humans, see {@link Agreement}).
 *
 * @param n pairs
 * @param references distinct reference images
 * @param sroccA agreement-signed SROCC of A on all pairs, null when undefined
 * @param sroccB agreement-signed SROCC of B on all pairs, null when undefined
 * @param difference sroccA - sroccB, null when either is undefined
 * @param lower 2.5th percentile of the difference over the defined resamples
 * @param upper 97.5th percentile of the difference over the defined resamples
 * @param fractionABeatsB fraction of the defined resamples in which A's agreement is strictly
 *     higher than B's (ties count as not beating)
 * @param resamples resamples drawn (the same references for A and B in each)
 * @param undefinedResamples resamples where A's or B's SROCC was undefined, left out above
 * @param undefinedReason null when all is defined; else why, as in {@link BootstrapInterval}
 */
public record PairedComparisonResult(
    int n,
    int references,
    Double sroccA,
    Double sroccB,
    Double difference,
    Double lower,
    Double upper,
    Double fractionABeatsB,
    int resamples,
    int undefinedResamples,
    String undefinedReason) {}
