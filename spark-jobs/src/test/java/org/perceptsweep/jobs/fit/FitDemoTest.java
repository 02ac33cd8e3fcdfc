package org.perceptsweep.jobs.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.perceptsweep.jobs.CliRunner;
import org.perceptsweep.jobs.SparkTestSession;
import org.perceptsweep.jobs.extract.DerivedReadoutsJob;
import org.perceptsweep.jobs.extract.ExtractJob;
import org.perceptsweep.jobs.tables.OutputLayout;
import org.perceptsweep.udf.readout.ChannelWeights;

/**
 * fit on the built-in net and synthetic sets: the written weights, reused by
 * {@code extract --readouts weighted --weights FILE}, reproduce the fitted distances; transfer from
 * one dataset to another; clear errors.
 */
class FitDemoTest {
  @TempDir
  Path tmp;

  @Test
  void writtenWeightsReproduceTheFitThroughExtractAndTransferWorks() throws Exception {
    OutputLayout out = new OutputLayout(tmp.resolve("study").toString());
    assertEquals(0, CliRunner.run("manifest", "--dataset", "synthetic", "--out", out.root()).exitCode());
    // A second dataset for the transfer: the pairs of 3 of the synthetic references, as a CSV with its own name.
    SparkSession spark = SparkTestSession.get();
    StringBuilder csv = new StringBuilder("dist,ref,score\n");
    List<String> three = spark.read().parquet(out.table("manifest")).select("ref_id").distinct().orderBy("ref_id")
        .limit(3).as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    for (Row r : spark.read().parquet(out.table("manifest")).filter(org.apache.spark.sql.functions.col("ref_id")
            .isin(three.toArray()))
        .select("dist_path", "ref_path", "score").orderBy("dist_path").collectAsList()) {
      csv.append(r.getString(0)).append(',').append(r.getString(1)).append(',').append(r.getDouble(2)).append('\n');
    }
    Path csvFile = tmp.resolve("synth-b").resolve("pairs.csv");
    Files.createDirectories(csvFile.getParent());
    Files.writeString(csvFile, csv);
    CliRunner b = CliRunner.run("manifest", "--dataset", "csv", "--root", csvFile.toString(), "--lower-is-better",
        "--out", out.root());
    assertEquals(0, b.exitCode(), b.err());
    long bPairs = spark.read().parquet(out.table("manifest")).filter("dataset = 'synth-b'").count();
    assertEquals(3 * 30, bPairs, "3 references x 30 distorted images in synth-b");
    String[] extract = {"extract", "--out", out.root(), "--net", "builtin:random-convnet", "--readouts", "unit_l2",
        "--taps", "conv2,conv3", "--channel-terms", "unit_l2"};
    assertEquals(0, CliRunner.run(extract).exitCode());

    CliRunner noTerms = CliRunner.run("fit", "--out", out.root(), "--net", "random-convnet", "--taps", "conv4");
    assertEquals(2, noTerms.exitCode());
    assertTrue(noTerms.err().contains("no unit_l2 channel terms for tap 'conv4'"), noTerms.err());

    Path weights = tmp.resolve("fitted.json");
    CliRunner fit = CliRunner.run("fit", "--out", out.root(), "--net", "random-convnet", "--dataset", "synthetic",
        "--folds", "4", "--weights-out", weights.toString());
    assertEquals(0, fit.exitCode(), fit.err());
    assertTrue(fit.out().contains("cv4") && fit.out().contains("conv2+conv3"), fit.out());
    CliRunner transfer = CliRunner.run("fit", "--out", out.root(), "--net", "random-convnet", "--train-dataset",
        "synthetic", "--test-dataset", "synth-b");
    assertEquals(0, transfer.exitCode(), transfer.err());

    Map<String, Double> oof = rows(spark, out, "synthetic", "fitted_weighted");
    assertEquals(240, oof.size());
    assertEquals(bPairs, rows(spark, out, "synth-b", "fitted_weighted_from_synthetic").size());
    assertTrue(Files.exists(Path.of(out.root(), "weights", "synthetic", "random-convnet.json")));
    // The correlations of the fitted readouts were computed.
    assertEquals(2, spark.read().parquet(out.table("correlations"))
        .filter("readout LIKE 'fitted_weighted%' AND distortion = 'all'").count());

    // Fitted distances from the weights file and the stored terms ...
    ChannelWeights w;
    try (InputStream in = Files.newInputStream(weights)) {
      w = ChannelWeights.parse(in, weights.toString());
    }
    assertEquals(List.of("conv2", "conv3"), List.copyOf(w.byTap().keySet()));
    Map<String, Double> fromTerms = new HashMap<>();
    for (Row r : spark.read().parquet(out.table(ExtractJob.CHANNEL_TERMS))
        .filter("dataset = 'synthetic' AND kind = 'unit_l2'").select("pair_id", "tap", "values").collectAsList()) {
      float[] v = DerivedReadoutsJob.values(r, 2);
      float[] wt = w.forTap(r.getString(1));
      double s = 0;
      for (int c = 0; c < v.length; c++) {
        s += wt[c] * v[c];
      }
      fromTerms.merge(r.getString(0), s, Double::sum);
    }
    // ... equal what extract's weighted readout (summed over the taps) gives with that file.
    assertEquals(0, CliRunner.run("extract", "--out", out.root(), "--net", "builtin:random-convnet", "--readouts",
        "weighted", "--weights", weights.toString(), "--taps", "conv2,conv3", "--dataset", "synthetic").exitCode());
    Map<String, Double> weighted = new HashMap<>();
    for (Row r : spark.read().parquet(out.table("distances"))
        .filter("dataset = 'synthetic' AND readout = 'weighted' AND tap = 'sum'").select("pair_id", "distance")
        .collectAsList()) {
      weighted.put(r.getString(0), r.getDouble(1));
    }
    assertEquals(240, weighted.size());
    int nonZero = 0;
    for (Map.Entry<String, Double> e : fromTerms.entrySet()) {
      double expected = e.getValue();
      nonZero += expected > 0 ? 1 : 0;
      assertEquals(expected, weighted.get(e.getKey()), 1e-5 * expected + 1e-12, e.getKey());
    }
    assertTrue(nonZero > 200, "the fit found weights that separate the pairs");
  }

  private static Map<String, Double> rows(SparkSession spark, OutputLayout out, String dataset, String readout) {
    Map<String, Double> m = new HashMap<>();
    for (Row r : spark.read().parquet(out.table("distances"))
        .filter("dataset = '" + dataset + "' AND readout = '" + readout + "' AND tap = 'sum'")
        .select("pair_id", "distance").collectAsList()) {
      m.put(r.getString(0), r.getDouble(1));
    }
    return m;
  }
}
