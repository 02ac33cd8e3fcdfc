package org.perceptsweep.jobs.progress;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.perceptsweep.export.ResultTable;
import org.perceptsweep.export.TableRenderers;

/** The summary printed when a command ends: per stage, what it worked on, its time and the rows it wrote. */
public final class StageSummary {
  private final List<List<Object>> rows = new ArrayList<>();
  private final ConsoleProgress progress;

  /** @param progress told each stage as it starts (for its line while no extract runs) */
  public StageSummary(ConsoleProgress progress) {
    this.progress = progress;
  }

  /**
   * @param stage manifest, extract, aggregate, report, ...
   * @param of what the stage worked on (a dataset, its nets)
   * @param rows what it wrote, e.g. "3120 distances, 0 rejects" ("-" when nothing)
   */
  public void add(String stage, String of, double seconds, String rows) {
    this.rows.add(Arrays.asList(stage, of, ProgressText.duration(seconds), rows));
  }

  /** Starts timing a stage; {@link Timer#done} adds its row. */
  public Timer time(String stage, String of) {
    progress.stage(stage + " " + of);
    return new Timer(stage, of, System.nanoTime());
  }

  public final class Timer {
    private final String stage;
    private final String of;
    private final long t0;

    private Timer(String stage, String of, long t0) {
      this.stage = stage;
      this.of = of;
      this.t0 = t0;
    }

    public void done(String rows) {
      add(stage, of, (System.nanoTime() - t0) / 1e9, rows);
    }
  }

  public boolean isEmpty() {
    return rows.isEmpty();
  }

  public String render() {
    return TableRenderers.text(new ResultTable(List.of("stage", "of", "time", "rows written"), rows));
  }
}
