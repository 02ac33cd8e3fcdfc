package org.perceptsweep.jobs.tables;

import org.perceptsweep.core.util.Hashing;

/**
 * The input hash of an extract cell (one dataset x one net): what the rows of that cell depend on.
 * The extract job stamps it on every row; the sweep planner compares it with what is stored to
 * decide whether a cell must run again.
 */
public final class CellHashes {
  private CellHashes() {}

  /**
   * @param manifestHash content hash of the dataset's manifest
   * @param netIdentity the net's model sha256, or {@code classic:NAME} for a classic metric
   * @param readouts the readout set's description ({@code ReadoutSet.describe()}: readouts, taps,
   *     combinations; ignored for classic metrics)
   * @param weightsHash sha256 of the channel-weights file, or "-"
   */
  public static String extract(String manifestHash, String netIdentity, String readouts, String weightsHash) {
    String readoutPart = netIdentity.startsWith("classic:") ? "-" : readouts + "|" + weightsHash;
    return Hashing.sha256Hex("extract/v1", manifestHash, netIdentity, readoutPart);
  }
}
