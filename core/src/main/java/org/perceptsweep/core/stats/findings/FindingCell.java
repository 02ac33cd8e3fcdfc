package org.perceptsweep.core.stats.findings;

/**
 * One cell of a dataset, as in the correlations table: a net (or classic metric), a tap with its
 * 1-based depth index (0 = the image; pseudo-taps {@code sum} and {@code concat} come after the
 * real taps) and a readout.
 */
public record FindingCell(String net, String tap, int tapIndex, String readout) {
  public String label() {
    return net + "/" + tap + "/" + readout;
  }
}
