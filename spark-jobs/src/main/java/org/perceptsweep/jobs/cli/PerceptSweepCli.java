package org.perceptsweep.jobs.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.perceptsweep.core.UserInputException;
import org.perceptsweep.datasets.CsvColumns;
import org.perceptsweep.datasets.Validation;
import org.perceptsweep.jobs.DemoJob;
import org.perceptsweep.jobs.SparkSessions;
import org.perceptsweep.jobs.aggregate.AggregateJob;
import org.perceptsweep.jobs.aggregate.CorrelationReport;
import org.perceptsweep.jobs.aggregate.FindingsReport;
import org.perceptsweep.jobs.extract.ExtractJob;
import org.perceptsweep.jobs.fit.FitJob;
import org.perceptsweep.jobs.manifest.ManifestJob;
import org.perceptsweep.jobs.sweep.SweepJob;
import org.perceptsweep.jobs.tables.ExportJob;
import org.perceptsweep.jobs.tables.OutputLayout;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import org.perceptsweep.jobs.progress.ConsoleProgress;
import org.perceptsweep.jobs.progress.RowsWritten;
import org.perceptsweep.jobs.progress.StageSummary;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine;

/**
 * The one entry point: {@code bin/percept-sweep SUBCOMMAND} locally, or the same main class and
 * subcommands under {@code spark-submit}. Exit codes: 0 done, 2 bad input (one line says what to
 * fix), 3 manifest written but some rows rejected, 1 unexpected failure.
 */
@Command(name = "percept-sweep", mixinStandardHelpOptions = true, version = "percept-sweep 0.1.0",
    description = "How well do deep nets' representations predict human image-quality judgements? "
        + "Factor sweeps of nets x datasets x readouts on Spark.",
    subcommands = {PerceptSweepCli.Demo.class, PerceptSweepCli.Manifest.class, PerceptSweepCli.Extract.class,
        PerceptSweepCli.Fit.class, PerceptSweepCli.Aggregate.class, PerceptSweepCli.Export.class,
        PerceptSweepCli.Report.class, PerceptSweepCli.Sweep.class, PerceptSweepCli.Bench.class,
        BenchAggregateCommand.class})
