package org.perceptsweep.core.stats.findings;

/**
 * One row of the {@code findings} table: a claim tested for one subject.
 *
 * @param subject a net, a pair {@code A vs B}, or {@code all} (the claim over its whole set)
 * @param subjectKind {@code set}, {@code net} or {@code pair}
 * @param statistic what {@code estimate} is, in words
 * @param estimate the statistic on all pairs; null when not testable or undefined
 * @param ciLow 2.5th percentile over the reference resamples; null without an interval
 * @param ciHigh 97.5th percentile
 * @param reason why the verdict, in words (for {@code not testable}: what is missing)
 * @param cells the cells behind the estimate on all pairs (each best cell as chosen there)
 * @param pairs pairs every cell of the dataset's findings measured
 * @param undefinedResamples resamples where the statistic was undefined, left out of the interval
 */
public record FindingRow(Claim claim, String subject, String subjectKind, String statistic, Double estimate,
    Double ciLow, Double ciHigh, Verdict verdict, String reason, String cells, int pairs, int references,
    int resamples, int undefinedResamples) {}
