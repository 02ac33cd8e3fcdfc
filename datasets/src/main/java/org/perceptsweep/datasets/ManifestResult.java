package org.perceptsweep.datasets;

import java.util.List;
import org.perceptsweep.core.manifest.ManifestRow;
import org.perceptsweep.core.manifest.Reject;

/**
 * What an adapter produced: the usable pairs, and every input row it could not use with the reason,
 * so that each input row is accounted for exactly once.
 */
public record ManifestResult(List<ManifestRow> rows, List<Reject> rejects) {
  public ManifestResult {
    rows = List.copyOf(rows);
    rejects = List.copyOf(rejects);
  }
}
