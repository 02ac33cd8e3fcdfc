package org.perceptsweep.jobs.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.perceptsweep.jobs.CliRunner;
import org.perceptsweep.jobs.SparkTestSession;
import org.perceptsweep.jobs.tables.OutputLayout;
import org.perceptsweep.testing.SharedData;

/**
 * Every readout of every shared net and tap, through the real extract path (PNG decode, batching,
 * the float32 forward pass in DJL, the device readouts, the distances table), against a float64
 * reference that shares nothing with the project but the model files:
 * {@code tools/readout_reference.py} (PIL decode, the nets run in float64 in Python torch, readouts
 * written from their definitions with float64 sums) on four LIVE JPEG pairs at their full size
 * (768x512, 480x720, 634x438). Its output is the test resource
 * {@code reference/live-jpeg-readouts-float64.csv}. The float32 forward pass alone moves these
 * values by up to 1.8e-5 (relative; the script prints it per net), so 1e-4 leaves room for that
 * and for nothing like the 2e-4 to 2e-3 that a float32-accumulated reduction gave at full size.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadoutReferenceTest {
  private static final double TOLERANCE = 1e-4;
  private static final String ALL_READOUTS = "l2,mse,unit_l2,mean_std,gram,dists,cosine";
  /** net -> LPIPS weights file: those nets also get readout weighted and its pseudo-tap sum. */
  private static final Map<String, String> WEIGHTS = Map.of("alexnet-imagenet", "lpips-alex-v0.1.json",
      "squeezenet1_1-imagenet", "lpips-squeeze-v0.1.json");

  @TempDir
  Path tmp;

  /** (net, dist file name, tap, readout) -> reference value. */
  private final Map<List<String>, Double> reference = new LinkedHashMap<>();
  private final Set<String> nets = new LinkedHashSet<>();

  @BeforeAll
  void readReference() throws IOException {
    try (var in = ReadoutReferenceTest.class.getResourceAsStream("/reference/live-jpeg-readouts-float64.csv")) {
      List<String> lines = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
      assertEquals("net,dist,ref,tap,readout,value", lines.get(0));
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.split(",");
        nets.add(f[0]);
        reference.put(key(f[0], fileName(f[1]), f[3], f[4]), Double.parseDouble(f[5]));
      }
    }
  }

  @Test
  void everyReadoutOfEverySharedNetMatchesTheFloat64Reference() throws IOException {
    Path live = SharedData.data("live-jpeg");
    Path pairs = tmp.resolve("pairs.csv");
    Set<List<String>> pairRows = new LinkedHashSet<>();
    try (var in = ReadoutReferenceTest.class.getResourceAsStream("/reference/live-jpeg-readouts-float64.csv")) {
      new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().skip(1)
          .forEach(l -> pairRows.add(List.of(l.split(",")[1], l.split(",")[2])));
    }
    List<String> csv = new ArrayList<>(List.of("dist,ref,dmos"));
    int score = 0;
    for (List<String> p : pairRows) {
      csv.add(live.resolve(p.get(0)) + "," + live.resolve(p.get(1)) + "," + (++score));
    }
    Files.write(pairs, csv);
    String out = tmp.resolve("study").toString();
    CliRunner m = CliRunner.run("manifest", "--dataset", "csv", "--root", pairs.toString(), "--lower-is-better",
        "--name", "live-reference", "--out", out);
    assertEquals(0, m.exitCode(), m.err());

    List<String> plain = new ArrayList<>();
    for (String net : nets) {
      String model = SharedData.model(net + ".pt").toString();
      if (WEIGHTS.containsKey(net)) {
        extract(out, List.of(model), ALL_READOUTS + ",weighted", SharedData.model(WEIGHTS.get(net)).toString());
      } else {
        plain.add(model);
      }
    }
    extract(out, plain, ALL_READOUTS, null);

    Map<String, Double> worstPerNet = new TreeMap<>();
    Map<List<String>, Double> measured = new LinkedHashMap<>();
    for (Row r : SparkTestSession.get().read().parquet(new OutputLayout(out).table("distances")).collectAsList()) {
      measured.put(key(r.getAs("net"), fileName(r.getAs("dist_path")), r.getAs("tap"), r.getAs("readout")),
          r.getAs("distance"));
    }
    List<String> failures = new ArrayList<>();
    for (Map.Entry<List<String>, Double> e : reference.entrySet()) {
      Double got = measured.get(e.getKey());
      if (got == null) {
        failures.add(e.getKey() + ": no distance row");
        continue;
      }
      double rel = Math.abs(got - e.getValue()) / Math.abs(e.getValue());
      worstPerNet.merge(e.getKey().get(0), rel, Math::max);
      if (!(rel <= TOLERANCE)) {
        failures.add(e.getKey() + ": " + got + " vs reference " + e.getValue() + " (relative " + rel + ")");
      }
    }
    System.out.println("largest relative difference to the float64 reference, per net: " + worstPerNet);
    assertTrue(failures.isEmpty(), failures.size() + " of " + reference.size() + " values off by more than "
        + TOLERANCE + ":\n" + String.join("\n", failures));
    assertEquals(nets, worstPerNet.keySet(), "every net measured");
  }

  private static void extract(String out, List<String> models, String readouts, String weights) {
    List<String> args = new ArrayList<>(List.of("extract", "--out", out, "--readouts", readouts));
    for (String model : models) {
      args.add("--net");
      args.add(model);
    }
    if (weights != null) {
      args.add("--weights");
      args.add(weights);
    }
    CliRunner e = CliRunner.run(args.toArray(String[]::new));
    assertEquals(0, e.exitCode(), e.err());
  }

  private static List<String> key(String net, String dist, String tap, String readout) {
    return List.of(net, dist, tap, readout);
  }

  private static String fileName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
