package org.perceptsweep.export.report;

/**
 * One row of the {@code correlations} table as plain values. Correlations are agreement-signed
 * (positive = the metric agrees with humans). The interval and fit fields are null when the table
 * has no such column (older aggregates) or the value is undefined.
 */
public record CorrelationRecord(
    String dataset,
    String net,
    String tap,
    int tapIndex,
    String readout,
    String distortion,
    int n,
    Double srocc,
    Double krocc,
    Double plcc,
    Double sroccCiLow,
    Double sroccCiHigh,
    Double plccFitted,
    Double rmseFitted,
    Boolean fitConverged,
    Double plccCiLow,
    Double plccCiHigh,
    String scoreKind,
    boolean higherIsBetter,
    String undefinedReason) {

  /** The distortion subset that holds every pair of a dataset. */
  public static final String ALL = "all";

  public CellKey cell() {
    return new CellKey(net, tap, readout);
  }

  public boolean hasInterval() {
    return sroccCiLow != null && sroccCiHigh != null;
  }

  /** A record with only the base columns (no intervals, no fit), for tests and old tables. */
  public static CorrelationRecord basic(String dataset, String net, String tap, int tapIndex, String readout,
      String distortion, int n, Double srocc, Double krocc, Double plcc, String scoreKind, boolean higherIsBetter) {
    return new CorrelationRecord(dataset, net, tap, tapIndex, readout, distortion, n, srocc, krocc, plcc,
        null, null, null, null, null, null, null, scoreKind, higherIsBetter, srocc == null ? "undefined" : null);
  }

  public CorrelationRecord withInterval(double low, double high) {
    return new CorrelationRecord(dataset, net, tap, tapIndex, readout, distortion, n, srocc, krocc, plcc,
        low, high, plccFitted, rmseFitted, fitConverged, plccCiLow, plccCiHigh, scoreKind, higherIsBetter,
        undefinedReason);
  }
}
