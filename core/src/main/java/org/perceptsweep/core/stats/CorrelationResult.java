package org.perceptsweep.core.stats;

/**
 * The three correlations of one cell, signed as computed (the dataset's score direction; turn them
 * into agreement with {@link Agreement#sign}).
 *
 * @param n number of pairs given
 * @param srocc Spearman rank-order correlation (average ranks for ties), null when undefined
 * @param krocc Kendall rank-order correlation, tau-b (tie-corrected), null when undefined
 * @param plcc Pearson linear correlation of the raw values (no logistic mapping; see
 *     {@link LogisticFit} for the fitted PLCC), null when undefined
 * @param undefinedReason why the null ones are null; null when all three are defined
 */
public record CorrelationResult(int n, Double srocc, Double krocc, Double plcc, String undefinedReason) {

  static CorrelationResult undefined(int n, String reason) {
    return new CorrelationResult(n, null, null, null, reason);
  }

  /** True when all three correlations are defined. */
  public boolean complete() {
    return srocc != null && krocc != null && plcc != null;
  }
}
