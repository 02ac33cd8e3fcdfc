package org.perceptsweep.core.stats.findings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.perceptsweep.core.Learning;
import org.perceptsweep.core.stats.Correlations;
import org.perceptsweep.core.stats.PairedComparison;
import org.perceptsweep.core.stats.PairedComparisonResult;
import org.perceptsweep.core.stats.ReferenceGroups;
import org.perceptsweep.core.stats.ReferenceResamples;

/**
 * The findings' rules on constructed data whose answer is known: 30 references x 6 pairs, DMOS
 * (higher = worse), metrics made from the score plus noise of chosen size.
 */
class FindingsTest {
  private static final int REFS = 30;
  private static final int PER_REF = 6;
  private static final int N = REFS * PER_REF;
  private static final FindingsSettings SETTINGS = new FindingsSettings(1000, 2302, 0.02, 30);

  /** A constructed dataset: the scores, and cells added by name. */
  private static final class Study {
    final double[] score = new double[N];
    final String[] refs = new String[N];
    final SplittableRandom random;
    final FindingsData data = new FindingsData("constructed", false);
    final List<FindingNet> nets = new ArrayList<>();

    Study(long seed) {
      random = new SplittableRandom(seed);
      for (int i = 0; i < N; i++) {
        refs[i] = String.format("r%02d", i / PER_REF);
        score[i] = random.nextDouble() * 100;
        data.pair(pair(i), refs[i], score[i]);
      }
    }

    static String pair(int i) {
      return String.format("p%03d", i);
    }

    /** A distance: the score plus Gaussian noise of this standard deviation. */
    double[] noisy(double sd) {
      double[] m = new double[N];
      for (int i = 0; i < N; i++) {
        m[i] = score[i] + sd * random.nextGaussian();
      }
      return m;
    }

    Study cell(String net, String tap, int tapIndex, String readout, double[] metric) {
      for (int i = 0; i < N; i++) {
        data.distance(new FindingCell(net, tap, tapIndex, readout), pair(i), metric[i]);
      }
      return this;
    }

    Study net(String name, String architecture, String goal, String trainingData, Learning learning, Integer depth,
        int taps) {
      nets.add(new FindingNet(name, false, architecture, goal, trainingData, learning, depth, taps));
      return this;
    }

    Study classic(String name, double[] metric) {
      nets.add(new FindingNet(name, true, name, "hand-crafted", "none", Learning.NONE, 0, 1));
      return cell(name, "image", 0, name, metric);
    }

    List<FindingRow> evaluate() {
      return Findings.evaluate(data, nets, SETTINGS);
    }
  }

  private static FindingRow row(List<FindingRow> rows, Claim claim, String subject) {
    return rows.stream().filter(r -> r.claim() == claim && r.subject().equals(subject)).findFirst()
        .orElseThrow(() -> new AssertionError("no row " + claim + " / " + subject + " in " + rows));
  }

