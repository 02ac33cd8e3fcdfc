package org.perceptsweep.core.stats;

/**
 * Is metric A closer to human judgement than metric B on the same pairs? Compares agreement-signed
 * SROCC, so metrics of opposite direction (PSNR vs a distance) compare fairly, and bootstraps the
 * difference over the SAME reference resamples for both: the two SROCCs are computed on the same
 * images, so their errors are correlated and a paired interval is much narrower than two
 * independent ones.
 */
public final class PairedComparison {
  private PairedComparison() {}

  /**
   * @param metricA metric A per pair
   * @param signA {@link Agreement#sign} for A against this score
   * @param metricB metric B per pair, same pairs in the same order
   * @param signB {@link Agreement#sign} for B
   * @param score human score per pair
   * @param groups reference of each pair
   * @param resamples reference resamples (e.g. 1000, seeded)
   * @throws IllegalArgumentException on mismatched lengths or a sign other than +1 or -1
   */
  public static PairedComparisonResult compare(
      double[] metricA, int signA, double[] metricB, int signB, double[] score,
      ReferenceGroups groups, ReferenceResamples resamples) {
    ReferenceBootstrap.requireCell(metricA, score, groups);
    ReferenceBootstrap.requireCell(metricB, score, groups);
    resamples.requireMatches(groups);
    requireSign(signA, "signA");
    requireSign(signB, "signB");
    int n = score.length;
    int refs = groups.referenceCount();
    int b = resamples.resampleCount();

    String reasonA = ReferenceBootstrap.undefinedCellReason(metricA, score, groups);
    String reasonB = ReferenceBootstrap.undefinedCellReason(metricB, score, groups);
    Double wholeA = reasonA == null ? signA * Correlations.sroccOfChecked(metricA, score) : null;
    Double wholeB = reasonB == null ? signB * Correlations.sroccOfChecked(metricB, score) : null;
    if (reasonA != null || reasonB != null) {
      String reason = reasonA != null ? "metric A: " + reasonA : "metric B: " + reasonB;
      return new PairedComparisonResult(n, refs, wholeA, wholeB, null, null, null, null, b, b, reason);
    }

    SpearmanResampler resampler = new SpearmanResampler(score, groups, resamples);
    WeightedRanks ranksA = resampler.ranksOf(metricA);
    WeightedRanks ranksB = resampler.ranksOf(metricB);
    String[] reason = new String[1];
    Replicates differences = new Replicates(b);
    int aBeats = 0;
    for (int s = 0; s < b; s++) {
      resampler.begin(s);
      double a = resampler.srocc(ranksA, reason);
      String whyA = Double.isNaN(a) ? "metric A: " + reason[0] : null;
      double bb = resampler.srocc(ranksB, reason);
      String why = whyA != null ? whyA : Double.isNaN(bb) ? "metric B: " + reason[0] : null;
      double diff = signA * a - signB * bb;
      differences.set(s, diff, why);
      if (diff > 0) {
        aBeats++;
      }
    }
    BootstrapInterval interval = differences.toInterval(wholeA - wholeB, null);
    int defined = b - differences.undefined();
    Double fraction = defined == 0 ? null : (double) aBeats / defined;
    return new PairedComparisonResult(n, refs, wholeA, wholeB, wholeA - wholeB, interval.lower(),
        interval.upper(), fraction, b, differences.undefined(), interval.undefinedReason());
  }

  private static void requireSign(int sign, String name) {
    if (sign != 1 && sign != -1) {
      throw new IllegalArgumentException(name + " must be +1 or -1 (Agreement.sign), got " + sign);
    }
  }
}
