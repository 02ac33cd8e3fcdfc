package org.perceptsweep.jobs.sweep;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.sort_array;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.perceptsweep.core.UserInputException;
import org.perceptsweep.core.util.Hashing;
import org.perceptsweep.jobs.aggregate.AggregateJob;
import org.perceptsweep.jobs.aggregate.FindingsReport;
import org.perceptsweep.jobs.extract.ExtractJob;
import org.perceptsweep.jobs.extract.ExtractPlan;
import org.perceptsweep.jobs.manifest.ManifestJob;
import org.perceptsweep.jobs.progress.ConsoleProgress;
import org.perceptsweep.jobs.progress.RowsWritten;
import org.perceptsweep.jobs.progress.StageSummary;
import org.perceptsweep.jobs.tables.CellHashes;
import org.perceptsweep.jobs.tables.FileHashes;
import org.perceptsweep.jobs.tables.OutputLayout;
import org.perceptsweep.udf.net.Nets;

/**
 * Runs a sweep file: plans the cells (dataset x net), skips those whose stored rows carry the same
 * input hash, runs manifest, extract and aggregate for the rest, and writes a run record. A net that
 * cannot be loaded fails its own cells only; a malformed sweep file or a missing path fails before
 * any work starts.
 */
public final class SweepJob {
  public static final int EXIT_CELLS_FAILED = 4;

  public record Options(boolean dryRun, boolean quiet, String outOverride) {}

  public record Result(SweepPlan plan, RunRecord record, int exitCode) {}

  private record Dataset(ManifestJob.Prepared prepared, boolean manifestChanged) {
    int pairs() {
      return prepared.report().rows().size();
    }
  }

  /**
   * What the distances table holds for one dataset x net: the input hashes of its rows, and how many
   * of the dataset's pairs it accounts for (distinct pairs measured + distinct pairs rejected).
   */
  record Stored(Set<String> hashes, long accountedPairs) {}

  /** @param readoutDescription what the extract job hashes: the parsed readout set's description */
  private record Net(SweepConfig.NetEntry entry, String spec, String name, String identity, String readouts,
      String readoutDescription, String weights, String weightsHash, String failure) {}

  private SweepJob() {}

  public static Result run(SparkSession spark, String sweepFile, Options options, PrintStream console) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path file = new Path(sweepFile);
    SweepConfig config = readConfig(file, conf);
    Path base = qualify(file, conf).getParent();
    String outRoot = options.outOverride() != null ? options.outOverride()
        : config.out() != null ? resolve(base, config.out()) : null;
    if (outRoot == null) {
      throw new UserInputException("sweep file " + sweepFile + ": 'out' is missing; give the output folder there or"
          + " with --out");
    }
    OutputLayout out = new OutputLayout(outRoot);
    checkReachable(out, conf);
    Instant started = Instant.now();

    // Fail fast: every path exists and every dataset reads before any Spark work starts.
    List<Net> nets = resolveNets(config, base, conf);
    Map<String, String> storedManifest = storedManifestHashes(spark, out);
    List<Dataset> datasets = new ArrayList<>();
    for (int i = 0; i < config.datasets().size(); i++) {
      SweepConfig.DatasetEntry d = config.datasets().get(i);
      ManifestJob.Prepared p = ManifestJob.prepare(spark, out, new ManifestJob.Request(d.adapter(),
          d.root() == null ? null : resolve(base, d.root()), d.name(), d.higherIsBetter(),
          d.seed() == null ? 2302L : d.seed(), d.scores() == null ? null : resolve(base, d.scores()), null,
          Boolean.TRUE.equals(d.validate()), "synthetic".equals(d.adapter()) ? d.syntheticSpec() : null));
      datasets.add(new Dataset(p, !p.manifestHash().equals(storedManifest.get(p.dataset()))));
    }

    SweepPlan plan = plan(datasets, nets, storedCells(spark, out));
    console.print(plan.render());
    RunRecord record = new RunRecord(Hashing.sha256Hex(String.valueOf(System.nanoTime()), sweepFile).substring(0, 12),
        sweepFile, FileHashes.sha256(file.toString(), conf), out.root(), started);
    if (options.dryRun()) {
      return new Result(plan, record, 0);
    }

