package org.perceptsweep.jobs.bench;

import java.util.List;

/**
 * What one benchmark produced: its table rows, notes (profiles, skips, checks) and the raw
 * per-round figures behind the medians.
 *
 * @param id short name used by {@code --only}
 * @param title section heading in docs/benchmarks.md
 */
public record BenchResult(String id, String title, List<BenchRow> rows, List<String> notes, List<String> raw) {
  public BenchResult {
    rows = List.copyOf(rows);
    notes = List.copyOf(notes);
    raw = List.copyOf(raw);
  }

  /** A benchmark that could not run here, with the reason. */
  public static BenchResult skipped(String id, String title, String why) {
    return new BenchResult(id, title, List.of(), List.of("not measured: " + why), List.of());
  }
}
