package org.perceptsweep.jobs.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.perceptsweep.jobs.extract.ExtractJob;
import org.perceptsweep.jobs.extract.ExtractTimings;
import org.perceptsweep.jobs.manifest.ManifestJob;
import org.perceptsweep.jobs.tables.OutputLayout;
import org.perceptsweep.jobs.tables.TableWriter;

/**
 * What one sweep run did: every cell with its action (ran, skipped, failed) and why, durations and
 * counts, the datasets read, and the reconciliation of manifest rows against distances and rejects.
 * Written as JSON ({@code OUT/runs/RUN_ID.json}) and as rows of the {@code runs} table. Holds no
 * configuration values beyond paths: credentials never reach it.
 */
public final class RunRecord {
  public static final String RUNS_TABLE = OutputLayout.RUNS;

  static final StructType SCHEMA = new StructType()
      .add("run_id", DataTypes.StringType, false)
      .add("started", DataTypes.StringType, false)
      .add("dataset", DataTypes.StringType, false)
      .add("net", DataTypes.StringType, false)
      .add("status", DataTypes.StringType, false)
      .add("reason", DataTypes.StringType, true)
      .add("input_hash", DataTypes.StringType, true)
      .add("seconds", DataTypes.DoubleType, false);

  private final String runId;
  private final String sweepFile;
  private final String sweepSha256;
  private final String out;
  private final Instant started;
  private Instant finished;
  private final List<Map<String, Object>> cells = new ArrayList<>();
  private final List<Map<String, Object>> datasets = new ArrayList<>();
  private final List<String> aggregated = new ArrayList<>();
  private final List<Map<String, Object>> aggregateSteps = new ArrayList<>();
  private List<Reconciliation.Line> reconciliation = List.of();

  RunRecord(String runId, String sweepFile, String sweepSha256, String out, Instant started) {
    this.runId = runId;
    this.sweepFile = sweepFile;
    this.sweepSha256 = sweepSha256;
    this.out = out;
    this.started = started;
  }

  public String runId() {
    return runId;
  }

