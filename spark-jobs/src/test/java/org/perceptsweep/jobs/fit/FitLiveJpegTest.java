package org.perceptsweep.jobs.fit;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.perceptsweep.jobs.CliRunner;
import org.perceptsweep.jobs.SparkTestSession;
import org.perceptsweep.jobs.extract.DerivedReadoutsJob;
import org.perceptsweep.jobs.extract.ExtractJob;
import org.perceptsweep.jobs.tables.OutputLayout;
import org.perceptsweep.testing.SharedData;
import org.perceptsweep.udf.readout.ChannelWeightFit;

/**
 * Learned channel relevance on real data: AlexNet (ImageNet) channel weights fitted on the LIVE JPEG
 * subset with reference-disjoint 5-fold cross-validation; out-of-fold SROCC next to unweighted unit_l2.
 */
class FitLiveJpegTest {
  @TempDir
  Path tmp;

  @Test
  void fittedWeightsAgreeWithHumansOutOfFoldAndNoReferenceCrossesFolds() {
    Path csv = SharedData.data("live-jpeg/dmos.csv");
    Path alexnet = SharedData.model("alexnet-imagenet.pt");
    OutputLayout out = new OutputLayout(tmp.resolve("live").toString());
    assertEquals(0, CliRunner.run("manifest", "--dataset", "csv", "--root", csv.toString(), "--lower-is-better",
        "--out", out.root()).exitCode());
    CliRunner e = CliRunner.run("extract", "--out", out.root(), "--net", alexnet.toString(), "--readouts", "unit_l2",
        "--combine", "sum", "--channel-terms", "unit_l2");
    assertEquals(0, e.exitCode(), e.err());

    SparkSession spark = SparkTestSession.get();
    FitJob.Summary s = FitJob.run(spark, out, new FitJob.Request(List.of("alexnet-imagenet"), List.of("live-jpeg"),
        null, null, null, false, 5, 7, ChannelWeightFit.DEFAULT_RIDGE, null));
    assertEquals(1, s.cells().size());
    FitJob.Cell cell = s.cells().get(0);
    assertEquals("relu1+relu2+relu3+relu4+relu5", cell.tap());
    assertEquals(175, cell.n());
    assertEquals(64 + 192 + 384 + 256 + 256, cell.channels());

    // Out-of-fold SROCC recomputed here from the tables; DMOS: higher = worse, like the distances.
    Map<String, Double> dmos = new HashMap<>();
    Map<String, String> refOf = new HashMap<>();
    for (Row r : spark.read().parquet(out.table("manifest")).select("pair_id", "score", "ref_id").collectAsList()) {
      dmos.put(r.getString(0), r.getDouble(1));
      refOf.put(r.getString(0), r.getString(2));
    }
    Map<String, Double> fitted = distances(spark, out, "fitted_weighted");
    Map<String, Double> unit = distances(spark, out, "unit_l2");
    assertEquals(175, fitted.size());
    double fittedSrocc = srocc(fitted, dmos);
    double unitSrocc = srocc(unit, dmos);
    System.out.printf("LIVE-jpeg, alexnet-imagenet, all taps: out-of-fold SROCC fitted_weighted %.4f, unweighted "
        + "unit_l2 (sum over taps) %.4f; %d of %d weights non-zero%n", fittedSrocc, unitSrocc, cell.nonZeroWeights(),
        cell.channels());
    assertTrue(fittedSrocc > 0, "fitted weights agree with humans out of fold: " + fittedSrocc);
    assertTrue(unitSrocc > 0, "unit_l2 agrees with humans: " + unitSrocc);
    assertEquals(fittedSrocc, cell.fittedSrocc(), 1e-9);
    assertEquals(unitSrocc, cell.unitSrocc(), 1e-9);

    // The fold property on the real references: 29 references in 5 folds, each reference in one fold only.
    Map<String, Integer> folds = cell.foldOfReference();
    assertEquals(29, folds.size());
    Map<String, Set<Integer>> foldsOfRef = new HashMap<>();
    for (String pair : fitted.keySet()) {
      foldsOfRef.computeIfAbsent(refOf.get(pair), k -> new HashSet<>()).add(folds.get(refOf.get(pair)));
    }
    foldsOfRef.forEach((ref, f) -> assertEquals(1, f.size(), "reference " + ref + " in folds " + f));

    // Fold 0's stored distances come from weights fitted without any of fold 0's references:
    // refit here on exactly the other references' pairs and predict fold 0.
    List<Row> terms = spark.read().parquet(out.table(ExtractJob.CHANNEL_TERMS))
        .filter(col("kind").equalTo("unit_l2")).select("pair_id", "tap", "values").collectAsList();
    Map<String, Map<String, float[]>> byPair = new HashMap<>();
    for (Row r : terms) {
      byPair.computeIfAbsent(r.getString(0), k -> new HashMap<>()).put(r.getString(1), DerivedReadoutsJob.values(r, 2));
    }
    List<float[]> trainX = new ArrayList<>();
    List<Double> trainY = new ArrayList<>();
    List<String> testPairs = new ArrayList<>();
    for (String pair : new java.util.TreeSet<>(byPair.keySet())) {
      if (folds.get(refOf.get(pair)) == 0) {
        testPairs.add(pair);
      } else {
        trainX.add(concat(byPair.get(pair)));
        trainY.add(dmos.get(pair));
      }
    }
    assertTrue(!testPairs.isEmpty() && trainX.size() + testPairs.size() == 175);
    double[] w = ChannelWeightFit.fit(trainX.toArray(new float[0][]),
        trainY.stream().mapToDouble(Double::doubleValue).toArray(), ChannelWeightFit.DEFAULT_RIDGE);
    for (String pair : testPairs) {
      double expected = ChannelWeightFit.predict(new float[][] {concat(byPair.get(pair))}, w)[0];
      assertEquals(expected, fitted.get(pair), 1e-9 * Math.abs(expected) + 1e-15, pair);
    }
  }

  private static float[] concat(Map<String, float[]> byTap) {
    List<float[]> parts = new ArrayList<>();
    int len = 0;
    for (String tap : List.of("relu1", "relu2", "relu3", "relu4", "relu5")) {
      parts.add(byTap.get(tap));
      len += byTap.get(tap).length;
    }
    float[] out = new float[len];
    int at = 0;
    for (float[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  private static Map<String, Double> distances(SparkSession spark, OutputLayout out, String readout) {
    Map<String, Double> m = new HashMap<>();
    for (Row r : spark.read().parquet(out.table("distances"))
        .filter(col("readout").equalTo(readout).and(col("tap").equalTo("sum")))
        .select("pair_id", "distance").collectAsList()) {
      m.put(r.getString(0), r.getDouble(1));
    }
    return m;
  }

  private static double srocc(Map<String, Double> metric, Map<String, Double> score) {
    List<String> pairs = new ArrayList<>(metric.keySet());
    double[] a = new double[pairs.size()];
    double[] b = new double[pairs.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = metric.get(pairs.get(i));
      b[i] = score.get(pairs.get(i));
    }
    return new SpearmansCorrelation().correlation(a, b);
  }
}