  private static double[] negated(double[] v) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = -v[i];
    }
    return out;
  }

  @Test
  void aNetBuiltToBeatSsimIsSupportedAndOneThatTiesItIsNot() {
    Study s = new Study(1);
    double[] ssimNoise = s.noisy(25);
    double[] ssim = negated(ssimNoise); // a similarity: higher = better
    double[] good = s.noisy(5);
    s.classic("ssim", ssim)
        .net("good", "a1", "classification", "imagenet", Learning.SUPERVISED, 5, 1).cell("good", "t1", 1, "l2", good)
        // the same ranking as SSIM: a tie in every resample
        .net("tie", "a2", "classification", "imagenet", Learning.SUPERVISED, 5, 1).cell("tie", "t1", 1, "l2", ssimNoise);
    List<FindingRow> rows = s.evaluate();

    FindingRow beats = row(rows, Claim.NETS_BEAT_SSIM, "good");
    assertEquals(Verdict.SUPPORTED, beats.verdict(), beats.toString());
    assertTrue(beats.reason().contains("lies above 0"), beats.reason());
    // One cell each side: the very interval of the comparisons table (same resamples, same seed).
    ReferenceGroups groups = ReferenceGroups.of(s.refs);
    PairedComparisonResult pc = PairedComparison.compare(good, 1, ssim, -1, s.score, groups,
        ReferenceResamples.draw(REFS, 1000, 2302));
    assertEquals(pc.difference(), beats.estimate(), 1e-12);
    assertEquals(pc.lower(), beats.ciLow(), 1e-12);
    assertEquals(pc.upper(), beats.ciHigh(), 1e-12);
    assertEquals(Correlations.of(good, s.score).srocc() - Correlations.of(ssimNoise, s.score).srocc(),
        beats.estimate(), 1e-12);
    assertEquals("good/t1/l2 vs ssim/image/ssim", beats.cells());
    assertEquals(N, beats.pairs());
    assertEquals(REFS, beats.references());

    FindingRow tie = row(rows, Claim.NETS_BEAT_SSIM, "tie");
    assertEquals(0.0, tie.estimate(), 1e-15);
    assertEquals(0.0, tie.ciLow(), 1e-15);
    assertEquals(0.0, tie.ciHigh(), 1e-15);
    assertEquals(Verdict.INCONCLUSIVE, tie.verdict(), "a tie does not beat: " + tie.reason());
    FindingRow all = row(rows, Claim.NETS_BEAT_SSIM, Findings.ALL);
    assertEquals(Verdict.INCONCLUSIVE, all.verdict(), "the worst net only ties: " + all);
    assertEquals(0.0, all.estimate(), 1e-15);
    assertTrue(all.cells().startsWith("tie: "), all.cells());

    // On par with the best dedicated metric: a tie is equivalence within delta; beating is too.
    assertEquals(Verdict.SUPPORTED, row(rows, Claim.ON_PAR_WITH_BEST_METRIC, "tie").verdict());
    assertEquals(Verdict.SUPPORTED, row(rows, Claim.ON_PAR_WITH_BEST_METRIC, "good").verdict());
    assertEquals(Verdict.SUPPORTED, row(rows, Claim.ON_PAR_WITH_BEST_METRIC, Findings.ALL).verdict());
  }

  @Test
  void aNetClearlyWorseThanSsimContradictsTheClaims() {
    Study s = new Study(2);
    s.classic("ssim", negated(s.noisy(5)))
        .net("bad", "a1", "classification", "imagenet", Learning.SUPERVISED, 5, 1).cell("bad", "t1", 1, "l2", s.noisy(40));
    List<FindingRow> rows = s.evaluate();
    assertEquals(Verdict.CONTRADICTED, row(rows, Claim.NETS_BEAT_SSIM, "bad").verdict());
    FindingRow onPar = row(rows, Claim.ON_PAR_WITH_BEST_METRIC, "bad");
    assertTrue(onPar.ciHigh() < -0.02, onPar.toString());
    assertEquals(Verdict.CONTRADICTED, onPar.verdict(), onPar.reason());
  }

  /** Taps whose noise falls (rises) with depth: agreement rises (falls) with depth. */
  private static Study trends(long seed) {
    Study s = new Study(seed);
    double[] sd = {64, 32, 16, 8, 2};
    String[][] nets = {{"up", "5", "rise"}, {"down", "5", "fall"}, {"flat", "5", "flat"},
        {"deep-up", "50", "rise"}, {"deep-down", "50", "fall"}};
    for (String[] n : nets) {
      s.net(n[0], "arch-" + n[0], "classification", "imagenet", Learning.SUPERVISED, Integer.parseInt(n[1]), 5);
      for (int k = 1; k <= 5; k++) {
        double noise = switch (n[2]) {
          case "rise" -> sd[k - 1];
          case "fall" -> sd[5 - k];
          default -> 20;
        };
        s.cell(n[0], "t" + k, k, "l2", s.noisy(noise));
      }
    }
    return s;
  }

  @Test
  void depthTrendsUpDownAndFlat() {
    List<FindingRow> rows = trends(3).evaluate();
    FindingRow up = row(rows, Claim.DEPTH_TREND, "up");
    assertEquals(1.0, up.estimate(), 1e-12, "agreement strictly rises over the 5 taps");
    assertEquals(Verdict.SUPPORTED, up.verdict(), up.toString());
    assertEquals("up/*/l2 over 5 taps", up.cells());
    FindingRow down = row(rows, Claim.DEPTH_TREND, "down");
    assertEquals(-1.0, down.estimate(), 1e-12);
    assertEquals(Verdict.CONTRADICTED, down.verdict(), "a simple net whose agreement falls: " + down);
    FindingRow flat = row(rows, Claim.DEPTH_TREND, "flat");
    assertEquals(Verdict.INCONCLUSIVE, flat.verdict(), flat.toString());
    assertTrue(flat.ciLow() < 0 && flat.ciHigh() > 0, flat.toString());
    // Very deep nets: the claim is that agreement does not rise.
    assertEquals(Verdict.SUPPORTED, row(rows, Claim.DEPTH_TREND, "deep-down").verdict());
    assertEquals(Verdict.CONTRADICTED, row(rows, Claim.DEPTH_TREND, "deep-up").verdict());
    FindingRow set = row(rows, Claim.DEPTH_TREND, Findings.ALL);
    // mean of (1, -1, flat) minus mean of (1, -1)
    double flatRho = flat.estimate();
    assertEquals((1 - 1 + flatRho) / 3 - 0.0, set.estimate(), 1e-12);
  }

  @Test
  void spearmanOfDepthHandWorked() {
    java.util.TreeMap<Integer, Double> p = new java.util.TreeMap<>();
    p.put(1, 0.80);
    p.put(2, 0.90);
    p.put(3, 0.85);
    p.put(4, 0.95);
    // ranks of agreement 1, 3, 2, 4 against 1, 2, 3, 4: rho = 1 - 6 * (0 + 1 + 1 + 0) / (4 * 15) = 0.8
    assertEquals(0.8, Stat.spearman(p), 1e-12);
    p.put(5, 0.95); // a tie: average ranks 4.5, 4.5
    double[] r = Stat.averageRanks(new double[] {0.80, 0.90, 0.85, 0.95, 0.95});
    assertEquals(List.of(1.0, 3.0, 2.0, 4.5, 4.5), java.util.Arrays.stream(r).boxed().toList());
    java.util.TreeMap<Integer, Double> two = new java.util.TreeMap<>(java.util.Map.of(1, 0.5, 2, 0.6));
    assertTrue(Double.isNaN(Stat.spearman(two)), "fewer than 3 taps: no trend");
  }

  @Test
  void equivalenceInsideAndOutsideDelta() {
    Study s = new Study(4);
    double[] close = s.noisy(10);
    double[] nearlyTheSame = new double[N];
    for (int i = 0; i < N; i++) {
      nearlyTheSame[i] = close[i] + 0.3 * s.random.nextGaussian();
    }
    s.net("r-imagenet", "resnet", "classification", "imagenet", Learning.SUPERVISED, 50, 1)
        .cell("r-imagenet", "t1", 1, "l2", close)
        .net("r-places", "resnet", "classification", "places", Learning.SUPERVISED, 50, 1)
        .cell("r-places", "t1", 1, "l2", nearlyTheSame)
        .net("v-imagenet", "vgg", "classification", "imagenet", Learning.SUPERVISED, 16, 1)
        .cell("v-imagenet", "t1", 1, "l2", s.noisy(5))
        .net("v-places", "vgg", "classification", "places", Learning.SUPERVISED, 16, 1)
        .cell("v-places", "t1", 1, "l2", s.noisy(40))
        // another goal: not a training-data pair
        .net("v-seg", "vgg", "segmentation", "voc", Learning.SUPERVISED, 16, 1)
        .cell("v-seg", "t1", 1, "l2", s.noisy(5));
    List<FindingRow> rows = s.evaluate();
    FindingRow inside = row(rows, Claim.TRAINING_DATA_LITTLE_DIFFERENCE, "r-imagenet vs r-places");
    assertTrue(inside.ciLow() > -0.02 && inside.ciHigh() < 0.02, inside.toString());
    assertEquals(Verdict.SUPPORTED, inside.verdict());
    FindingRow outside = row(rows, Claim.TRAINING_DATA_LITTLE_DIFFERENCE, "v-imagenet vs v-places");
    assertTrue(outside.ciLow() > 0.02, outside.toString());
    assertEquals(Verdict.CONTRADICTED, outside.verdict());
    assertTrue(outside.reason().contains("outside +-0.020"), outside.reason());
    assertEquals(3, rows.stream().filter(r -> r.claim() == Claim.TRAINING_DATA_LITTLE_DIFFERENCE).count(),
        "two pairs and the set: v-seg has another goal");
    FindingRow set = row(rows, Claim.TRAINING_DATA_LITTLE_DIFFERENCE, Findings.ALL);
    assertEquals(Math.abs(outside.estimate()), set.estimate(), 1e-12);
    assertEquals(Verdict.CONTRADICTED, set.verdict(), "one pair differs clearly: " + set);
  }

  /**
   * The untrained twin has 20 taps, each clean on its own random half of the references and noisy
   * on the others; the trained net is the twin's best tap (on all pairs) with its noise shrunk by
   * 20%. Naively, with that tap fixed, the trained net beats it in nearly every resample. But in a
   * resample other taps of the twin do better (their clean references were drawn more often): with
   * the choice made again in every resample, the difference is no longer clear.
   */
  @Test
  void bestTapChosenInsideEachResampleWidensTheInterval() {
    for (long seed = 1; seed <= 3; seed++) {
      Study s = new Study(seed);
      int taps = 20;
      double[][] twin = new double[taps][];
      int best = 0;
      double bestSrocc = -2;
      for (int k = 0; k < taps; k++) {
        boolean[] clean = new boolean[REFS];
        for (int r = 0; r < REFS; r++) {
          clean[r] = s.random.nextBoolean();
        }
        twin[k] = new double[N];
        for (int i = 0; i < N; i++) {
          twin[k][i] = s.score[i] + (clean[i / PER_REF] ? 3 : 20) * s.random.nextGaussian();
        }
        double srocc = Correlations.of(twin[k], s.score).srocc();
        if (srocc > bestSrocc) {
          bestSrocc = srocc;
          best = k;
        }
      }
      double[] trained = new double[N];
      for (int i = 0; i < N; i++) {
        trained[i] = s.score[i] + 0.8 * (twin[best][i] - s.score[i]);
      }
      s.net("net-trained", "arch", "classification", "imagenet", Learning.SUPERVISED, 8, 1)
          .cell("net-trained", "t1", 1, "l2", trained)
          .net("net-untrained", "arch", "none", "none", Learning.NONE, 8, taps);
      for (int k = 0; k < taps; k++) {
        s.cell("net-untrained", "t" + (k + 1), k + 1, "l2", twin[k]);
      }
      FindingRow r = row(s.evaluate(), Claim.TRAINING_MATTERS, "net-trained vs net-untrained");
      ReferenceGroups groups = ReferenceGroups.of(s.refs);
      PairedComparisonResult naive = PairedComparison.compare(trained, 1, twin[best], 1, s.score, groups,
          ReferenceResamples.draw(REFS, 1000, 2302));
      assertEquals(naive.difference(), r.estimate(), 1e-12, "the same choice on all pairs");
      assertTrue(naive.lower() > 0, "seed " + seed + ": the naive interval calls it: " + naive);
      assertTrue(r.ciLow() < 0 && r.ciHigh() > 0, "seed " + seed + ": re-chosen in every resample it is not: " + r);
      assertEquals(Verdict.INCONCLUSIVE, r.verdict());
    }
  }

  @Test
  void lpipsIsTheCalibratedSumAndNotPartOfTheNetsOwnCells() {
    Study s = new Study(5);
    double[] own = s.noisy(10);
    double[] lpips = s.noisy(20);
    double[] weightedTap = s.noisy(1); // far better, but calibrated on human judgements: not the net's own
    s.net("alex", "alexnet", "classification", "imagenet", null, 5, 1)
        .cell("alex", "relu1", 1, "l2", own)
        .cell("alex", "relu1", 1, "weighted", weightedTap)
        .cell("alex", "sum", 2, "weighted", lpips)
        .net("alex-untrained", "alexnet", "none", "none", Learning.NONE, 5, 1)
        .cell("alex-untrained", "relu1", 1, "l2", s.noisy(30));
    // learning unknown: the claims about learning leave the net out and say so
    List<FindingRow> rows = s.evaluate();
    FindingRow sup = row(rows, Claim.SUPERVISED_BEAT_LPIPS, Findings.ALL);
    assertEquals(Verdict.NOT_TESTABLE, sup.verdict());
    assertTrue(sup.reason().contains("no supervised net") && sup.reason().contains("learning unknown")
        && sup.reason().contains("alex"), sup.reason());

    Study known = new Study(5);
    known.net("alex", "alexnet", "classification", "imagenet", Learning.SUPERVISED, 5, 1)
        .cell("alex", "relu1", 1, "l2", own)
        .cell("alex", "relu1", 1, "weighted", weightedTap)
        .cell("alex", "sum", 2, "weighted", lpips);
    FindingRow r = row(known.evaluate(), Claim.SUPERVISED_BEAT_LPIPS, "alex");
    assertEquals("alex/relu1/l2 vs alex/sum/weighted", r.cells());
    assertEquals(Correlations.of(own, known.score).srocc() - Correlations.of(lpips, known.score).srocc(),
        r.estimate(), 1e-12);
    assertEquals(Verdict.SUPPORTED, r.verdict(), r.toString());
  }

  @Test
  void descriptorsAndConcatAreComparedWithThePlainReadouts() {
    Study s = new Study(6);
    double[] t1 = s.noisy(10);
    double[] t2 = s.noisy(30);
    double[] concat = new double[N];
    for (int i = 0; i < N; i++) {
      concat[i] = t1[i] + 0.2 * s.random.nextGaussian();
    }
    s.net("n", "a", "classification", "imagenet", Learning.SUPERVISED, 5, 2)
        .cell("n", "t1", 1, "l2", t1).cell("n", "t2", 2, "l2", t2)
        .cell("n", "t1", 1, "mean_std", s.noisy(60)).cell("n", "t2", 2, "mean_std", s.noisy(60))
        .cell("n", "concat", 4, "l2", concat);
    List<FindingRow> rows = s.evaluate();
    FindingRow d = row(rows, Claim.DESCRIPTORS_CONCAT_NO_EFFECT, "n: descriptors");
    assertEquals(Verdict.CONTRADICTED, d.verdict(), "descriptors built far worse: " + d);
    FindingRow c = row(rows, Claim.DESCRIPTORS_CONCAT_NO_EFFECT, "n: concat");
    assertEquals("n/concat/l2 vs n/t1/l2", c.cells());
    assertEquals(Verdict.SUPPORTED, c.verdict(), "concat built as the best tap: " + c);
    assertEquals(Verdict.CONTRADICTED, row(rows, Claim.DESCRIPTORS_CONCAT_NO_EFFECT, Findings.ALL).verdict());
  }

  @Test
  void everyClaimHasARowAndWhatIsMissingIsSaid() {
    Study s = new Study(7);
    s.classic("psnr", negated(s.noisy(20)))
        .net("random-convnet", "convnet4", "none", "none", Learning.NONE, 4, 4);
    for (int k = 1; k <= 4; k++) {
      s.cell("random-convnet", "conv" + k, k, "l2", s.noisy(30));
    }
    List<FindingRow> rows = s.evaluate();
    Set<Claim> claims = rows.stream().map(FindingRow::claim).collect(Collectors.toCollection(
        () -> EnumSet.noneOf(Claim.class)));
    assertEquals(EnumSet.allOf(Claim.class), claims);
    for (FindingRow r : rows) {
      assertEquals(Verdict.NOT_TESTABLE, r.verdict(), r.toString());
      assertEquals(Findings.ALL, r.subject());
      assertNull(r.estimate());
    }
    assertTrue(row(rows, Claim.NETS_BEAT_SSIM, Findings.ALL).reason().contains("no SSIM"));
    assertTrue(row(rows, Claim.ON_PAR_WITH_BEST_METRIC, Findings.ALL).reason().contains("no trained"));
    assertTrue(row(rows, Claim.SELF_SUPERVISED_BEAT_LPIPS, Findings.ALL).reason()
        .startsWith("no self-supervised net in this sweep"));
    assertTrue(row(rows, Claim.SIMPLE_BEAT_VERY_DEEP, Findings.ALL).reason().contains("no simple trained net"));
    assertTrue(row(rows, Claim.DESCRIPTORS_CONCAT_NO_EFFECT, Findings.ALL).reason().contains("mean_std"));
    assertTrue(row(rows, Claim.TRAINING_MATTERS, Findings.ALL).reason().contains("untrained twin"));
  }

  @Test
  void withoutResamplesThereIsAnEstimateButNoVerdict() {
    Study s = new Study(8);
    s.classic("ssim", negated(s.noisy(25)))
        .net("good", "a1", "classification", "imagenet", Learning.SUPERVISED, 5, 1).cell("good", "t1", 1, "l2", s.noisy(5));
    FindingRow r = Findings.evaluate(s.data, s.nets, new FindingsSettings(0, 2302, 0.02, 30)).stream()
        .filter(x -> x.claim() == Claim.NETS_BEAT_SSIM && x.subject().equals("good")).findFirst().orElseThrow();
    assertTrue(r.estimate() > 0.1, r.toString());
    assertNull(r.ciLow());
    assertEquals(Verdict.NOT_TESTABLE, r.verdict());
    assertTrue(r.reason().contains("bootstrap off"), r.reason());
  }

  @Test
  void rulesOnHandIntervals() {
    double d = 0.02;
    assertEquals(Verdict.SUPPORTED, Rule.BEATS.judge(0.001, 0.03, d).verdict());
    assertEquals(Verdict.CONTRADICTED, Rule.BEATS.judge(-0.03, -0.001, d).verdict());
    assertEquals(Verdict.INCONCLUSIVE, Rule.BEATS.judge(0.0, 0.03, d).verdict(), "touching 0 is not above it");
    assertEquals(Verdict.SUPPORTED, Rule.NOT_RISING.judge(-0.5, -0.1, d).verdict());
    assertEquals(Verdict.CONTRADICTED, Rule.NOT_RISING.judge(0.1, 0.5, d).verdict());
    assertEquals(Verdict.INCONCLUSIVE, Rule.NOT_RISING.judge(-0.1, 0.5, d).verdict());
    assertEquals(Verdict.SUPPORTED, Rule.EQUIVALENT.judge(-0.019, 0.019, d).verdict());
    assertEquals(Verdict.CONTRADICTED, Rule.EQUIVALENT.judge(0.021, 0.05, d).verdict());
    assertEquals(Verdict.CONTRADICTED, Rule.EQUIVALENT.judge(-0.05, -0.021, d).verdict());
    Rule.Judgement crossing = Rule.EQUIVALENT.judge(0.01, 0.03, d);
    assertEquals(Verdict.INCONCLUSIVE, crossing.verdict());
    assertEquals("interval [0.010, 0.030] crosses +0.020", crossing.reason());
    assertEquals(Verdict.SUPPORTED, Rule.ON_PAR.judge(-0.01, 0.01, d).verdict(), "inside +-delta");
    assertEquals(Verdict.SUPPORTED, Rule.ON_PAR.judge(0.01, 0.08, d).verdict(), "above 0");
    assertEquals(Verdict.INCONCLUSIVE, Rule.ON_PAR.judge(-0.01, 0.05, d).verdict());
    assertEquals(Verdict.CONTRADICTED, Rule.ON_PAR.judge(-0.08, -0.03, d).verdict());
    assertEquals(Verdict.INCONCLUSIVE, Rule.ON_PAR.judge(-0.03, -0.01, d).verdict(), "worse, not by delta for sure");
    assertEquals(Verdict.SUPPORTED, Rule.WITHIN.judge(0.001, 0.019, d).verdict());
    assertEquals(Verdict.CONTRADICTED, Rule.WITHIN.judge(0.021, 0.05, d).verdict());
    assertEquals(Verdict.INCONCLUSIVE, Rule.WITHIN.judge(0.01, 0.05, d).verdict());
  }
}
