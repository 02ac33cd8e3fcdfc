package org.perceptsweep.jobs.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.perceptsweep.core.util.StageClock;

/**
 * Benchmarks 1 and 2 on the LIVE JPEG subset with alexnet-imagenet: the whole extract path (the
 * CLI's {@code extract}: Spark tasks that decode, batch, forward, read out and write Parquet) against
 * a bare DJL Predictor loop over the same decoded batches on as many threads as the Spark master
 * has; and both against Python torch running the same TorchScript file on the same batches.
 */
final class PipelineBench {
  static final String ID_PIPELINE = "pipeline";
  static final String ID_TORCH = "torch";
  static final String TITLE_PIPELINE = "1. Pipeline overhead (extract path vs bare DJL Predictor loop)";
  static final String TITLE_TORCH = "2. Against the usual tool (DJL vs Python torch, same TorchScript)";
  static final String MODEL = "alexnet-imagenet.pt";
  static final String READOUTS = "l2,unit_l2";
  static final int BATCH = 8;
  static final double TARGET_PIPELINE = 0.9;
  static final double TARGET_TORCH = 1.0;

  private PipelineBench() {}

  /** Runs benchmark 1 and, when {@code withTorch}, 2; {@code withPipeline} false runs only the bare loop for 2. */
  static List<BenchResult> run(BenchContext ctx, boolean withPipeline, boolean withTorch) throws Exception {
    String missing = ctx.missingShared("models/" + MODEL, "data/live-jpeg/dmos.csv");
    if (missing != null) {
      List<BenchResult> skipped = new ArrayList<>();
      if (withPipeline) {
        skipped.add(BenchResult.skipped(ID_PIPELINE, TITLE_PIPELINE, missing));
      }
      if (withTorch) {
        skipped.add(BenchResult.skipped(ID_TORCH, TITLE_TORCH, missing));
      }
      return skipped;
    }
    Path model = ctx.model(MODEL);
    List<String[]> pairs = LiveSet.pairs(ctx.data("live-jpeg/dmos.csv"), ctx.liveRefs());
    Path study = ctx.work().resolve("live-study");
    Path csv = LiveSet.writeCsv(pairs, ctx.work().resolve("live-jpeg/pairs.csv"));
    ctx.log().accept("LIVE: decoding " + pairs.size() + " pairs");
    DecodedSet set = DecodedSet.load(pairs, ctx.hadoopConf());
    List<List<DecodedSet.Batch>> batches = set.batches(BATCH);
    String setName = String.format(Locale.ROOT, "LIVE JPEG%s: %d refs, %d pairs, %d images", ctx.liveLabel(),
        set.groups().size(), set.pairs(), set.images());
    String extractName = "extract job (" + ctx.master() + ")";
    String bareName = "bare DJL Predictor loop (" + ctx.threads() + " thread" + (ctx.threads() == 1 ? "" : "s") + ")";

    List<BenchResult> out = new ArrayList<>();
    // The project's libtorch defaults before reading them (Nets applies them too, but only once it loads).
    org.perceptsweep.udf.net.TorchSettings.applyDefaults();
    boolean optimizer = TorchBaseline.graphOptimizer();
    String otherName = "bare DJL loop, graph executor optimizer " + (optimizer ? "OFF" : "ON");
    try (BareDjlLoop bare = new BareDjlLoop(model, ctx.work());
         BareDjlLoop other = new BareDjlLoop(model, ctx.work())) {
      Rounds rounds = new Rounds();
      long[] jobForwards = {-1};
      List<Map<String, Long>> stages = new ArrayList<>();
      List<Long> taskMillis = new ArrayList<>();
      TaskTimes taskTimes = new TaskTimes();
      if (withPipeline) {
        CliCall.run("manifest", "--dataset", "csv", "--root", csv.toString(), "--lower-is-better",
            "--name", "live-jpeg", "--out", study.toString());
        // The manifest call made the session the extract calls use.
        taskTimes.attach();
        rounds.add(extractName, () -> {
          Map<String, Long> before = StageClock.snapshot();
          long tasksBefore = taskTimes.millis();
          CliCall c = CliCall.run("extract", "--out", study.toString(), "--net", model.toString(),
              "--readouts", READOUTS, "--batch-size", Integer.toString(BATCH));
          stages.add(StageClock.difference(before, StageClock.snapshot()));
          taskMillis.add(taskTimes.millis() - tasksBefore);
          jobForwards[0] = c.forwardPasses();
          return c.forwardPasses();
        });
      }
      rounds.add(bareName, () -> bare.run(batches, ctx.threads()));
      // The same loop (its own model, so its own graph executor caches) with the other optimizer setting.
      rounds.add(otherName, () -> other.run(batches, ctx.threads(), !optimizer));
      ctx.log().accept("benchmark 1/2: " + setName);
      rounds.run(ctx.warmups(), ctx.runs(), ctx.log());

      if (withPipeline) {
        // The timed rounds are the last ones (warm-ups run first).
        List<Map<String, Long>> timed = stages.subList(Math.max(0, stages.size() - ctx.runs()), stages.size());
        List<Long> timedTasks = taskMillis.subList(Math.max(0, taskMillis.size() - ctx.runs()), taskMillis.size());
        String optimizerNote = String.format(Locale.ROOT, "Graph executor optimizer (%s): this run %s (%s); the same bare "
                + "loop with it %s: %.3g images/s vs %.3g, so %s is %.2fx as fast (medians of the same interleaved rounds).",
            TorchBaseline.GRAPH_OPTIMIZER, optimizer ? "ON" : "OFF", optimizer ? "set to true" : "the project default",
            optimizer ? "OFF" : "ON", rounds.medianRate(otherName), rounds.medianRate(bareName),
            optimizer ? "ON" : "OFF", rounds.medianRatio(bareName, otherName));
        out.add(pipelineResult(ctx, set, batches, bare, rounds, extractName, bareName, setName, jobForwards[0],
            timed, timedTasks, optimizerNote));
      }
      if (withTorch) {
        out.add(TorchBaseline.compare(ctx, model, batches, rounds, withPipeline ? extractName : null, bareName,
            setName, TITLE_TORCH, ID_TORCH, TARGET_TORCH));
      }
    }
    return out;
  }

