package org.perceptsweep.jobs.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.perceptsweep.core.image.RgbImage;
import org.perceptsweep.datasets.SyntheticDataset;
import org.perceptsweep.datasets.SyntheticDistortion;
import org.perceptsweep.datasets.SyntheticSpec;
import org.perceptsweep.core.manifest.ManifestRow;
import org.perceptsweep.udf.net.FeatureNet;
import org.perceptsweep.udf.net.NetSession;
import org.perceptsweep.udf.net.Nets;
import org.perceptsweep.udf.net.ReferenceActivations;
import org.perceptsweep.udf.readout.ReadoutSet;

/**
 * Benchmark 3: the extract job's behaviour (forward each reference once per group, then its
 * distorted images in batches) against naive per-pair extraction (forward the reference again for
 * every pair), both with a {@link NetSession} on one thread over the same decoded images, on LIVE
 * and on a TID2013-shaped synthetic set. Both must give the same distances.
 */
final class ReuseBench {
  static final String ID = "reuse";
  static final String TITLE = "3. Reference reuse (grouped by reference vs naive per-pair)";
  static final int BATCH = PipelineBench.BATCH;
  static final String READOUTS = PipelineBench.READOUTS;

  private ReuseBench() {}

  static BenchResult run(BenchContext ctx) throws Exception {
    List<BenchRow> rows = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    List<String> raw = new ArrayList<>();
    boolean haveAlexnet = ctx.missingShared("models/" + PipelineBench.MODEL) == null;
    String netSpec = haveAlexnet ? ctx.model(PipelineBench.MODEL).toString() : "builtin:random-convnet";
    FeatureNet net = Nets.get(netSpec, ctx.hadoopConf());
    ReadoutSet readouts = ReadoutSet.parse(READOUTS, null, ctx.hadoopConf());

    String liveMissing = ctx.missingShared("data/live-jpeg/dmos.csv");
    if (liveMissing == null) {
      DecodedSet live = DecodedSet.load(LiveSet.pairs(ctx.data("live-jpeg/dmos.csv"), ctx.liveRefs()),
          ctx.hadoopConf());
      measure(ctx, net, readouts, live, "LIVE JPEG" + ctx.liveLabel(), rows, notes, raw);
    } else {
      notes.add("LIVE not measured: " + liveMissing);
    }
    // TID2013's shape is 25 references x 120 distorted images; --refs N keeps the 120 per reference.
    boolean tiny = ctx.quick() && ctx.refs() == 0;
    int refs = ctx.refs() > 0 ? ctx.refs() : tiny ? 3 : 25;
    int perRef = tiny ? 12 : 120;
    int size = tiny ? 64 : 128;
    DecodedSet synthetic = tidShaped(refs, perRef, size, ctx);
    measure(ctx, net, readouts, synthetic, String.format(Locale.ROOT, "TID2013-shaped synthetic %dx%d at %dx%d",
        refs, perRef, size, size), rows, notes, raw);
    notes.add(0, "Net " + net.card().name() + ", readouts " + READOUTS + ", one thread, one NetSession; grouped = "
        + "forwardReference once per reference + compare() of its distorted images in batches of " + BATCH
        + "; naive = forwardReference + compare() of one image for every pair. Ratio = grouped rate / naive rate "
        + "(time), naive / grouped (forward passes); no target: the expected forward-pass ratio is "
        + "2 x pairs / (refs + pairs).");
    return new BenchResult(ID, TITLE, rows, notes, raw);
  }

