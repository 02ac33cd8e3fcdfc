package org.perceptsweep.jobs.sweep;

import static org.apache.spark.sql.functions.col;

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
import org.perceptsweep.jobs.AggregateJob;
import org.perceptsweep.jobs.CellHashes;
import org.perceptsweep.jobs.ExtractJob;
import org.perceptsweep.jobs.ExtractPlan;
import org.perceptsweep.jobs.FileHashes;
import org.perceptsweep.jobs.ManifestJob;
import org.perceptsweep.jobs.OutputLayout;
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

  private record Dataset(ManifestJob.Prepared prepared, boolean manifestChanged) {}

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
          Boolean.TRUE.equals(d.validate())));
      datasets.add(new Dataset(p, !p.manifestHash().equals(storedManifest.get(p.dataset()))));
    }

    SweepPlan plan = plan(datasets, nets, storedCellHashes(spark, out));
    console.print(plan.render());
    RunRecord record = new RunRecord(Hashing.sha256Hex(String.valueOf(System.nanoTime()), sweepFile).substring(0, 12),
        sweepFile, FileHashes.sha256(file.toString(), conf), out.root(), started);
    if (options.dryRun()) {
      return new Result(plan, record, 0);
    }

    ProgressListener progress = options.quiet() ? null : new ProgressListener(console, plan.toRun().size());
    if (progress != null) {
      spark.sparkContext().addSparkListener(progress);
    }
    try {
      for (Dataset d : datasets) {
        if (d.manifestChanged()) {
          ManifestJob.write(spark, out, d.prepared());
        }
        record.dataset(ManifestJob.summary(d.prepared()), d.manifestChanged());
      }
      Set<String> changedDatasets = new HashSet<>();
      for (SweepPlan.Cell c : plan.cells()) {
        if (c.action() != SweepPlan.Action.RUN) {
          record.cell(c, c.action() == SweepPlan.Action.SKIP ? "skipped" : "failed", 0, null, null);
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
        try {
          ExtractJob.Summary s = ExtractJob.run(spark, out, group.stream().map(SweepPlan.Cell::spec).toList(),
              first.readouts(), first.weights(), config.effectiveBatchSize(), List.of(first.dataset()));
          double seconds = (System.nanoTime() - t0) / 1e9;
          for (SweepPlan.Cell c : group) {
            record.cell(c, "ran", seconds / group.size(), s, null);
          }
          changedDatasets.add(first.dataset());
        } catch (RuntimeException e) {
          for (SweepPlan.Cell c : group) {
            record.cell(c, "failed", (System.nanoTime() - t0) / 1e9 / group.size(), null, message(e));
          }
        }
        if (progress != null) {
          progress.cellsDone(group.size());
        }
      }
      CatalogueOverrides.apply(spark, out, nets.stream()
          .filter(n -> n.failure() == null && n.name() != null)
          .collect(LinkedHashMap::new, (m, n) -> m.put(n.name(), n.entry()), Map::putAll));
      for (Dataset d : datasets) {
        String name = d.prepared().dataset();
        if (changedDatasets.contains(name) || d.manifestChanged() || !hasCorrelations(spark, out, name)) {
          AggregateJob.Options defaults = AggregateJob.Options.defaults(List.of(name));
          SweepConfig.AggregateSettings a = config.aggregate();
          AggregateJob.run(spark, out, new AggregateJob.Options(List.of(name),
              a == null || a.resamples() == null ? defaults.resamples() : a.resamples(),
              a == null || a.seed() == null ? defaults.seed() : a.seed(), List.of()));
          record.aggregated(name);
        }
      }
      record.reconcile(Reconciliation.compute(spark, out,
          datasets.stream().map(d -> d.prepared().dataset()).toList(),
          nets.stream().filter(n -> n.name() != null).map(Net::name).toList()));
    } finally {
      if (progress != null) {
        progress.finish();
        spark.sparkContext().removeSparkListener(progress);
      }
    }
    record.finish(Instant.now());
    record.write(spark, out);
    console.print(record.summaryText());
    return new Result(plan, record, record.failedCells() > 0 ? EXIT_CELLS_FAILED : 0);
  }

  static SweepPlan plan(List<Dataset> datasets, List<Net> nets, Map<String, Set<String>> stored) {
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
        Set<String> have = stored.get(dataset + "/" + name);
        SweepPlan.Action action;
        String reason;
        if (have == null) {
          action = SweepPlan.Action.RUN;
          reason = "no output yet";
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

  private static Map<String, Set<String>> storedCellHashes(SparkSession spark, OutputLayout out) {
    Map<String, Set<String>> stored = new HashMap<>();
    String table = out.table(OutputLayout.DISTANCES);
    if (FileHashes.exists(table, spark.sparkContext().hadoopConfiguration())) {
      for (Row r : spark.read().parquet(table).select("dataset", "net", "input_hash").distinct().collectAsList()) {
        stored.computeIfAbsent(r.getString(0) + "/" + r.getString(1), k -> new HashSet<>()).add(r.getString(2));
      }
    }
    return stored;
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