    int staleStaging = removeStaleStaging(out, conf);
    if (staleStaging > 0) {
      console.printf("removed %d staging folder(s) left by an interrupted run (never visible to readers)%n",
          staleStaging);
    }
    // Progress on stderr: stdout keeps the plan and the summaries.
    ConsoleProgress progress = ConsoleProgress.start(spark.sparkContext(), System.err, options.quiet());
    progress.cells(plan.toRun().size());
    StageSummary stages = new StageSummary(progress);
    try {
      for (Dataset d : datasets) {
        if (d.manifestChanged()) {
          StageSummary.Timer t = stages.time("manifest", d.prepared().dataset());
          ManifestJob.write(spark, out, d.prepared());
          t.done(d.pairs() + " pairs");
        }
        record.dataset(ManifestJob.summary(d.prepared()), d.manifestChanged());
      }
      Set<String> changedDatasets = new HashSet<>();
      for (SweepPlan.Cell c : plan.cells()) {
        if (c.action() != SweepPlan.Action.RUN) {
          record.cell(c, c.action() == SweepPlan.Action.SKIP ? "skipped" : "failed", 0, null, null, List.of());
        }
      }
      // One extract call per dataset and readout setting: images are decoded once for all its nets.
      Map<String, List<SweepPlan.Cell>> groups = new LinkedHashMap<>();
      for (SweepPlan.Cell c : plan.toRun()) {
        groups.computeIfAbsent(c.dataset() + "\u0000" + c.readouts() + "\u0000" + c.weights(), k -> new ArrayList<>())
            .add(c);
      }
      for (List<SweepPlan.Cell> group : groups.values()) {
        SweepPlan.Cell first = group.get(0);
        long t0 = System.nanoTime();
        StageSummary.Timer timer = stages.time("extract", first.dataset() + ": " + group.size() + " nets");
        try {
          ExtractJob.Summary s = ExtractJob.run(spark, out, group.stream().map(SweepPlan.Cell::spec).toList(),
              first.readouts(), first.weights(), config.effectiveBatchSize(), List.of(first.dataset()));
          timer.done(RowsWritten.extract(spark, out, List.of(first.dataset()), s));
          // Every cell of the call gets the call's wall time; the record says which cells shared it
          // and how the task time split between them.
          double seconds = (System.nanoTime() - t0) / 1e9;
          List<String> shared = group.stream().map(SweepPlan.Cell::net).toList();
          for (SweepPlan.Cell c : group) {
            record.cell(c, "ran", seconds, s, null, shared);
          }
          changedDatasets.add(first.dataset());
        } catch (RuntimeException e) {
          timer.done("failed");
          for (SweepPlan.Cell c : group) {
            record.cell(c, "failed", (System.nanoTime() - t0) / 1e9, null, message(e),
                group.stream().map(SweepPlan.Cell::net).toList());
          }
        }
        progress.cellsDone(group.size());
      }
      Map<String, SweepConfig.NetEntry> catalogue = nets.stream()
          .filter(n -> n.failure() == null && n.name() != null)
          .collect(LinkedHashMap::new, (m, n) -> m.put(n.name(), n.entry()), Map::putAll);
      CatalogueOverrides.apply(spark, out, catalogue);
      Map<String, String> catalogueTags = new LinkedHashMap<>();
      catalogue.forEach((net, e) -> catalogueTags.put(net, e.catalogueTags()));
      AggregateJob.Options options0 = aggregateOptions(config, List.of());
      Map<String, Map<String, String>> cellHashes = cellHashesByDataset(spark, out);
      for (Dataset d : datasets) {
        String name = d.prepared().dataset();
        String hash = AggregateStep.hash(d.prepared().manifestHash(), options0, cellHashes.getOrDefault(name, Map.of()),
            catalogueTags);
        String stored = AggregateStep.stored(out.root(), name, conf);
        // Any cell of the dataset that ran in this sweep re-runs its aggregate, even under the same hash.
        if (hash.equals(stored) && !changedDatasets.contains(name) && hasCorrelations(spark, out, name)) {
          record.aggregate(name, "skipped", "unchanged (input hash " + hash.substring(0, 12) + ")", hash, 0);
          continue;
        }
        String reason = stored == null ? "no aggregate yet"
            : changedDatasets.contains(name) || d.manifestChanged() ? "cells of the dataset ran"
            : !hash.equals(stored) ? "inputs changed (statistics settings, cells or catalogue)"
            : "correlations missing";
        long t0 = System.nanoTime();
        StageSummary.Timer timer = stages.time("aggregate", name);
        timer.done(RowsWritten.aggregate(AggregateJob.run(spark, out, aggregateOptions(config, List.of(name)))));
        AggregateStep.store(out.root(), name, hash, conf);
        record.aggregated(name);
        record.aggregate(name, "ran", reason, hash, (System.nanoTime() - t0) / 1e9);
      }
      record.reconcile(Reconciliation.compute(spark, out,
          datasets.stream().map(d -> d.prepared().dataset()).toList(),
          nets.stream().filter(n -> n.name() != null).map(Net::name).toList()));
    } finally {
      progress.close();
    }
    record.finish(Instant.now());
    record.write(spark, out);
    console.print(record.summaryText());
    console.print(FindingsReport.render(spark, out, datasets.stream().map(d -> d.prepared().dataset()).toList()));
    if (!stages.isEmpty()) {
      console.print("\n" + stages.render());
    }
    return new Result(plan, record, record.failedCells() > 0 ? EXIT_CELLS_FAILED : 0);
  }

  private static AggregateJob.Options aggregateOptions(SweepConfig config, List<String> datasets) {
    AggregateJob.Options defaults = AggregateJob.Options.defaults(datasets);
    SweepConfig.AggregateSettings a = config.aggregate();
    if (a == null) {
      return defaults;
    }
    return new AggregateJob.Options(datasets, a.resamples() == null ? defaults.resamples() : a.resamples(),
        a.seed() == null ? defaults.seed() : a.seed(), a.compare() == null ? List.of() : a.compare(),
        a.fitIterations() == null ? defaults.fitIterations() : a.fitIterations(),
        a.equivalenceDelta() == null ? defaults.equivalenceDelta() : a.equivalenceDelta(),
        a.depthThreshold() == null ? defaults.depthThreshold() : a.depthThreshold());
  }

  static SweepPlan plan(List<Dataset> datasets, List<Net> nets, Map<String, Stored> stored) {
    List<SweepPlan.Cell> cells = new ArrayList<>();
    for (Dataset d : datasets) {
      String dataset = d.prepared().dataset();
      for (Net n : nets) {
        String name = n.name() == null ? n.spec() : n.name();
        if (n.failure() != null) {
          cells.add(new SweepPlan.Cell(dataset, name, n.spec(), n.readouts(), n.weights(), null,
              SweepPlan.Action.FAIL, n.failure()));
          continue;
        }
        String hash = CellHashes.extract(d.prepared().manifestHash(), n.identity(), n.readoutDescription(),
            n.weightsHash());
        Stored st = stored.get(dataset + "/" + name);
        Set<String> have = st == null ? null : st.hashes();
        SweepPlan.Action action;
        String reason;
        if (have == null) {
          action = SweepPlan.Action.RUN;
          reason = "no output yet";
        } else if (have.equals(Set.of(hash)) && st.accountedPairs() != d.pairs()) {
          // Committed rows with the right hash, but not every pair measured or rejected: an earlier
          // run stopped between writing this cell's distances and its rejects.
          action = SweepPlan.Action.RUN;
          reason = "incomplete (" + st.accountedPairs() + " of " + d.pairs()
              + " pairs accounted for): an earlier run stopped before finishing it";
        } else if (have.equals(Set.of(hash))) {
          action = SweepPlan.Action.SKIP;
          reason = "unchanged (input hash " + hash.substring(0, 12) + ")";
        } else {
          action = SweepPlan.Action.RUN;
          reason = d.manifestChanged() ? "the dataset's manifest changed"
              : "inputs changed (model, readouts or weights): stored " + shortHashes(have) + ", now "
                  + hash.substring(0, 12);
        }
        cells.add(new SweepPlan.Cell(dataset, name, n.spec(), n.readouts(), n.weights(), hash, action, reason));
      }
    }
    return new SweepPlan(cells);
  }

  private static String shortHashes(Set<String> hashes) {
    return hashes.stream().map(h -> h.substring(0, Math.min(12, h.length()))).sorted().toList().toString();
  }

  private static List<Net> resolveNets(SweepConfig config, Path base, Configuration conf) {
    List<Net> nets = new ArrayList<>();
    for (int i = 0; i < config.nets().size(); i++) {
      SweepConfig.NetEntry e = config.nets().get(i);
      String readouts = String.join(",", config.effectiveReadouts(e));
      if (ExtractPlan.CLASSIC.contains(e.spec())) {
        nets.add(new Net(e, e.spec(), e.spec(), "classic:" + e.spec(), readouts, "-", null, "-", null));
        continue;
      }
      String spec = e.spec().startsWith("builtin:") ? e.spec() : resolve(base, e.spec());
      String weights = e.weights() == null ? null : resolve(base, e.weights());
      if (!spec.startsWith("builtin:")) {
        requireExists("nets[" + i + "].spec", spec, conf);
        String card = spec.replaceAll("\\.pt$", ".json");
        requireExists("nets[" + i + "].spec (its card)", card, conf);
      }
      if (weights != null) {
        requireExists("nets[" + i + "].weights", weights, conf);
      }
      String weightsHash = weights == null ? "-" : FileHashes.sha256(weights, conf);
      // The extract job stamps rows with the readout set's description: plan with the same one.
      String described = ExtractPlan.readoutSet(readouts, weights, null, null, null, conf).describe();
      try {
        var card = Nets.get(spec, conf).card();
        nets.add(new Net(e, spec, card.name(), card.sha256(), readouts, described, weights, weightsHash, null));
      } catch (UserInputException ex) {
        nets.add(new Net(e, spec, null, null, readouts, described, weights, weightsHash, ex.getMessage()));
      }
    }
    Map<String, String> names = new HashMap<>();
    for (Net n : nets) {
      if (n.name() != null && names.put(n.name(), n.spec()) != null) {
        throw new UserInputException("sweep: nets " + names.get(n.name()) + " and " + n.spec()
            + " have the same card name '" + n.name() + "'; each net needs a distinct name");
      }
    }
    return nets;
  }

  private static SweepConfig readConfig(Path file, Configuration conf) {
    try {
      FileSystem fs = file.getFileSystem(conf);
      if (!fs.exists(file)) {
        throw new UserInputException("sweep file " + file + " does not exist; see conf/*.yaml for examples");
      }
      try (InputStream in = fs.open(file)) {
        return SweepConfig.parse(in, file.toString());
      }
    } catch (IOException e) {
      throw new UserInputException("cannot read sweep file " + file + ": " + e.getMessage(), e);
    }
  }

  static String resolve(Path base, String path) {
    Path p = new Path(path);
    return p.isAbsolute() || p.toUri().getScheme() != null ? path : new Path(base, path).toString();
  }

  private static Path qualify(Path p, Configuration conf) {
    try {
      return p.getFileSystem(conf).makeQualified(p);
    } catch (IOException e) {
      throw new UserInputException("cannot reach " + p + ": " + e.getMessage(), e);
    }
  }

  private static void requireExists(String key, String uri, Configuration conf) {
    if (!FileHashes.exists(uri, conf)) {
      throw new UserInputException("sweep: " + key + " names " + uri + ", which does not exist; fix the path");
    }
  }

  /** Bad credentials or an unknown bucket show up here, before any work, not half way. */
  private static void checkReachable(OutputLayout out, Configuration conf) {
    Path root = new Path(out.root());
    try {
      FileSystem fs = root.getFileSystem(conf);
      fs.exists(root);
    } catch (IOException | RuntimeException e) {
      throw new UserInputException("cannot reach the output folder " + out.root() + ": "
          + String.valueOf(e.getMessage()).split("\n")[0] + " (check the path and the credentials)", e);
    }
  }

  private static Map<String, String> storedManifestHashes(SparkSession spark, OutputLayout out) {
    Map<String, String> hashes = new HashMap<>();
    String table = out.table(OutputLayout.MANIFEST);
    if (FileHashes.exists(table, spark.sparkContext().hadoopConfiguration())) {
      for (Row r : spark.read().parquet(table).select("dataset", "manifest_hash").distinct().collectAsList()) {
        hashes.put(r.getString(0), r.getString(1));
      }
    }
    return hashes;
  }

  private static Map<String, Stored> storedCells(SparkSession spark, OutputLayout out) {
    Map<String, Set<String>> hashes = new HashMap<>();
    Map<String, Long> accounted = new HashMap<>();
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    String table = out.table(OutputLayout.DISTANCES);
    if (FileHashes.exists(table, conf)) {
      for (Row r : spark.read().parquet(table).groupBy("dataset", "net")
          .agg(collect_set("input_hash"), countDistinct("pair_id")).collectAsList()) {
        String key = r.getString(0) + "/" + r.getString(1);
        hashes.put(key, new HashSet<>(r.<String>getList(2)));
        accounted.merge(key, r.getLong(3), Long::sum);
      }
    }
    String rejects = out.table(OutputLayout.REJECTS);
    if (FileHashes.exists(rejects, conf)) {
      for (Row r : spark.read().parquet(rejects).filter(col("stage").equalTo("extract"))
          .groupBy("dataset", "net").agg(countDistinct("item")).collectAsList()) {
        accounted.merge(r.getString(0) + "/" + r.getString(1), r.getLong(2), Long::sum);
      }
    }
    Map<String, Stored> stored = new HashMap<>();
    hashes.forEach((k, h) -> stored.put(k, new Stored(h, accounted.getOrDefault(k, 0L))));
    return stored;
  }

  /** dataset -> net -> its distance rows' input hash(es), sorted and joined. */
  private static Map<String, Map<String, String>> cellHashesByDataset(SparkSession spark, OutputLayout out) {
    Map<String, Map<String, String>> m = new HashMap<>();
    String table = out.table(OutputLayout.DISTANCES);
    if (FileHashes.exists(table, spark.sparkContext().hadoopConfiguration())) {
      for (Row r : spark.read().parquet(table).groupBy("dataset", "net")
          .agg(sort_array(collect_set("input_hash"))).collectAsList()) {
        m.computeIfAbsent(r.getString(0), k -> new HashMap<>()).put(r.getString(1),
            String.join(",", r.<String>getList(2)));
      }
    }
    return m;
  }

  /**
   * Spark's dynamic partition overwrite stages each job under {@code TABLE/.spark-staging-JOB} and
   * renames finished partitions into place on commit; a driver killed before that leaves the staging
   * folder behind. Readers never see it (hidden name), but it holds disk: remove it on the next run.
   */
  static int removeStaleStaging(OutputLayout out, Configuration conf) {
    int removed = 0;
    for (String t : OutputLayout.TABLES) {
      Path table = new Path(out.table(t));
      try {
        FileSystem fs = table.getFileSystem(conf);
        if (!fs.exists(table)) {
          continue;
        }
        for (var st : fs.listStatus(table, p -> p.getName().startsWith(".spark-staging-"))) {
          if (fs.delete(st.getPath(), true)) {
            removed++;
          }
        }
      } catch (IOException e) {
        throw new UserInputException("cannot clean up staging folders under " + table + ": " + e.getMessage(), e);
      }
    }
    return removed;
  }

  private static boolean hasCorrelations(SparkSession spark, OutputLayout out, String dataset) {
    String table = out.table(OutputLayout.CORRELATIONS);
    return FileHashes.exists(table, spark.sparkContext().hadoopConfiguration())
        && !spark.read().parquet(table).filter(col("dataset").equalTo(dataset)).isEmpty();
  }

  private static String message(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UserInputException) {
        return t.getMessage();
      }
    }
    return e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()).split("\n")[0];
  }
}