  private static BenchResult pipelineResult(BenchContext ctx, DecodedSet set, List<List<DecodedSet.Batch>> batches,
      BareDjlLoop bare, Rounds rounds, String extractName, String bareName, String setName, long jobForwards,
      List<Map<String, Long>> stages, List<Long> taskMillis, String optimizerNote) throws Exception {
    int runs = ctx.runs();
    BenchRow row = new BenchRow("1 pipeline overhead", setName, extractName, rounds.medianRate(extractName),
        bareName, rounds.medianRate(bareName), "images/s", rounds.medianRatio(extractName, bareName),
        TARGET_PIPELINE, runs);
    List<String> notes = new ArrayList<>();
    notes.add("Both sides forward the same " + set.images() + " images (each reference once, then its distorted "
        + "images in batches of " + BATCH + "); the extract job also decodes the files, computes readouts "
        + READOUTS + " on all 5 taps and writes the distances table (Parquet).");
    notes.add("The extract job reported " + jobForwards + " forward passes for " + set.groups().size()
        + " references + " + set.pairs() + " pairs = " + set.images() + (jobForwards == set.images()
            ? " (each reference forwarded once per group)." : ": NOT the grouped count."));
    notes.add(optimizerNote);
    notes.addAll(profile(ctx, set, batches, bare, rounds, extractName, bareName, row, stages, taskMillis));
    List<String> raw = new ArrayList<>(rounds.raw(""));
    return new BenchResult(ID_PIPELINE, TITLE_PIPELINE, List.of(row), notes, raw);
  }

