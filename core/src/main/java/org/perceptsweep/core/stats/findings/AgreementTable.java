package org.perceptsweep.core.stats.findings;

import java.util.Map;
import org.perceptsweep.core.MetricDirection;
import org.perceptsweep.core.stats.Agreement;
import org.perceptsweep.core.stats.CorrelationResult;
import org.perceptsweep.core.stats.Correlations;
import org.perceptsweep.core.stats.ReferenceBootstrap;
import org.perceptsweep.core.stats.ReferenceGroups;
import org.perceptsweep.core.stats.ReferenceResamples;

/**
 * Agreement SROCC (signed so that positive agrees with humans) of every used cell on the whole
 * sample (sample 0) and in each reference resample (samples 1..B), all cells on the same pairs and
 * the same resamples: any statistic built from them is paired, and a best-cell choice can be made
 * again in every resample. NaN marks an undefined value.
 */
final class AgreementTable {
  static final String ONE_REFERENCE = "fewer than 2 references: resampling references cannot vary the data";

  private final Map<FindingCell, double[]> values = new java.util.HashMap<>();
  private final int resamples;
  private final int pairs;
  private final int references;
  /** Why resamples carry no values (bootstrap off, one reference), or null. */
  private final String noResamples;

  AgreementTable(FindingsData.Aligned data, boolean higherIsBetter, int resamples, long seed) {
    ReferenceGroups groups = ReferenceGroups.of(data.refIds());
    this.pairs = data.pairs();
    this.references = groups.referenceCount();
    this.resamples = resamples;
    this.noResamples = resamples == 0 ? "bootstrap off (resamples 0)"
        : references < 2 ? ONE_REFERENCE : null;
    ReferenceResamples draws = noResamples == null ? ReferenceResamples.draw(references, resamples, seed) : null;
    for (Map.Entry<FindingCell, double[]> e : data.metric().entrySet()) {
      double[] metric = e.getValue();
      int sign = Agreement.sign(MetricDirection.higherIsWorse(e.getKey().readout()), higherIsBetter);
      double[] v = new double[resamples + 1];
      java.util.Arrays.fill(v, Double.NaN);
      CorrelationResult whole = Correlations.of(metric, data.score());
      if (whole.srocc() != null) {
        v[0] = sign * whole.srocc();
        if (draws != null) {
          double[] reps = ReferenceBootstrap.sroccReplicates(metric, data.score(), groups, draws);
          for (int b = 0; b < resamples; b++) {
            v[b + 1] = sign * reps[b];
          }
        }
      }
      values.put(e.getKey(), v);
    }
  }

  /** Agreement of a cell in a sample: 0 = all pairs, 1..B = resample b. */
  double at(FindingCell cell, int sample) {
    double[] v = values.get(cell);
    if (v == null) {
      throw new IllegalArgumentException("cell " + cell.label() + " was not aligned");
    }
    return v[sample];
  }

  int resamples() {
    return resamples;
  }

  int pairs() {
    return pairs;
  }

  int references() {
    return references;
  }

  String noResamples() {
    return noResamples;
  }
}
