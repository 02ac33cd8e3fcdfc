package org.perceptsweep.jobs.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.perceptsweep.core.stats.ReferenceResamples;
import org.perceptsweep.jobs.CliRunner;
import org.perceptsweep.jobs.SparkTestSession;
import org.perceptsweep.jobs.tables.OutputLayout;

/**
 * The correlations table on hand-made distances, through the real CLI: values worked out by hand
 * (written next to each assertion), bootstrap intervals recomputed by brute force (each resample
 * written out pair by pair and handed to Commons Math), undefined cells reported as such.
 */
class AggregateJobTest {
  @TempDir
  static Path tmp;

  private static OutputLayout out;
  private static CliRunner aggregate;
  private static SparkSession spark;

  // Two references, 4 pairs each (DMOS: higher = worse).
  // A: metric 1..4 vs score 1..4: SROCC 1.
  // B: metric 5..8 vs score 5.5, 8, 6, 7: score ranks 1,4,2,3; d = 0,-2,1,1; sum d^2 = 6;
  //    SROCC = 1 - 6*6/(4*15) = 0.4.
  // A+B: metric ranks 1..8, score ranks 1,2,3,4,5,8,6,7; sum d^2 = 6; SROCC = 1 - 36/(8*63) = 0.9285714.
  static final double[] TWO_METRIC = {1, 2, 3, 4, 5, 6, 7, 8};
  static final double[] TWO_SCORE = {1, 2, 3, 4, 5.5, 8, 6, 7};
  static final String[] TWO_REFS = {"A", "A", "A", "A", "B", "B", "B", "B"};

  // Heavy ties and a negative correlation, one pair per reference (DMOS, a distance: sign +1).
  // metric 1,2,2,3 -> ranks 1, 2.5, 2.5, 4; score 3,1,2,1 -> ranks 4, 1.5, 3, 1.5.
  // SROCC = Pearson of ranks = (-1.5*1.5 + 1.5*-1) / sqrt(4.5 * 4.5) = -3.75 / 4.5 = -0.8333333.
  // KROCC tau-b: 0 concordant, 4 discordant, one tie in x, one in y: -4 / sqrt(5 * 5) = -0.8.
  // PLCC: dx = -1,0,0,1; dy = 1.25,-.75,.25,-.75: -2 / sqrt(2 * 2.75) = -0.8528029.
  static final double[] TIES_METRIC = {1, 2, 2, 3};
  static final double[] TIES_SCORE = {3, 1, 2, 1};
  static final String[] TIES_REFS = {"r1", "r2", "r3", "r4"};

  @BeforeAll
  static void aggregate() {
    spark = SparkTestSession.get();
    out = new OutputLayout(tmp.resolve("study").toString());
    AggregateFixture f = new AggregateFixture();
    for (int i = 0; i < 8; i++) {
      String pair = "p" + i;
      // pairs 3 and 7 are the only ones of type 'rare': a subset of n = 2
      f.pair("two-refs", pair, TWO_REFS[i], i % 4 == 3 ? "rare" : "blur", TWO_SCORE[i], false);
      f.distance("two-refs", pair, TWO_REFS[i], "dist", "t1", 1, "l2", TWO_METRIC[i]);
      f.distance("two-refs", pair, TWO_REFS[i], "psnr", "image", 0, "psnr", -TWO_METRIC[i]);
      f.distance("two-refs", pair, TWO_REFS[i], "flat", "t1", 1, "l2", 0.5);
    }
    for (int i = 0; i < 4; i++) {
      f.pair("ties", "q" + i, TIES_REFS[i], "jpeg", TIES_SCORE[i], false);
      f.distance("ties", "q" + i, TIES_REFS[i], "dist", "t1", 1, "l2", TIES_METRIC[i]);
    }
    for (int i = 0; i < 20; i++) {
      // score = q(x) exactly, a 5-parameter logistic (b1 50, b2 0.8, b3 10, b4 0.5, b5 30): MOS
      double q = 50 * (1 / (1 + Math.exp(-0.8 * (i - 10))) - 0.5) + 0.5 * i + 30;
      f.pair("logistic", "s" + i, "ref" + (i % 5), "noise", q, true);
      f.distance("logistic", "s" + i, "ref" + (i % 5), "ssim", "image", 0, "ssim", i);
    }
    f.write(spark, out);
    aggregate = CliRunner.run("aggregate", "--out", out.root());
  }