  private static void measure(BenchContext ctx, FeatureNet net, ReadoutSet readouts, DecodedSet set, String name,
      List<BenchRow> rows, List<String> notes, List<String> raw) {
    ctx.log().accept("benchmark 3: " + name);
    double[][] grouped = new double[1][];
    double[][] naive = new double[1][];
    long[] forwards = new long[2];
    Rounds rounds = new Rounds()
        .add("grouped", () -> {
          try (NetSession s = net.newSession(BATCH)) {
            grouped[0] = grouped(s, set, readouts);
            forwards[0] = s.forwardPasses();
          }
          return set.pairs();
        })
        .add("naive", () -> {
          try (NetSession s = net.newSession(BATCH)) {
            naive[0] = naive(s, set, readouts);
            forwards[1] = s.forwardPasses();
          }
          return set.pairs();
        });
    rounds.run(ctx.warmups(), ctx.runs(), ctx.log());
    String caseName = String.format(Locale.ROOT, "%s: %d refs, %d pairs", name, set.groups().size(), set.pairs());
    rows.add(new BenchRow("3 reference reuse", caseName, "grouped by reference", rounds.medianRate("grouped"),
        "naive per-pair", rounds.medianRate("naive"), "pairs/s", rounds.medianRatio("grouped", "naive"), Double.NaN,
        ctx.runs()));
    rows.add(new BenchRow("3 reference reuse", caseName, "grouped by reference", forwards[0], "naive per-pair",
        forwards[1], "forward passes", (double) forwards[1] / forwards[0], Double.NaN, ctx.runs()));
    double maxDiff = 0;
    for (int i = 0; i < grouped[0].length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(grouped[0][i] - naive[0][i]) / Math.max(1e-12, Math.abs(naive[0][i])));
    }
    notes.add(String.format(Locale.ROOT, "%s: %d distances; largest relative difference grouped vs naive %.1e "
        + "(batching changes float rounding only). Time ratio %.2fx vs forward-pass ratio %.2fx: the rest is what "
        + "batching %d distorted images per forward adds (or costs).", name, grouped[0].length, maxDiff,
        rounds.medianRatio("grouped", "naive"), (double) forwards[1] / forwards[0], BATCH));
    rounds.raw(name + ", ").forEach(raw::add);
  }

  /** All distances, pair by pair (group order), taps and readouts in the session's order. */
  static double[] grouped(NetSession s, DecodedSet set, ReadoutSet readouts) {
    List<Double> out = new ArrayList<>();
    for (DecodedSet.Group g : set.groups()) {
      try (ReferenceActivations r = s.forwardReference(g.ref())) {
        s.compare(r, g.dists(), readouts).forEach(m -> flatten(m, out));
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  static double[] naive(NetSession s, DecodedSet set, ReadoutSet readouts) {
    List<Double> out = new ArrayList<>();
    for (DecodedSet.Group g : set.groups()) {
      for (RgbImage d : g.dists()) {
        try (ReferenceActivations r = s.forwardReference(g.ref())) {
          flatten(s.compare(r, List.of(d), readouts).get(0), out);
        }
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static void flatten(Map<String, Map<String, Double>> perTap, List<Double> out) {
    perTap.values().forEach(m -> out.addAll(m.values()));
  }

  /**
   * References of the built-in synthetic set (written as PNG and read back, as a run would) and, per
   * reference, {@code perRef} distorted images: the 6 families at 20 levels each, in that order.
   */
  static DecodedSet tidShaped(int refs, int perRef, int size, BenchContext ctx) {
    Configuration conf = ctx.hadoopConf();
    String dir = ctx.work().resolve("tid-shaped-" + refs + "x" + size).toString();
    List<String> families = SyntheticDistortion.names();
    SyntheticSpec spec = new SyntheticSpec(2302, refs, size, List.of(families.get(0)), 1);
    List<ManifestRow> written = SyntheticDataset.generate(spec, dir, conf).rows();
    int levels = (perRef + families.size() - 1) / families.size();
    List<DecodedSet.Group> groups = new ArrayList<>();
    for (ManifestRow row : written) {
      RgbImage ref = DecodedSet.read(row.refPath(), conf);
      List<RgbImage> dists = new ArrayList<>();
      List<String> names = new ArrayList<>();
      outer:
      for (String f : families) {
        for (int level = 1; level <= levels; level++) {
          if (dists.size() == perRef) {
            break outer;
          }
          SyntheticDistortion family = SyntheticDistortion.byName(f);
          dists.add(family.apply(ref, level, levels, new SplittableRandom(31L * groups.size() + level)));
          names.add(row.refId() + "_" + f + "_" + level);
        }
      }
      groups.add(new DecodedSet.Group(row.refPath(), ref, names, dists));
    }
    return new DecodedSet(groups);
  }
}
