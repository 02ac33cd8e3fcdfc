package org.perceptsweep.jobs.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.perceptsweep.core.UserInputException;
import org.perceptsweep.core.stats.ReferenceResamples;
import org.perceptsweep.jobs.CliRunner;
import org.perceptsweep.jobs.SparkTestSession;
import org.perceptsweep.jobs.aggregate.ComparisonPlan.CellKey;
import org.perceptsweep.jobs.tables.OutputLayout;

/**
 * The comparisons, factors and depth tables of one hand-made sweep through the real CLI, checked
 * against a brute-force paired bootstrap written here, and their CSV/Markdown exports.
 */
class ComparisonsJobTest {
  @TempDir
  static Path tmp;

  static final int REFS = 6;
  static final int PER_REF = 5;
  static final int RESAMPLES = 300;
  static final long SEED = 11;

  private static OutputLayout out;
  private static CliRunner aggregate;
  private static SparkSession spark;
  /** Per cell label: metric value per pair index; MOS score per pair. */
  private static final Map<String, double[]> METRIC = new LinkedHashMap<>();
  private static final double[] SCORE = new double[REFS * PER_REF];
  private static final String[] REF = new String[REFS * PER_REF];
  private static final String[] DISTORTION = new String[REFS * PER_REF];

  @BeforeAll
  static void aggregate() {
    spark = SparkTestSession.get();
    out = new OutputLayout(tmp.resolve("study").toString());
    SplittableRandom random = new SplittableRandom(5);
    // cell label -> (direction: +1 similarity, -1 distance; noise)
    Map<String, double[]> spec = new LinkedHashMap<>();
    spec.put("deep/t1/l2", new double[] {-1, 0.5});
    spec.put("deep/t2/l2", new double[] {-1, 0.1});
    spec.put("seg/t1/l2", new double[] {-1, 0.3});
    spec.put("psnr/image/psnr", new double[] {1, 0.3});
    spec.put("ssim/image/ssim", new double[] {1, 0.2});
    spec.put("alexnet-imagenet/relu1/l2", new double[] {-1, 0.4});
    spec.put("alexnet-imagenet/sum/weighted", new double[] {-1, 0.15});
    int n = REFS * PER_REF;
    for (String label : spec.keySet()) {
      METRIC.put(label, new double[n]);
    }
    AggregateFixture f = new AggregateFixture();
    for (int i = 0; i < n; i++) {
      double q = random.nextDouble();
      SCORE[i] = q;
      REF[i] = "ref" + (i / PER_REF);
      DISTORTION[i] = i % 2 == 0 ? "blur" : "noise";
      f.pair("cmp", pairId(i), REF[i], DISTORTION[i], q, true);
      for (Map.Entry<String, double[]> e : spec.entrySet()) {
        double v = e.getValue()[0] * q + e.getValue()[1] * random.nextGaussian();
        METRIC.get(e.getKey())[i] = v;
        String[] k = e.getKey().split("/");
        int tapIndex = k[1].equals("image") ? 0 : k[1].equals("sum") ? 6 : k[1].equals("t2") ? 2 : 1;
        f.distance("cmp", pairId(i), REF[i], k[0], k[1], tapIndex, k[2], v);
      }
    }
    f.net("deep", "convA", "classification", "imagenet", List.of("t1", "t2"));
    f.net("seg", "convA", "segmentation", "voc", List.of("t1"));
    f.net("alexnet-imagenet", "alexnet", "classification", "imagenet",
        List.of("relu1", "relu2", "relu3", "relu4", "relu5"));
    f.write(spark, out);
    aggregate = CliRunner.run("aggregate", "--out", out.root(), "--resamples", String.valueOf(RESAMPLES),
        "--seed", String.valueOf(SEED), "--compare", "deep/t1/l2=deep/t2/l2");
  }

  static String pairId(int i) {
    return String.format("p%02d", i);
  }