  static Row cell(String dataset, String net, String distortion) {
    return spark.read().parquet(out.table(OutputLayout.CORRELATIONS))
        .filter("dataset = '" + dataset + "' AND net = '" + net + "' AND distortion = '" + distortion + "'")
        .first();
  }

  @Test
  void wholeReferencesAreResampled() {
    assertEquals(0, aggregate.exitCode(), aggregate.err());
    Row r = cell("two-refs", "dist", "all");
    assertEquals(8, r.<Integer>getAs("n"));
    assertEquals(2, r.<Integer>getAs("references"));
    assertEquals(0.9285714285714286, r.<Double>getAs("srocc"), 1e-12);
    // Resampling references gives only {A,A} (SROCC 1), {A,B} (0.93) or {B,B} (0.4); each end of
    // the 95% interval holds about 250 of the 1000 resamples, so the interval is exactly [0.4, 1].
    // Resampling single pairs would give many other values.
    assertEquals(0.4, r.<Double>getAs("srocc_ci_low"), 1e-12);
    assertEquals(1.0, r.<Double>getAs("srocc_ci_high"), 1e-12);
    // PLCC: the same three resample values, each computed here by Commons Math on the pairs.
    PearsonsCorrelation pearson = new PearsonsCorrelation();
    double ra = pearson.correlation(Arrays.copyOfRange(TWO_METRIC, 0, 4), Arrays.copyOfRange(TWO_SCORE, 0, 4));
    double rb = pearson.correlation(Arrays.copyOfRange(TWO_METRIC, 4, 8), Arrays.copyOfRange(TWO_SCORE, 4, 8));
    double rab = pearson.correlation(TWO_METRIC, TWO_SCORE);
    assertEquals(Math.min(ra, Math.min(rb, rab)), r.<Double>getAs("plcc_ci_low"), 1e-12);
    assertEquals(Math.max(ra, Math.max(rb, rab)), r.<Double>getAs("plcc_ci_high"), 1e-12);
    assertEquals(1000, r.<Integer>getAs("bootstrap_resamples"));
    assertEquals(0, r.<Integer>getAs("bootstrap_undefined"));
    assertEquals(AggregateJob.DEFAULT_SEED, r.<Long>getAs("bootstrap_seed"));
    double[] brute = bruteForceSroccInterval(TWO_METRIC, TWO_SCORE, TWO_REFS, 1000, AggregateJob.DEFAULT_SEED, 1);
    assertEquals(brute[0], r.<Double>getAs("srocc_ci_low"), 1e-12);
    assertEquals(brute[1], r.<Double>getAs("srocc_ci_high"), 1e-12);
  }

  @Test
  void similarityIntervalsAreAgreementSignedWithLowBelowHigh() {
    // psnr-like readout: metric = -distance, higher = better; against DMOS the raw SROCC is
    // negative, the agreement positive, and the interval's ends swap when signed.
    Row r = cell("two-refs", "psnr", "all");
    assertEquals(-0.9285714285714286, r.<Double>getAs("srocc_signed"), 1e-12);
    assertEquals(0.9285714285714286, r.<Double>getAs("srocc"), 1e-12);
    assertEquals(0.4, r.<Double>getAs("srocc_ci_low"), 1e-12);
    assertEquals(1.0, r.<Double>getAs("srocc_ci_high"), 1e-12);
    assertTrue(r.<Double>getAs("plcc_ci_low") <= r.<Double>getAs("plcc_ci_high"));
    assertTrue(r.<Double>getAs("plcc") > 0);
    assertFalse(r.<Boolean>getAs("metric_higher_is_worse"));
  }