public final class PerceptSweepCli implements Callable<Integer> {
  static final int EXIT_BAD_INPUT = 2;
  static final int EXIT_REJECTS = 3;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--log-file", scope = ScopeType.INHERIT, paramLabel = "FILE",
      description = "Also write the full log (INFO and above, Spark's included, nothing filtered) to FILE; the "
          + "console shows warnings and errors only.")
  java.nio.file.Path logFile;

  @Override
  public Integer call() {
    spec.commandLine().usage(System.out);
    return EXIT_BAD_INPUT;
  }

  public static void main(String[] args) {
    int code = execute(args, System.out, System.err);
    System.exit(code);
  }

  /** Runs one command line; returns the exit code (tests call this instead of main). */
  public static int execute(String[] args, PrintStream out, PrintStream err) {
    PerceptSweepCli root = new PerceptSweepCli();
    CommandLine cl = new CommandLine(root);
    cl.setOut(new java.io.PrintWriter(out, true));
    cl.setErr(new java.io.PrintWriter(err, true));
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      Throwable cause = ex;
      while (cause != null && !(cause instanceof UserInputException)) {
        cause = cause.getCause();
      }
      if (cause != null) {
        err.println("error: " + cause.getMessage());
        return EXIT_BAD_INPUT;
      }
      throw ex;
    });
    cl.setExecutionStrategy(parsed -> {
      if (root.logFile != null) {
        LogFile.attach(root.logFile); // before the command starts Spark: its log goes there from the first line
      }
      return new CommandLine.RunLast().execute(parsed);
    });
    return cl.execute(args);
  }

  static SparkSession spark(String app) {
    return SparkSessions.getOrCreate("percept-sweep " + app);
  }

  @Command(name = "demo", mixinStandardHelpOptions = true,
      description = "Run the whole pipeline on the embedded default: the built-in synthetic dataset "
          + "(8 references x 6 distortions x 5 levels), the built-in untrained net and PSNR/SSIM/MS-SSIM; "
          + "writes manifest, distances and correlations under --out and prints the correlation table. "
          + "No downloads, no files needed.")
  static final class Demo implements Callable<Integer> {
    @Mixin
    CliOptions.StudyOut out;

    @Mixin
    CliOptions.SyntheticSeed seed;

    @Mixin
    CliOptions.NetSpecs nets;

    @Mixin
    CliOptions.Readouts readouts;

    @Mixin
    CliOptions.Progress progress;

    @Override
    public Integer call() {
      SparkSession spark = spark("demo");
      try (ConsoleProgress p = ConsoleProgress.start(spark.sparkContext(), System.err, progress.quiet)) {
        DemoJob.run(spark, out.layout(), seed.seed, nets.nets.isEmpty() ? DemoJob.DEFAULT_NETS : nets.nets,
            readouts.joined(), System.out, p);
      }
      return 0;
    }
  }

  @Command(name = "manifest", mixinStandardHelpOptions = true,
      description = "Read a dataset in its own published layout into the manifest table (one row per "
          + "reference/distorted pair), check it against its images, and write unusable rows to the rejects "
          + "table with their reasons. Exit code 3 when rows were rejected (the good rows are written).")
  static final class Manifest implements Callable<Integer> {
    @Option(names = "--dataset", required = true,
        description = "Dataset: tid2013, tid2008, kadid10k, csiq, live, pipal (native layouts / score files), "
            + "scores-csv (dis_img_path,dis_type,ref_img_path,score), csv (dist,ref,score), synthetic.")
    String dataset;

    @Option(names = "--root", description = "The dataset's root folder (URI or path); for csv the CSV file; "
        + "for synthetic the folder to write images to (default: under --out).")
    String root;

    @Option(names = "--scores", description = "Score file for scores-csv (and to override csiq/live/pipal's default).")
    String scores;

    @Option(names = "--name", description = "Dataset name in the tables (csv default: the CSV's folder name).")
    String name;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Direction direction;

    static final class Direction {
      @Option(names = "--higher-is-better", description = "Scores are MOS: higher means better quality.")
      boolean higher;

      @Option(names = "--lower-is-better", description = "Scores are DMOS: higher means worse quality.")
      boolean lower;
    }

    @Option(names = "--dist-column", description = "csv: column of distorted image paths (default: dist).")
    String distColumn;

    @Option(names = "--ref-column", description = "csv: column of reference image paths (default: ref).")
    String refColumn;

    @Option(names = "--score-column", description = "csv: column of scores (default: score, mos or dmos).")
    String scoreColumn;

    @Option(names = "--distortion-column", description = "csv: column of distortion types (default: distortion or dis_type).")
    String distortionColumn;

    @Option(names = "--validate", description = "Decode every image: unreadable or truncated files and "
        + "reference/distorted size mismatches become rejects (default: only check that files exist).")
    boolean validate;

    @Mixin
    CliOptions.SyntheticSeed seed;

    @Mixin
    CliOptions.StudyOut out;

    @Override
    public Integer call() {
      Boolean higherIsBetter = direction == null ? null : direction.higher;
      CsvColumns columns = CsvColumns.auto();
      if (distColumn != null) {
        columns = columns.withDist(distColumn);
      }
      if (refColumn != null) {
        columns = columns.withRef(refColumn);
      }
      if (scoreColumn != null) {
        columns = columns.withScore(scoreColumn);
      }
      if (distortionColumn != null) {
        columns = columns.withDistortion(distortionColumn);
      }
      ManifestJob.Summary s = ManifestJob.run(spark("manifest"), out.layout(),
          new ManifestJob.Request(dataset, root, name, higherIsBetter, seed.seed, scores, columns, validate));
      System.out.printf("manifest: %d pairs over %d references of dataset '%s'%n", s.pairs(), s.references(), s.dataset());
      for (Validation.Finding f : s.findings()) {
        System.err.println("  " + f.check() + " (" + f.where() + "): " + f.message());
      }
      if (!s.rejects().isEmpty()) {
        System.err.printf("%d rows rejected (all in the rejects table); first ones:%n", s.rejects().size());
        s.rejects().stream().limit(10).forEach(r -> System.err.println("  " + r.where() + ": " + r.reason()));
        return EXIT_REJECTS;
      }
      return 0;
    }
  }

  @Command(name = "extract", mixinStandardHelpOptions = true,
      description = "Run nets and classic metrics over the manifest's pairs (each reference forwarded once per "
          + "group) and write one distance per pair x net x tap x readout to the distances table; pairs that "
          + "cannot be measured go to rejects and the rest completes.")
  static final class Extract implements Callable<Integer> {
    @Mixin
    CliOptions.StudyOut out;

    @Mixin
    CliOptions.NetSpecs nets;

    @Mixin
    CliOptions.Readouts readouts;

    @Option(names = "--weights", description = "Channel-weights JSON for the weighted readout (LPIPS format, "
        + "or the file 'fit' writes).")
    String weights;

    @Mixin
    CliOptions.Taps taps;

    @Option(names = "--combine", description = "Comma list of tap combinations, each a pseudo-tap of that name: "
        + "sum (every readout summed over the chosen taps; weighted is always summed: LPIPS), "
        + "concat (l2 and mse of the chosen taps flattened and concatenated).")
    String combine;

    @Option(names = "--channel-terms", arity = "0..1", fallbackValue = "unit_l2,mse",
        description = "Store per-channel terms in the channel_terms table: unit_l2 (spatial means of (u_a-u_b)^2, "
            + "the input of 'fit') and/or mse (d_c = spatial mean of (a_c-b_c)^2); bare flag = both.")
    String channelTerms;

    @Option(names = "--batch-size", defaultValue = "auto", converter = BatchSizeConverter.class,
        description = "Distorted images per forward batch, or auto (default): as many as keep the largest tap "
            + "of a batch within 16 MiB on the CPU (512 MiB on a GPU), from the reference's own activations.")
    int batchSize;

    @Option(names = "--activations", description = "Also write each image's per-channel spatial mean and "
        + "population standard deviation of every chosen tap to the activations table (from the same forward "
        + "passes; classic metrics have none).")
    boolean activations;

    @Option(names = "--activation-maps", paramLabel = "TAP[,TAP]", description = "Also write the full activation "
        + "maps of these taps, per image, to the activation_maps table (large: choose few taps).")
    String activationMaps;

    @Mixin
    CliOptions.Datasets datasets;

    @Mixin
    CliOptions.Progress progress;

    @Override
    public Integer call() {
      SparkSession spark = spark("extract");
      OutputLayout layout = out.layout();
      StageSummary stages;
      ExtractJob.Summary s;
      try (ConsoleProgress p = ConsoleProgress.start(spark.sparkContext(), System.err, progress.quiet)) {
        stages = new StageSummary(p);
        StageSummary.Timer t = stages.time("extract", (datasets.datasets.isEmpty() ? "all datasets"
            : String.join(", ", datasets.datasets)) + ": " + nets.nets.size() + " nets");
        s = ExtractJob.run(spark, layout, new ExtractJob.Request(nets.nets, readouts.joined(), weights, taps.taps,
            combine, channelTerms, batchSize, datasets.datasets, activations, activationMaps));
        t.done(RowsWritten.extract(spark, layout, datasets.datasets, s));
      }
      System.out.printf("extract: %d distance rows, %d rejected, %d forward passes (nets: %s)%n",
          s.distanceRows(), s.rejectedRows(), s.forwardPasses(), String.join(", ", s.nets()));
      if (s.channelTermRows() > 0) {
        System.out.printf("  %d channel-term rows in %s%n", s.channelTermRows(), layout.table(ExtractJob.CHANNEL_TERMS));
      }
      if (s.activationRows() > 0 || s.activationMapRows() > 0) {
        System.out.printf("  %d activation rows in %s, %d activation-map rows in %s%n", s.activationRows(),
            layout.table(OutputLayout.ACTIVATIONS), s.activationMapRows(), layout.table(OutputLayout.ACTIVATION_MAPS));
      }
      s.modelLoads().forEach((executorNet, loads) ->
          System.out.printf("  model loads %s: %d%n", executorNet, loads));
      System.out.println("  " + timeLine(s.timings()));
      System.out.print("\n" + stages.render());
      return 0;
    }
  }

  @Command(name = "fit", mixinStandardHelpOptions = true,
      description = "Learn non-negative channel weights that agree with the human scores from the unit_l2 channel "
          + "terms of 'extract --channel-terms' (non-negative ridge least squares on the score, free intercept). "
          + "--dataset: reference-disjoint k-fold cross-validation, out-of-fold distances as readout fitted_weighted; "
          + "--train-dataset A --test-dataset B: readout fitted_weighted_from_A on B. Writes the weights fitted on "
          + "all training pairs as LPIPS-format JSON (reuse: extract --readouts weighted --weights FILE), updates "
          + "distances and correlations, and prints the agreement next to uniform weights (unit_l2).")
  static final class Fit implements Callable<Integer> {
    @Mixin
    CliOptions.StudyOut out;

    @Option(names = "--net", required = true, description = "Net by card name, e.g. alexnet-imagenet (repeatable).")
    List<String> nets;

    /** Cross-validates on each of these (default: every dataset with channel terms). */
    @Mixin
    CliOptions.Datasets datasets;

    @Option(names = "--train-dataset", description = "Fit on all pairs of this dataset ...")
    String trainDataset;

    @Option(names = "--test-dataset", description = "... and measure the pairs of this one.")
    String testDataset;

    /** Taps to fit (default: every tap with stored terms). */
    @Mixin
    CliOptions.Taps taps;

    @Option(names = "--per-tap", description = "Fit each tap on its own (rows per tap) instead of all chosen taps "
        + "jointly (rows on pseudo-tap sum, LPIPS style).")
    boolean perTap;

    @Option(names = "--folds", defaultValue = "5", description = "Reference-disjoint folds (default ${DEFAULT-VALUE}).")
    int folds;

    @Option(names = "--seed", defaultValue = "2302", description = "Seed of the fold assignment (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--ridge", defaultValue = "0.01", description = "Ridge strength, scale-free: lambda = ridge * "
        + "trace(Xc^T Xc) / channels (default ${DEFAULT-VALUE}; 0 = plain NNLS).")
    double ridge;

    @Option(names = "--weights-out", description = "Weights JSON to write (one net and one dataset; default "
        + "OUT/weights/DATASET/NET.json).")
    String weightsOut;

    @Override
    public Integer call() {
      FitJob.Summary s = FitJob.run(spark("fit"), out.layout(), new FitJob.Request(nets, datasets.datasets,
          trainDataset, testDataset, taps.taps, perTap, folds, seed, ridge, weightsOut));
      System.out.printf("fit: %d distance rows; agreement with the scores (SROCC, positive = agrees)%n",
          s.distanceRows());
      System.out.printf("  %-8s %-14s %-14s %-22s %-24s %5s %9s %9s %9s %s%n", "mode", "train", "test", "net", "taps",
          "n", "fitted", "unit_l2", "plcc", "non-zero weights");
      for (FitJob.Cell c : s.cells()) {
        System.out.printf("  %-8s %-14s %-14s %-22s %-24s %5d %9s %9s %9s %d/%d%n", c.mode(), c.trainDataset(),
            c.testDataset(), c.net(), c.tap(), c.n(), fmt(c.fittedSrocc()), fmt(c.unitSrocc()), fmt(c.fittedPlcc()),
            c.nonZeroWeights(), c.channels());
      }
      s.weightsFiles().forEach(f -> System.out.println("  weights: " + f));
      return 0;
    }

    private static String fmt(Double v) {
      return v == null ? "-" : String.format("%.4f", v);
    }
  }

  @Command(name = "aggregate", mixinStandardHelpOptions = true,
      description = "Correlate distances with the manifest's scores per dataset x net x tap x readout x distortion "
          + "(SROCC, KROCC tau-b, PLCC, agreement-signed; PLCC/RMSE after the 5-parameter logistic; 95%% bootstrap "
          + "intervals resampling reference images) into the correlations table; compare cells (comparisons table: "
          + "each net's best tap vs PSNR, SSIM, MS-SSIM and LPIPS-alex, plus --compare); analyse factors and depth "
          + "(factors, depth tables, from the nets table); test the study's claims (findings table: verdicts with "
          + "intervals); print the correlations, comparisons and findings.")
  static final class Aggregate implements Callable<Integer> {
    @Mixin
    CliOptions.StudyOut out;

    @Mixin
    CliOptions.Datasets datasets;

    @Mixin
    CliOptions.Statistics statistics;

    @Option(names = "--seed", defaultValue = "2302",
        description = "Seed of the bootstrap resamples (default ${DEFAULT-VALUE}); with --resamples it goes into input_hash.")
    long seed;

    @Option(names = "--compare", paramLabel = "A=B",
        description = "Also compare cell A with cell B, each net/tap/readout, e.g. "
            + "alexnet-imagenet/relu3/l2=ssim/image/ssim (repeatable).")
    List<String> compares = new ArrayList<>();

    @Option(names = "--equivalence-delta", defaultValue = "0.02",
        description = "Findings: two agreements within +-delta SROCC make no major difference (default "
            + "${DEFAULT-VALUE}). Goes into input_hash.")
    double equivalenceDelta;

    @Option(names = "--depth-threshold", defaultValue = "30",
        description = "Findings: nets with more weight layers than this are very deep, the others simple (default "
            + "${DEFAULT-VALUE}). Goes into input_hash.")
    int depthThreshold;

    @Override
    public Integer call() {
      SparkSession spark = spark("aggregate");
      OutputLayout layout = out.layout();
      AggregateJob.Summary s = AggregateJob.run(spark, layout, new AggregateJob.Options(datasets.datasets,
          statistics.resamples, seed, compares, statistics.fitIterations, equivalenceDelta, depthThreshold));
      System.out.printf("aggregate: %d correlation cells, %d comparisons, %d factor rows, %d depth rows,"
          + " %d findings%n", s.cells(), s.comparisons(), s.factorRows(), s.depthRows(), s.findingRows());
      s.notes().forEach(n -> System.out.println("  " + n));
      System.out.print(CorrelationReport.render(spark, layout));
      System.out.print(FindingsReport.render(spark, layout, datasets.datasets));
      return 0;
    }
  }

  @Command(name = "export", mixinStandardHelpOptions = true,
      description = "Write an output table as one CSV file (Markdown when --to ends in .md), rows in a stable "
          + "order; activations one row per channel; activation_maps is Parquet only.")
  static final class Export implements Callable<Integer> {
    @Parameters(index = "0", description = "Table: manifest, distances, rejects, correlations, nets, comparisons, "
        + "factors, depth, findings, channel_terms, runs or activations.")
    String table;

    @Mixin
    CliOptions.StudyOut out;

    @Option(names = "--to", required = true, description = "File to write (path or URI), .csv or .md.")
    String to;

    @Override
    public Integer call() {
      long n = ExportJob.run(spark("export"), out.layout(), table, to);
      System.out.printf("export: %d rows of %s to %s%n", n, table, to);
      return 0;
    }
  }

  @Command(name = "report", mixinStandardHelpOptions = true,
      description = "Turn a study's result tables into a report folder: tables (CSV, Markdown, LaTeX), figures "
          + "(PNG and SVG: agreement vs relative depth, best tap by goal / training data / architecture, distance "
          + "vs score with the fitted logistic, agreement per distortion type), a Jupyter notebook that reloads "
          + "the Parquet tables, and a static HTML page (index.html) that needs no network.")
  static final class Report implements Callable<Integer> {
    @Option(names = "--in", required = true, description = "Output folder of the study (holds correlations).")
    String in;

    @Option(names = "--to", required = true, description = "Folder to write the report to (created; files replaced).")
    String to;

    @Option(names = "--scatter", description = "Cell to plot against the human scores, NET/TAP/READOUT "
        + "(repeatable; default: each dataset's best cell and PSNR).")
    List<String> scatter = new ArrayList<>();

    @Mixin
    CliOptions.Datasets datasets;

    @Override
    public Integer call() {
      org.perceptsweep.export.report.ReportSummary s = org.perceptsweep.jobs.tables.ReportJob.run(spark("report"),
          new OutputLayout(in), to, scatter, datasets.datasets);
      System.out.printf("report: %d figures (PNG + SVG), %d table files, notebook and HTML page in %s%n",
          s.figures().size(), s.tableFiles().size(), to);
      s.notes().forEach(n -> System.out.println("  note: " + n.replace("`", "")));
      System.out.printf("open %s%n", new java.io.File(to, "index.html").getPath());
      return 0;
    }
  }

  @Command(name = "sweep", mixinStandardHelpOptions = true,
      description = "Run a sweep file (conf/*.yaml): plan the cells (dataset x net), skip those whose inputs are "
          + "unchanged, run manifest, extract and aggregate for the rest, and write a run record under OUT/runs. "
          + "Exit code 4 when some cells failed (the others complete).")
  static final class Sweep implements Callable<Integer> {
    @Parameters(index = "0", description = "The sweep file (YAML; relative paths in it are relative to its folder).")
    String file;

    @Option(names = "--dry-run", description = "Print the plan (which cells run, which are skipped, and why) and stop.")
    boolean dryRun;

    @Mixin
    CliOptions.Progress progress;

    @Option(names = "--out", description = "Output folder (overrides the sweep file's 'out').")
    String out;

    @Override
    public Integer call() {
      return SweepJob.run(spark("sweep"), file, new SweepJob.Options(dryRun, progress.quiet, out), System.out).exitCode();
    }
  }

  @Command(name = "bench", mixinStandardHelpOptions = true,
      description = "Benchmarks, each figure the median of several rounds and a ratio against a baseline measured in "
          + "the same run: pipeline (extract path vs a bare DJL Predictor loop, LIVE + alexnet), torch (vs Python "
          + "torch, same TorchScript), reuse (grouped by reference vs naive per-pair), classic (SSIM / MS-SSIM vs a "
          + "plain 2-D window), growth (1x/2x/4x pairs), aggregation (correlations with vs without bootstrap), nets "
          + "(every shared net's extract vs a plain PyTorch script, same work), sweep (the LIVE sweep vs "
          + "../shared/tools/sweep_anchor.py, whole commands). "
          + "Prints a Markdown table; --write-docs updates docs/benchmarks.md.")
  static final class Bench implements Callable<Integer> {
    @Option(names = "--quick", description = "Tiny inputs (a few references per set): seconds to minutes, for a smoke run.")
    boolean quick;

    @Option(names = "--refs", paramLabel = "N", defaultValue = "0", description = "Mid-size: the first N LIVE "
        + "references for pipeline, torch and reuse, and N references at 1x for growth (default: all LIVE references; 1 with --quick).")
    int refs;

    @Option(names = "--only", paramLabel = "NAME", split = ",",
        description = "Only these benchmarks (repeatable or comma list): pipeline, torch, reuse, classic, growth, "
            + "aggregation, nets, sweep.")
    List<String> only = new ArrayList<>();

    @Option(names = "--runs", defaultValue = "3", description = "Timed rounds per figure, after one warm-up (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--warmups", defaultValue = "1", description = "Untimed rounds before the timed ones (default ${DEFAULT-VALUE}).")
    int warmups;

    @Option(names = "--threads", description = "Spark local[N] and the baselines' thread count (default: the master "
        + "already set, local[*] from bin/percept-sweep).")
    Integer threads;

    @Option(names = "--out", description = "Scratch folder, kept afterwards (default: a temporary folder, deleted).")
    String out;

    @Option(names = "--write-docs", description = "Also replace this run's sections of docs/benchmarks.md.")
    boolean writeDocs;

    @Option(names = "--docs", description = "The benchmarks file --write-docs updates (default: docs/benchmarks.md of the project).")
    String docs;

    @Option(names = "--shared", description = "The shared models and data folder (default: ../shared next to the project).")
    String shared;

    @Option(names = "--nets", paramLabel = "NAME", split = ",",
        description = "The per-net benchmark (nets) on these shared nets only (default: every model in the shared "
            + "models folder; two with --quick).")
    List<String> nets = new ArrayList<>();

    @Option(names = "--python", defaultValue = "/usr/bin/python3",
        description = "Python with torch for the torch, nets and sweep benchmarks (default ${DEFAULT-VALUE}; skipped "
            + "when it cannot import torch).")
    String python;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec cmd;

    @Override
    public Integer call() throws Exception {
      if (threads != null) {
        if (threads < 1) {
          throw new UserInputException("--threads must be at least 1, got " + threads);
        }
        System.setProperty("spark.master", "local[" + threads + "]");
      }
      java.nio.file.Path docsFile = !writeDocs ? null
          : docs != null ? java.nio.file.Paths.get(docs) : org.perceptsweep.jobs.bench.BenchJob.defaultDocs();
      String command = "bin/percept-sweep " + String.join(" ", cmd.commandLine().getParseResult().originalArgs());
      org.perceptsweep.jobs.bench.BenchJob.run(spark("bench"), new org.perceptsweep.jobs.bench.BenchJob.Options(
          quick, refs, only, runs, warmups, out == null ? null : java.nio.file.Paths.get(out), docsFile,
          shared == null ? null : java.nio.file.Paths.get(shared), python, command.strip(), nets), System.out,
          System.err);
      return 0;
    }
  }

  /** {@code --batch-size}: a whole number of images, at least 1, or {@code auto} (0: the session chooses). */
  static final class BatchSizeConverter implements picocli.CommandLine.ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      if (value.trim().equalsIgnoreCase("auto")) {
        return org.perceptsweep.udf.net.NetSession.AUTO_BATCH;
      }
      try {
        int n = Integer.parseInt(value.trim());
        if (n >= 1) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new picocli.CommandLine.TypeConversionException("'" + value
          + "' is not a batch size: give a whole number of images, at least 1, or auto");
    }
  }

  /** One line: the call's wall time and the task seconds of decoding, metrics and each net's stages. */
  static String timeLine(org.perceptsweep.jobs.extract.ExtractTimings t) {
    StringBuilder sb = new StringBuilder(String.format(java.util.Locale.ROOT,
        "time: %.1f s wall; task seconds: decode %.1f", t.wallSeconds(), t.decodeSeconds()));
    t.classicSeconds().forEach((metric, sec) -> sb.append(String.format(java.util.Locale.ROOT, ", %s %.1f", metric, sec)));
    t.nets().forEach((net, n) -> sb.append(String.format(java.util.Locale.ROOT,
        ", %s forward %.1f + readouts %.1f (model load %.1f)", net, n.forward(), n.readouts(), n.modelLoad())));
    return sb.toString();
  }
}