  @Test
  void defaultPairsAreEachNetsBestAgainstEachBaselinePlusRequested() {
    assertEquals(0, aggregate.exitCode(), aggregate.err());
    List<Row> rows = spark.read().parquet(out.table(OutputLayout.COMPARISONS)).filter("distortion = 'all'")
        .orderBy("origin", "net_a", "tap_a", "net_b").collectAsList();
    List<String> pairs = new ArrayList<>();
    for (Row r : rows) {
      pairs.add(r.getAs("origin") + ":" + r.getAs("net_a") + "/" + r.getAs("tap_a") + "/" + r.getAs("readout_a")
          + "=" + r.getAs("net_b") + "/" + r.getAs("tap_b") + "/" + r.getAs("readout_b"));
    }
    // Best real tap per net (the sum pseudo-tap is a baseline, not alexnet's best tap); baselines
    // present: psnr, ssim, LPIPS (no ms_ssim in this study).
    String best = bestLabel("deep");
    assertEquals("deep/t2/l2", best, "t2 has 5x less noise");
    List<String> expected = new ArrayList<>();
    for (String net : List.of("alexnet-imagenet", "deep", "seg")) {
      String b = bestLabel(net);
      for (String baseline : List.of("alexnet-imagenet/sum/weighted", "psnr/image/psnr", "ssim/image/ssim")) {
        expected.add(ComparisonPlan.ORIGIN_DEFAULT + ":" + b + "=" + baseline);
      }
    }
    expected.add(ComparisonPlan.ORIGIN_REQUESTED + ":deep/t1/l2=deep/t2/l2");
    assertEquals(expected.stream().sorted().toList(), pairs.stream().sorted().toList());
  }

  @Test
  void differenceIntervalAndFractionMatchABruteForcePairedBootstrap() {
    for (String distortion : List.of("all", "blur")) {
      Row r = spark.read().parquet(out.table(OutputLayout.COMPARISONS))
          .filter("distortion = '" + distortion + "' AND net_a = 'deep' AND net_b = 'psnr'").first();
      List<Integer> pairs = new ArrayList<>();
      for (int i = 0; i < SCORE.length; i++) {
        if (distortion.equals("all") || DISTORTION[i].equals(distortion)) {
          pairs.add(i);
        }
      }
      // deep is a distance against MOS: agreement = -SROCC; psnr a similarity: agreement = +SROCC
      double[] expected = brute(pairs, "deep/t2/l2", -1, "psnr/image/psnr", 1);
      assertEquals(pairs.size(), r.<Integer>getAs("n"));
      assertEquals(REFS, r.<Integer>getAs("references"));
      assertEquals(expected[0], r.<Double>getAs("srocc_a"), 1e-12);
      assertEquals(expected[1], r.<Double>getAs("srocc_b"), 1e-12);
      assertEquals(expected[0] - expected[1], r.<Double>getAs("srocc_diff"), 1e-12);
      assertEquals(expected[2], r.<Double>getAs("diff_ci_low"), 1e-12);
      assertEquals(expected[3], r.<Double>getAs("diff_ci_high"), 1e-12);
      assertEquals(expected[4], r.<Double>getAs("fraction_a_beats_b"), 1e-12);
      assertEquals(RESAMPLES, r.<Integer>getAs("bootstrap_resamples"));
      assertEquals(SEED, r.<Long>getAs("bootstrap_seed"));
      assertNull(r.getAs("undefined_reason"));
    }
    Row stored = spark.read().parquet(out.table(OutputLayout.CORRELATIONS))
        .filter("net = 'deep' AND tap = 't2' AND distortion = 'all'").first();
    Row cmp = spark.read().parquet(out.table(OutputLayout.COMPARISONS))
        .filter("distortion = 'all' AND net_a = 'deep' AND net_b = 'psnr'").first();
    assertEquals(stored.<Double>getAs("srocc"), cmp.<Double>getAs("srocc_a"), 1e-12, "same agreement as correlations");
  }