  @Test
  void heavyTiesAndNegativeCorrelationMatchTheHandWorkedValues() {
    Row r = cell("ties", "dist", "all");
    assertEquals(-0.8333333333333334, r.<Double>getAs("srocc"), 1e-12);
    assertEquals(-0.8, r.<Double>getAs("krocc"), 1e-12);
    assertEquals(-2 / Math.sqrt(5.5), r.<Double>getAs("plcc"), 1e-12);
    assertEquals(r.<Double>getAs("srocc"), r.<Double>getAs("srocc_signed"), 0.0, "distance vs DMOS: sign +1");
    // Too few pairs for 5 parameters: no numbers, a reason.
    assertFalse(r.<Boolean>getAs("fit_converged"));
    assertNull(r.getAs("plcc_fitted"));
    assertNull(r.getAs("rmse_fitted"));
    assertTrue(r.<String>getAs("fit_reason").contains("fewer than 6 pairs"), r.toString());
    // One pair per reference: some resamples draw fewer than 3 distinct values and are undefined.
    double[] brute = bruteForceSroccInterval(TIES_METRIC, TIES_SCORE, TIES_REFS, 1000, AggregateJob.DEFAULT_SEED, 1);
    assertEquals(brute[0], r.<Double>getAs("srocc_ci_low"), 1e-12);
    assertEquals(brute[1], r.<Double>getAs("srocc_ci_high"), 1e-12);
    assertEquals((int) brute[2], r.<Integer>getAs("bootstrap_undefined"));
    assertTrue(brute[2] > 0, "some resamples have constant scores");
    assertTrue(r.<String>getAs("bootstrap_reason").contains("resamples undefined"), r.toString());
  }

  @Test
  void undefinedCellsAreReportedAsUndefined() {
    Row flat = cell("two-refs", "flat", "all");
    assertEquals(8, flat.<Integer>getAs("n"));
    assertEquals("constant metric", flat.getAs("undefined_reason"));
    for (String c : List.of("srocc", "krocc", "plcc", "plcc_fitted", "rmse_fitted", "srocc_ci_low", "srocc_ci_high",
        "plcc_ci_low", "plcc_ci_high")) {
      assertNull(flat.getAs(c), c);
    }
    assertFalse(flat.<Boolean>getAs("fit_converged"));
    assertEquals(1000, flat.<Integer>getAs("bootstrap_undefined"));

    Row two = cell("two-refs", "dist", "rare");
    assertEquals(2, two.<Integer>getAs("n"));
    assertEquals("fewer than 3 pairs (n=2)", two.getAs("undefined_reason"));
    assertNull(two.getAs("srocc"));
    assertNull(two.getAs("srocc_ci_low"));
    assertFalse(two.<Boolean>getAs("fit_converged"));

    Row blur = cell("two-refs", "dist", "blur");
    assertEquals(6, blur.<Integer>getAs("n"));
    // blur = pairs 0,1,2 (A) and 4,5,6 (B): metric 1,2,3,5,6,7 vs score 1,2,3,5.5,8,6
    assertEquals(new SpearmansCorrelation().correlation(new double[] {1, 2, 3, 5, 6, 7},
        new double[] {1, 2, 3, 5.5, 8, 6}), blur.<Double>getAs("srocc"), 1e-12);
  }

  @Test
  void exactLogisticDataFitsExactly() {
    Row r = cell("logistic", "ssim", "all");
    assertTrue(r.<Boolean>getAs("fit_converged"), r.toString());
    assertNull(r.getAs("fit_reason"));
    assertEquals(1.0, r.<Double>getAs("plcc_fitted"), 1e-9);
    assertEquals(0.0, r.<Double>getAs("rmse_fitted"), 1e-6);
    assertEquals(1.0, r.<Double>getAs("srocc"), 1e-12, "q is increasing: ssim vs MOS agrees fully");
    assertTrue(r.<Double>getAs("plcc") < 0.999, "raw PLCC of the curved data is below 1: " + r);
  }

  @Test
  void consolePrintsIntervals() {
    assertTrue(aggregate.out().contains("srocc [95% CI]"), aggregate.out());
    assertTrue(aggregate.out().contains("0.9286 [0.4000, 1.0000]"), aggregate.out());
    assertTrue(aggregate.out().contains("1000 reference resamples"), aggregate.out());
  }

