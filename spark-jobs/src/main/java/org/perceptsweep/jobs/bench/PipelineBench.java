package org.perceptsweep.jobs.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.perceptsweep.udf.net.FeatureNet;
import org.perceptsweep.udf.net.NetSession;
import org.perceptsweep.udf.net.Nets;
import org.perceptsweep.udf.net.ReferenceActivations;
import org.perceptsweep.udf.readout.ReadoutSet;

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
    List<String[]> pairs = LiveSet.pairs(ctx.data("live-jpeg/dmos.csv"), ctx.quick() ? 1 : 0);
    Path study = ctx.work().resolve("live-study");
    Path csv = LiveSet.writeCsv(pairs, ctx.work().resolve("live-jpeg/pairs.csv"));
    ctx.log().accept("LIVE: decoding " + pairs.size() + " pairs");
    DecodedSet set = DecodedSet.load(pairs, ctx.hadoopConf());
    List<List<DecodedSet.Batch>> batches = set.batches(BATCH);
    String setName = String.format(Locale.ROOT, "LIVE JPEG%s: %d refs, %d pairs, %d images", ctx.quick() ? " (quick)" : "",
        set.groups().size(), set.pairs(), set.images());
    String extractName = "extract job (" + ctx.master() + ")";
    String bareName = "bare DJL Predictor loop (" + ctx.threads() + " thread" + (ctx.threads() == 1 ? "" : "s") + ")";

    List<BenchResult> out = new ArrayList<>();
    try (BareDjlLoop bare = new BareDjlLoop(model, ctx.work())) {
      Rounds rounds = new Rounds();
      long[] jobForwards = {-1};
      if (withPipeline) {
        CliCall.run("manifest", "--dataset", "csv", "--root", csv.toString(), "--lower-is-better",
            "--name", "live-jpeg", "--out", study.toString());
        rounds.add(extractName, () -> {
          CliCall c = CliCall.run("extract", "--out", study.toString(), "--net", model.toString(),
              "--readouts", READOUTS, "--batch-size", Integer.toString(BATCH));
          jobForwards[0] = c.forwardPasses();
          return c.forwardPasses();
        });
      }
      rounds.add(bareName, () -> bare.run(batches, ctx.threads()));
      ctx.log().accept("benchmark 1/2: " + setName);
      rounds.run(ctx.warmups(), ctx.runs(), ctx.log());

      if (withPipeline) {
        out.add(pipelineResult(ctx, set, batches, bare, rounds, extractName, bareName, setName, jobForwards[0]));
      }
      if (withTorch) {
        out.add(TorchBaseline.compare(ctx, model, batches, rounds, withPipeline ? extractName : null, bareName,
            setName, TITLE_TORCH, ID_TORCH, TARGET_TORCH));
      }
    }
    return out;
  }

  private static BenchResult pipelineResult(BenchContext ctx, DecodedSet set, List<List<DecodedSet.Batch>> batches,
      BareDjlLoop bare, Rounds rounds, String extractName, String bareName, String setName, long jobForwards)
      throws Exception {
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
    notes.addAll(profile(ctx, set, batches, bare, rounds.medianSeconds(extractName), row));
    List<String> raw = new ArrayList<>(rounds.raw(""));
    return new BenchResult(ID_PIPELINE, TITLE_PIPELINE, List.of(row), notes, raw);
  }

  /**
   * Where an image's time goes, in milliseconds of one thread per image: decode (read + decode the
   * file), forward (bare loop on one thread), readout (NetSession forward + readouts on one thread,
   * minus the bare forward: batch assembly, readouts, transfers), and the rest of the job's thread
   * time (Spark scheduling, row building, Parquet write).
   */
  private static List<String> profile(BenchContext ctx, DecodedSet set, List<List<DecodedSet.Batch>> batches,
      BareDjlLoop bare, double extractSeconds, BenchRow row) throws Exception {
    int images = set.images();
    long t0 = System.nanoTime();
    for (DecodedSet.Group g : set.groups()) {
      DecodedSet.read(g.refPath(), ctx.hadoopConf());
      for (String d : g.distPaths()) {
        DecodedSet.read(d, ctx.hadoopConf());
      }
    }
    double decode = (System.nanoTime() - t0) / 1e6 / images;
    long t1 = System.nanoTime();
    bare.run(batches, 1);
    double forward = (System.nanoTime() - t1) / 1e6 / images;
    FeatureNet net = Nets.get(ctx.model(MODEL).toString(), ctx.hadoopConf());
    ReadoutSet readouts = ReadoutSet.parse(READOUTS, null, ctx.hadoopConf());
    long t2;
    try (NetSession s = net.newSession(BATCH)) {
      t2 = System.nanoTime();
      for (DecodedSet.Group g : set.groups()) {
        try (ReferenceActivations r = s.forwardReference(g.ref())) {
          s.compare(r, g.dists(), readouts);
        }
      }
    }
    double session = (System.nanoTime() - t2) / 1e6 / images;
    double readout = session - forward;
    double job = extractSeconds * 1e3 * ctx.threads() / images;
    double rest = job - decode - session;
    List<String> notes = new ArrayList<>();
    notes.add(String.format(Locale.ROOT, "Profile (ms of one thread per image; one pass each, single thread): "
            + "decode %.1f, forward %.1f, readout and batching %.1f, rest of the job (Spark tasks, rows, Parquet "
            + "write, job start) %.1f; job total %.1f = median extract wall time x %d threads / %d images.",
        decode, forward, readout, rest, job, ctx.threads(), images));
    if (row.missed()) {
      notes.add(String.format(Locale.ROOT, "Target %.1fx MISSED (%.2fx): per image the job spends %.1f ms beyond "
              + "the bare forward, of which decode %.0f%%, readout %.0f%%, rest %.0f%%.", row.target(), row.ratio(),
          job - forward, 100 * decode / (job - forward), 100 * readout / (job - forward),
          100 * rest / (job - forward)));
    } else {
      notes.add(String.format(Locale.ROOT, "Target %.1fx met (%.2fx).", row.target(), row.ratio()));
    }
    return notes;
  }
}