  @Test
  void factorsAndDepthFromTheNetsTable() {
    List<Row> goal = spark.read().parquet(out.table(OutputLayout.FACTORS)).filter("factor = 'goal'")
        .orderBy("level").collectAsList();
    assertEquals(2, goal.size());
    Row cls = goal.get(0);
    assertEquals("classification", cls.getAs("level"));
    // units: deep/l2 (best tap) and alexnet-imagenet/l2 (relu1, its only real tap with data)
    double deep = storedSrocc(bestLabel("deep"));
    double alex = storedSrocc("alexnet-imagenet/relu1/l2");
    assertEquals(2, cls.<Integer>getAs("n"));
    assertEquals(Math.min(deep, alex), cls.<Double>getAs("min"), 1e-12);
    assertEquals((deep + alex) / 2, cls.<Double>getAs("median"), 1e-12);
    assertEquals((deep + alex) / 2, cls.<Double>getAs("mean"), 1e-12);
    assertEquals(Math.max(deep, alex), cls.<Double>getAs("max"), 1e-12);
    assertEquals(1, goal.get(1).<Integer>getAs("n"), "segmentation: seg only");

    List<Row> depth = spark.read().parquet(out.table(OutputLayout.DEPTH)).filter("net = 'deep'")
        .orderBy("tap_index").collectAsList();
    assertEquals(2, depth.size());
    assertEquals(0.5, depth.get(0).<Double>getAs("relative_depth"), 0.0);
    assertEquals(1.0, depth.get(1).<Double>getAs("relative_depth"), 0.0);
    assertEquals(storedSrocc("deep/t1/l2"), depth.get(0).<Double>getAs("srocc"), 0.0);
    assertTrue(depth.get(0).<Double>getAs("srocc_ci_low") <= depth.get(0).<Double>getAs("srocc_ci_high"));
    assertEquals(0, spark.read().parquet(out.table(OutputLayout.DEPTH)).filter("tap = 'sum'").count());
  }

  @Test
  void exportsComparisonsAndFactorsAsCsvAndMarkdown() throws Exception {
    Path csv = tmp.resolve("comparisons.csv");
    CliRunner e = CliRunner.run("export", "comparisons", "--out", out.root(), "--to", csv.toString());
    assertEquals(0, e.exitCode(), e.err());
    List<String> lines = Files.readAllLines(csv);
    assertTrue(lines.get(0).startsWith("dataset,distortion,net_a,tap_a,readout_a,net_b,tap_b,readout_b,n,srocc_a,"
        + "srocc_b,srocc_diff,diff_ci_low,diff_ci_high,fraction_a_beats_b"), lines.get(0));
    // 10 comparisons x (all, blur, noise)
    assertEquals(1 + 10 * 3, lines.size());
    Path md = tmp.resolve("factors.md");
    CliRunner m = CliRunner.run("export", "factors", "--out", out.root(), "--to", md.toString());
    assertEquals(0, m.exitCode(), m.err());
    String text = Files.readString(md);
    assertTrue(text.startsWith("| dataset | factor | level | n | min | median | mean | max | best_cell |"), text);
    assertTrue(text.contains("| cmp | goal | classification | 2 |"), text);
    Path depthCsv = tmp.resolve("depth.csv");
    assertEquals(0, CliRunner.run("export", "depth", "--out", out.root(), "--to", depthCsv.toString()).exitCode());
    assertEquals(1 + 2 + 1 + 1, Files.readAllLines(depthCsv).size(), "deep t1,t2; seg t1; alexnet relu1");
  }

  @Test
  void consoleShowsComparisons() {
    assertTrue(aggregate.out().contains("Paired comparisons on cmp"), aggregate.out());
    assertTrue(aggregate.out().contains("deep/t1/l2"), aggregate.out());
  }

  @Test
  void badCompareIsOneClearLine() {
    CliRunner syntax = CliRunner.run("aggregate", "--out", out.root(), "--compare", "deep/t1=psnr/image/psnr");
    assertEquals(2, syntax.exitCode());
    assertTrue(syntax.err().contains("--compare deep/t1=psnr/image/psnr: 'deep/t1' is not net/tap/readout"),
        syntax.err());
    CliRunner unknown = CliRunner.run("aggregate", "--out", out.root(), "--resamples", "0",
        "--compare", "deep/t9/l2=psnr/image/psnr");
    assertEquals(2, unknown.exitCode());
    assertTrue(unknown.err().contains("no cell deep/t9/l2 in the distances; net deep has tap/readout t1/l2, t2/l2"),
        unknown.err());
  }