  void dataset(ManifestJob.Summary s, boolean written) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("dataset", s.dataset());
    m.put("pairs", s.pairs());
    m.put("references", s.references());
    m.put("manifest_rejects", s.rejects().size());
    m.put("manifest_written", written);
    datasets.add(m);
  }

  /**
   * @param seconds wall time of the extract call the cell ran in (0 for a skipped cell): cells that
   *     shared a call have the same value, and {@code sharedCall} names them all
   * @param sharedCall the cells (nets) of that call, this one included
   */
  void cell(SweepPlan.Cell c, String status, double seconds, ExtractJob.Summary extract, String error,
      List<String> sharedCall) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("dataset", c.dataset());
    m.put("net", c.net());
    m.put("readouts", c.readouts());
    m.put("status", status);
    m.put("reason", error != null ? error : c.reason());
    m.put("input_hash", c.inputHash());
    m.put("seconds", seconds);
    if (!sharedCall.isEmpty()) {
      m.put("extract_call_cells", sharedCall);
    }
    if (extract != null) {
      // Counts and times of the extract call this cell ran in (shared with extract_call_cells).
      m.put("extract_distance_rows", extract.distanceRows());
      m.put("extract_rejected_rows", extract.rejectedRows());
      m.put("extract_forward_passes", extract.forwardPasses());
      m.put("model_loads", extract.modelLoads());
      ExtractTimings t = extract.timings();
      Map<String, Object> call = new LinkedHashMap<>();
      call.put("wall_seconds", round(t.wallSeconds()));
      call.put("decode_task_seconds", round(t.decodeSeconds()));
      m.put("extract_call", call);
      // This cell's own task-thread seconds (summed over the call's tasks; decoding is the call's).
      Map<String, Object> own = new LinkedHashMap<>();
      ExtractTimings.NetSeconds net = t.nets().get(c.net());
      if (net != null) {
        own.put("model_load", round(net.modelLoad()));
        own.put("forward", round(net.forward()));
        own.put("readouts", round(net.readouts()));
      } else if (t.classicSeconds().containsKey(c.net())) {
        own.put("metric", round(t.classicSeconds().get(c.net())));
      }
      m.put("task_seconds", own);
    }
    cells.add(m);
  }

  /** To the microsecond: a metric on a few small images takes well under a millisecond. */
  private static double round(double seconds) {
    return Math.round(seconds * 1e6) / 1e6;
  }

  void aggregated(String dataset) {
    aggregated.add(dataset);
  }

  /** The aggregate step of one dataset: ran or skipped, why, under which input hash. */
  void aggregate(String dataset, String status, String reason, String inputHash, double seconds) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("dataset", dataset);
    m.put("status", status);
    m.put("reason", reason);
    m.put("input_hash", inputHash);
    m.put("seconds", seconds);
    aggregateSteps.add(m);
  }

  public List<Map<String, Object>> aggregateSteps() {
    return aggregateSteps;
  }

  void reconcile(List<Reconciliation.Line> lines) {
    this.reconciliation = List.copyOf(lines);
  }

  void finish(Instant at) {
    this.finished = at;
  }

  public long failedCells() {
    return count("failed");
  }

  public long count(String status) {
    return cells.stream().filter(c -> status.equals(c.get("status"))).count();
  }

  public List<Reconciliation.Line> reconciliation() {
    return reconciliation;
  }

  public List<Map<String, Object>> cells() {
    return cells;
  }

  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("run_id", runId);
    m.put("sweep_file", sweepFile);
    m.put("sweep_sha256", sweepSha256);
    m.put("out", out);
    m.put("started", started.toString());
    m.put("finished", finished == null ? null : finished.toString());
    m.put("seconds", finished == null ? null : Duration.between(started, finished).toMillis() / 1000.0);
    m.put("cells_ran", count("ran"));
    m.put("cells_skipped", count("skipped"));
    m.put("cells_failed", count("failed"));
    m.put("datasets", datasets);
    m.put("cells", cells);
    m.put("aggregated", aggregated);
    m.put("aggregate", aggregateSteps);
    List<Map<String, Object>> rec = new ArrayList<>();
    for (Reconciliation.Line l : reconciliation) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("dataset", l.dataset());
      r.put("net", l.net());
      r.put("manifest_pairs", l.manifestPairs());
      r.put("measured_pairs", l.measuredPairs());
      r.put("rejected_pairs", l.rejectedPairs());
      r.put("accounted", l.accounted());
      rec.add(r);
    }
    m.put("reconciliation", rec);
    return m;
  }

  /** JSON through a temporary file and a rename; then this run's rows of the runs table. */
  void write(SparkSession spark, OutputLayout layout) {
    Path dir = new Path(layout.root(), "runs");
    Path target = new Path(dir, runId + ".json");
    Path tmp = new Path(dir, "." + runId + ".json.tmp");
    try {
      FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
      fs.mkdirs(dir);
      try (OutputStream o = fs.create(tmp, true)) {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(o, toMap());
      }
      fs.rename(tmp, target);
    } catch (IOException e) {
      throw new UncheckedIOException("writing run record " + target, e);
    }
    List<Row> rows = new ArrayList<>();
    for (Map<String, Object> c : cells) {
      rows.add(RowFactory.create(runId, started.toString(), c.get("dataset"), c.get("net"), c.get("status"),
          c.get("reason"), c.get("input_hash"), ((Number) c.get("seconds")).doubleValue()));
    }
    TableWriter.overwritePartitions(spark.createDataFrame(rows, SCHEMA), layout.table(RUNS_TABLE), "run_id");
  }

  public String summaryText() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "sweep run %s: %d cells ran, %d skipped, %d failed in %.1f s%n", runId,
        count("ran"), count("skipped"), count("failed"),
        finished == null ? 0.0 : Duration.between(started, finished).toMillis() / 1000.0));
    for (Map<String, Object> c : cells) {
      if ("failed".equals(c.get("status"))) {
        sb.append("  failed ").append(c.get("dataset")).append(" / ").append(c.get("net")).append(": ")
            .append(c.get("reason")).append('\n');
      }
    }
    for (Reconciliation.Line l : reconciliation) {
      if (!l.accounted()) {
        sb.append(String.format(Locale.ROOT, "  NOT ACCOUNTED %s / %s: %d manifest pairs, %d measured, %d rejected%n",
            l.dataset(), l.net(), l.manifestPairs(), l.measuredPairs(), l.rejectedPairs()));
      }
    }
    for (Map<String, Object> a : aggregateSteps) {
      sb.append("  aggregate ").append(a.get("dataset")).append(": ").append(a.get("status")).append(" (")
          .append(a.get("reason")).append(")\n");
    }
    sb.append("run record: ").append(new Path(new Path(out, "runs"), runId + ".json")).append('\n');
    return sb.toString();
  }
}
