package org.perceptsweep.jobs.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a sweep will do: one cell per dataset x net, each to run or to skip, with the reason. Pure
 * data, printed by {@code sweep --dry-run} and recorded in the run record.
 */
public record SweepPlan(List<Cell> cells) {
  public enum Action { RUN, SKIP, FAIL }

  /**
   * @param dataset dataset name in the tables
   * @param net net name in the tables (card name or classic metric)
   * @param spec the net as given in the sweep file (resolved path)
   * @param inputHash the hash the cell's rows will carry
   * @param reason why it runs, is skipped or cannot run
   */
  public record Cell(String dataset, String net, String spec, String readouts, String weights, String inputHash,
      Action action, String reason) {}

  public List<Cell> toRun() {
    return cells.stream().filter(c -> c.action() == Action.RUN).toList();
  }

  public long count(Action a) {
    return cells.stream().filter(c -> c.action() == a).count();
  }

  public String render() {
    List<String> lines = new ArrayList<>();
    lines.add(String.format(Locale.ROOT, "plan: %d cells: %d to run, %d unchanged (skipped), %d cannot run",
        cells.size(), count(Action.RUN), count(Action.SKIP), count(Action.FAIL)));
    for (Cell c : cells) {
      lines.add(String.format(Locale.ROOT, "  %-4s %s / %s [%s]: %s", c.action().name().toLowerCase(Locale.ROOT),
          c.dataset(), c.net(), org.perceptsweep.jobs.extract.ExtractPlan.CLASSIC.contains(c.spec()) ? "image metric"
              : c.readouts(), c.reason()));
    }
    return String.join("\n", lines) + "\n";
  }
}