  @Test
  void planTiesGoToTheShallowerTapAndSkipsUndefinedCells() {
    List<ComparisonPlan.Candidate> cells = List.of(
        new ComparisonPlan.Candidate(new CellKey("n", "a", "l2"), 2, 0.5),
        new ComparisonPlan.Candidate(new CellKey("n", "b", "l2"), 1, 0.5),
        new ComparisonPlan.Candidate(new CellKey("n", "c", "l2"), 3, null),
        new ComparisonPlan.Candidate(new CellKey("psnr", "image", "psnr"), 0, 0.9));
    assertEquals(new CellKey("n", "b", "l2"), ComparisonPlan.bestPerNet(cells).get("n").key());
    assertEquals(List.of("n"), new ArrayList<>(ComparisonPlan.bestPerNet(cells).keySet()), "classic metrics are not nets");
    List<ComparisonPlan.Planned> plan = ComparisonPlan.plan(cells,
        ComparisonPlan.parseAll(List.of("n/b/l2=psnr/image/psnr", "n/a/l2=ssim/image/ssim")));
    assertEquals(2, plan.size(), "the default already covers the first request");
    assertEquals("no cell ssim/image/ssim in this dataset", plan.get(1).missing());
    assertThrows(UserInputException.class, () -> ComparisonPlan.parseAll(List.of("a/b/c=a/b/c")));
    assertThrows(UserInputException.class, () -> ComparisonPlan.parseAll(List.of("a/b/c")));
  }

  private static String bestLabel(String net) {
    String best = null;
    double bestValue = Double.NEGATIVE_INFINITY;
    for (String label : METRIC.keySet()) {
      if (label.startsWith(net + "/") && !label.contains("/sum/")) {
        double v = storedSrocc(label);
        if (v > bestValue) {
          bestValue = v;
          best = label;
        }
      }
    }
    return best;
  }

  private static double storedSrocc(String label) {
    String[] k = label.split("/");
    return spark.read().parquet(out.table(OutputLayout.CORRELATIONS))
        .filter("net = '" + k[0] + "' AND tap = '" + k[1] + "' AND readout = '" + k[2] + "' AND distortion = 'all'")
        .first().getAs("srocc");
  }

  /**
   * Paired reference bootstrap written out: per resample, the pairs of each drawn reference
   * (k times when drawn k times), both SROCCs by Commons Math, agreement-signed. Returns
   * {srocc A, srocc B, 2.5th and 97.5th percentile of A - B, fraction of resamples with A > B}.
   */
  private static double[] brute(List<Integer> pairs, String a, int signA, String b, int signB) {
    Map<String, List<Integer>> byRef = new HashMap<>();
    for (int i : pairs) {
      byRef.computeIfAbsent(REF[i], k -> new ArrayList<>()).add(i);
    }
    List<String> ids = byRef.keySet().stream().sorted().toList();
    ReferenceResamples draws = ReferenceResamples.draw(ids.size(), RESAMPLES, SEED);
    double[] diffs = new double[RESAMPLES];
    int beats = 0;
    for (int s = 0; s < RESAMPLES; s++) {
      List<Integer> drawn = new ArrayList<>();
      for (int r = 0; r < ids.size(); r++) {
        for (int k = 0; k < draws.count(s, r); k++) {
          drawn.addAll(byRef.get(ids.get(r)));
        }
      }
      diffs[s] = signA * spearman(drawn, a) - signB * spearman(drawn, b);
      if (diffs[s] > 0) {
        beats++;
      }
    }
    java.util.Arrays.sort(diffs);
    return new double[] {signA * spearman(pairs, a), signB * spearman(pairs, b),
        AggregateJobTest.percentile(diffs, 0.025), AggregateJobTest.percentile(diffs, 0.975),
        (double) beats / RESAMPLES};
  }

  private static double spearman(List<Integer> pairs, String cell) {
    double[] x = pairs.stream().mapToDouble(i -> METRIC.get(cell)[i]).toArray();
    double[] y = pairs.stream().mapToDouble(i -> SCORE[i]).toArray();
    return new SpearmansCorrelation().correlation(x, y);
  }
}
