package org.perceptsweep.export.report;

import org.perceptsweep.core.UserInputException;

/** One measurement of a sweep: a net (or classic metric), one of its taps, and a readout. */
public record CellKey(String net, String tap, String readout) {

  /** Parses {@code net/tap/readout}, as given to {@code report --scatter}. */
  public static CellKey parse(String spec) {
    String[] parts = spec == null ? new String[0] : spec.split("/", -1);
    if (parts.length != 3 || parts[0].isBlank() || parts[1].isBlank() || parts[2].isBlank()) {
      throw new UserInputException("--scatter '" + spec + "': write a cell as NET/TAP/READOUT, "
          + "e.g. alexnet-imagenet/relu3/unit_l2 or psnr/image/psnr (see the taps table of the report)");
    }
    return new CellKey(parts[0], parts[1], parts[2]);
  }

  @Override
  public String toString() {
    return net + "/" + tap + "/" + readout;
  }
}