  /**
   * Where an image's time goes, in milliseconds of thread time per image. Inside the extractor
   * (StageClock totals of the timed extract rounds, averaged per round): decode, forward (the
   * predictor call), readouts and rows (the nets' stage minus forward), the rest of the extractor
   * (session open/close, grouping rows). Spark task work outside the extractor: the Spark task run
   * times of the round (a listener on the session) minus the extractor's time: row encoding, the
   * Parquet writes, the shuffle, the small jobs' tasks. Outside any task: the job's wall time x task
   * slots minus the task run times: driver-side planning, job scheduling, output commits, idle task
   * slots. Against: the bare loop's wall time x threads per image in the same rounds, and a
   * one-thread bare pass.
   */
  private static List<String> profile(BenchContext ctx, DecodedSet set, List<List<DecodedSet.Batch>> batches,
      BareDjlLoop bare, Rounds rounds, String extractName, String bareName, BenchRow row,
      List<Map<String, Long>> stages, List<Long> taskMillis) throws Exception {
    int images = set.images();
    int threads = ctx.threads();
    double n = Math.max(1, stages.size()) * 1e6 * images;
    double decode = total(stages, StageClock.EXTRACT_DECODE) / n;
    double classic = total(stages, StageClock.EXTRACT_CLASSIC) / n;
    double forward = total(stages, StageClock.NET_FORWARD) / n;
    double nets = total(stages, StageClock.EXTRACT_NETS) / n;
    double extractor = total(stages, StageClock.EXTRACT_TASK) / n;
    double sparkTasks = taskMillis.stream().mapToLong(Long::longValue).sum() * 1e6 / n;
    double job = rounds.medianSeconds(extractName) * 1e3 * threads / images;
    double bareJob = rounds.medianSeconds(bareName) * 1e3 * threads / images;
    long t1 = System.nanoTime();
    bare.run(batches, 1);
    double bareOne = (System.nanoTime() - t1) / 1e6 / images;
    double readout = nets - forward;
    double extractorRest = extractor - decode - classic - nets;
    double sparkWork = sparkTasks - extractor;
    double outside = job - sparkTasks;
    List<String> notes = new ArrayList<>();
    notes.add(String.format(Locale.ROOT, "Profile (ms of thread time per image, mean of the %d timed extract rounds; "
            + "graph executor optimizer %s): in the extractor decode %.1f, forward %.1f, readouts and rows %.1f, rest "
            + "(sessions, grouping) %.1f; Spark task work outside the extractor (row encoding, Parquet writes, shuffle, "
            + "the small jobs' tasks) %.1f; outside any task (driver planning, scheduling, output commits, idle task "
            + "slots) %.1f; job total %.1f = median extract wall time x %d slots / %d images. Bare loop: %.1f (median "
            + "wall x %d threads / images), %.1f on one thread alone.",
        stages.size(), TorchBaseline.graphOptimizer() ? "ON" : "OFF", decode, forward, readout, extractorRest,
        sparkWork, outside, job, threads, images, bareJob, threads, bareOne));
    double beyond = job - bareJob;
    if (row.missed()) {
      notes.add(String.format(Locale.ROOT, "Target %.1fx MISSED (%.2fx): per image the job spends %.1f ms beyond "
              + "the bare loop (forward in the job %.1f vs bare %.1f: %+.1f); of the rest decode %.1f, readouts "
              + "%.1f, extractor rest %.1f, Spark task work %.1f, outside any task %.1f.", row.target(), row.ratio(),
          beyond, forward, bareJob, forward - bareJob, decode, readout, extractorRest, sparkWork, outside));
    } else {
      notes.add(String.format(Locale.ROOT, "Target %.1fx met (%.2fx): per image the job spends %.1f ms beyond the "
          + "bare loop.", row.target(), row.ratio(), beyond));
    }
    return notes;
  }

  private static double total(List<Map<String, Long>> stages, String stage) {
    double sum = 0;
    for (Map<String, Long> m : stages) {
      sum += m.getOrDefault(stage, 0L);
    }
    return sum;
  }
}