  @Test
  void seedAndResamplesChangeTheHashAndRerunOnlyReplacesItsDataset() {
    OutputLayout second = new OutputLayout(tmp.resolve("second").toString());
    AggregateFixture f = new AggregateFixture();
    for (int i = 0; i < 4; i++) {
      f.pair("ties", "q" + i, TIES_REFS[i], "jpeg", TIES_SCORE[i], false);
      f.distance("ties", "q" + i, TIES_REFS[i], "dist", "t1", 1, "l2", TIES_METRIC[i]);
      f.pair("other", "o" + i, TIES_REFS[i], "jpeg", TIES_SCORE[i], false);
      f.distance("other", "o" + i, TIES_REFS[i], "dist", "t1", 1, "l2", TIES_METRIC[i]);
    }
    f.write(spark, second);
    assertEquals(0, CliRunner.run("aggregate", "--out", second.root()).exitCode());
    List<Row> before = spark.read().parquet(second.table(OutputLayout.CORRELATIONS)).orderBy("dataset").collectAsList();
    CliRunner again = CliRunner.run("aggregate", "--out", second.root(), "--dataset", "ties", "--seed", "7",
        "--resamples", "200");
    assertEquals(0, again.exitCode(), again.err());
    List<Row> after = spark.read().parquet(second.table(OutputLayout.CORRELATIONS)).orderBy("dataset").collectAsList();
    List<String> datasets = new ArrayList<>();
    for (int i = 0; i < after.size(); i++) {
      datasets.add(after.get(i).getAs("dataset"));
    }
    assertEquals(List.of("other", "other", "ties", "ties"), datasets, "all + jpeg per dataset");
    Row otherBefore = before.get(0);
    Row otherAfter = after.get(0);
    assertEquals(otherBefore.<String>getAs("input_hash"), otherAfter.getAs("input_hash"), "other dataset untouched");
    Row ties = after.get(2).<String>getAs("distortion").equals("all") ? after.get(2) : after.get(3);
    assertEquals(200, ties.<Integer>getAs("bootstrap_resamples"));
    assertEquals(7L, ties.<Long>getAs("bootstrap_seed"));
    assertNotEquals(otherAfter.<String>getAs("input_hash"), ties.getAs("input_hash"));
    double[] brute = bruteForceSroccInterval(TIES_METRIC, TIES_SCORE, TIES_REFS, 200, 7, 1);
    assertEquals(brute[0], ties.<Double>getAs("srocc_ci_low"), 1e-12);
    assertEquals(brute[1], ties.<Double>getAs("srocc_ci_high"), 1e-12);

    CliRunner bad = CliRunner.run("aggregate", "--out", second.root(), "--resamples", "-1");
    assertEquals(2, bad.exitCode());
    assertTrue(bad.err().contains("--resamples is -1"), bad.err());
  }

  /**
   * The 95% interval of agreement SROCC by brute force: each resample's pairs written out (a
   * reference drawn k times contributes its pairs k times), Spearman by Commons Math, percentiles
   * by linear interpolation at (m - 1) p (numpy's default). References are numbered in sorted id
   * order, as the job documents. Returns {low, high, undefined resamples}.
   */
  static double[] bruteForceSroccInterval(double[] metric, double[] score, String[] refIds, int resamples, long seed,
      int sign) {
    String[] ids = Arrays.stream(refIds).distinct().sorted().toArray(String[]::new);
    ReferenceResamples draws = ReferenceResamples.draw(ids.length, resamples, seed);
    List<Double> values = new ArrayList<>();
    int undefined = 0;
    for (int b = 0; b < resamples; b++) {
      List<Double> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      for (int r = 0; r < ids.length; r++) {
        for (int k = 0; k < draws.count(b, r); k++) {
          for (int i = 0; i < metric.length; i++) {
            if (refIds[i].equals(ids[r])) {
              x.add(metric[i]);
              y.add(score[i]);
            }
          }
        }
      }
      if (x.size() < 3 || x.stream().distinct().count() == 1 || y.stream().distinct().count() == 1) {
        undefined++;
        continue;
      }
      values.add(sign * new SpearmansCorrelation().correlation(
          x.stream().mapToDouble(Double::doubleValue).toArray(), y.stream().mapToDouble(Double::doubleValue).toArray()));
    }
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return new double[] {percentile(v, 0.025), percentile(v, 0.975), undefined};
  }

  static double percentile(double[] sorted, double p) {
    double h = (sorted.length - 1) * p;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }
}
