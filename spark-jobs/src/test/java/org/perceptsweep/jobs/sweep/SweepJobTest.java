package org.perceptsweep.jobs.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.perceptsweep.core.UserInputException;
import org.perceptsweep.jobs.SparkSessions;
import org.perceptsweep.testing.SharedData;

/**
 * Sweeps: the plan, incremental reruns (unchanged cells skipped, a changed net recomputes only its
 * own cells), the run record's reconciliation, and fail-fast errors naming the key or path.
 */
class SweepJobTest {
  @TempDir
  Path tmp;

  private static SparkSession spark() {
    System.setProperty("spark.master", "local[2]");
    return SparkSessions.getOrCreate("sweep tests");
  }

  private void png(Path p, int seed) throws Exception {
    BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
    java.util.Random r = new java.util.Random(seed);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        int v = (x * 3 + y * 2 + r.nextInt(16 + seed)) & 0xff;
        img.setRGB(x, y, v << 16 | ((v + 40) & 0xff) << 8 | ((255 - v) & 0xff));
      }
    }
    Files.createDirectories(p.getParent());
    ImageIO.write(img, "png", p.toFile());
  }

  /** Two references, three distorted images each, scores rising with the distortion seed. */
  private Path dataset() throws Exception {
    Path d = tmp.resolve("data");
    StringBuilder csv = new StringBuilder("dist,ref,score\n");
    for (int ref = 0; ref < 2; ref++) {
      png(d.resolve("ref" + ref + ".png"), 0);
      for (int k = 1; k <= 3; k++) {
        png(d.resolve("d" + ref + k + ".png"), k * 20 + ref);
        csv.append("d").append(ref).append(k).append(".png,ref").append(ref).append(".png,").append(k * 10 + ref).append('\n');
      }
    }
    Files.writeString(d.resolve("pairs.csv"), csv);
    return d;
  }

  private Path copyNet(String from, String to, String cardName) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("nets"));
    Files.copy(SharedData.model(from + ".pt"), dir.resolve(to + ".pt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    String card = Files.readString(SharedData.model(from + ".json"));
    card = card.replaceFirst("\"name\"\\s*:\\s*\"[^\"]*\"", "\"name\": \"" + cardName + "\"");
    Files.writeString(dir.resolve(to + ".json"), card);
    return dir.resolve(to + ".pt");
  }

  private Path sweepFile(String body) throws Exception {
    Path f = tmp.resolve("sweep.yaml");
    Files.writeString(f, body);
    return f;
  }

  private record Run(SweepJob.Result result, String console) {}

  private Run run(Path file, boolean dryRun) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8);
    SweepJob.Result r = SweepJob.run(spark(), file.toString(), new SweepJob.Options(dryRun, true, null), ps);
    String text = buf.toString(StandardCharsets.UTF_8);
    System.out.print(text);
    return new Run(r, text);
  }

  private Map<String, SweepPlan.Action> actions(SweepPlan plan) {
    return plan.cells().stream().collect(Collectors.toMap(c -> c.net(), SweepPlan.Cell::action));
  }

  @Test
  void secondRunSkipsEverythingAndAChangedNetRecomputesOnlyItsCells() throws Exception {
    dataset();
    copyNet("squeezenet1_1-imagenet", "squeeze", "squeeze-net");
    Path file = sweepFile(String.join("\n",
        "out: study",
        "datasets:",
        "  - adapter: csv",
        "    root: data/pairs.csv",
        "    higher_is_better: true",
        "nets:",
        "  - spec: psnr",
        "  - spec: builtin:random-convnet",
        "  - spec: nets/squeeze.pt",
        "    goal: classification-relabelled",
        "    learning: self-supervised",
        "    depth: 99",
        "readouts: [l2, unit_l2]",
        ""));

    Run dry = run(file, true);
    assertEquals(3, dry.result().plan().toRun().size());
    assertFalse(Files.exists(tmp.resolve("study/distances")), "a dry run writes no tables");

    Run first = run(file, false);
    assertEquals(0, first.result().exitCode(), first.console());
    assertEquals(3, first.result().record().count("ran"));
    for (Reconciliation.Line l : first.result().record().reconciliation()) {
      assertEquals(6, l.manifestPairs(), l.toString());
      assertTrue(l.accounted(), l.toString());
    }
    assertTrue(Files.exists(tmp.resolve("study/runs/" + first.result().record().runId() + ".json")));
    // The three cells ran in one extract call: each records that call's wall time and its cells, and
    // its own task seconds (nets: forward passes and readouts; the metric: its own time).
    for (Map<String, Object> cell : first.result().record().cells()) {
      assertEquals(List.of("psnr", "random-convnet", "squeeze-net"), cell.get("extract_call_cells"), cell.toString());
      @SuppressWarnings("unchecked")
      Map<String, Object> call = (Map<String, Object>) cell.get("extract_call");
      // The call's own clock starts inside the sweep's: a little less, never more.
      double wall = (Double) call.get("wall_seconds");
      assertTrue(wall > 0 && wall <= (Double) cell.get("seconds") + 0.001, cell.toString());
      assertTrue((Double) call.get("decode_task_seconds") > 0, cell.toString());
      @SuppressWarnings("unchecked")
      Map<String, Object> own = (Map<String, Object>) cell.get("task_seconds");
      if (cell.get("net").equals("psnr")) {
        assertTrue((Double) own.get("metric") > 0, cell.toString());
      } else {
        assertTrue((Double) own.get("forward") > 0 && (Double) own.get("readouts") > 0, cell.toString());
        assertTrue((Double) own.get("forward") + (Double) own.get("readouts") < 2 * (Double) call.get("wall_seconds"),
            "task seconds of 2 slots fit in twice the wall time: " + cell);
      }
    }
    Row squeeze = spark().read().parquet(tmp.resolve("study/nets").toString()).filter("net = 'squeeze-net'").first();
    assertEquals("classification-relabelled", squeeze.getAs("goal"), "catalogue override of the card's goal");
    assertEquals("self-supervised", squeeze.getAs("learning"), "catalogue override of the learning kind");
    assertEquals("sweep", squeeze.getAs("learning_source"));
    assertEquals(99, squeeze.<Integer>getAs("depth"));
    assertEquals("sweep", squeeze.getAs("depth_source"));
    assertEquals(722_496L, squeeze.<Long>getAs("parameters"), "not overridden: counted in the model file");
    assertEquals("model file", squeeze.getAs("parameters_source"));
    Row builtin = spark().read().parquet(tmp.resolve("study/nets").toString()).filter("net = 'random-convnet'").first();
    assertEquals(List.of("none", "card", 4, "card", 60_512L, "card"), List.of(builtin.getAs("learning"),
        builtin.getAs("learning_source"), builtin.getAs("depth"), builtin.getAs("depth_source"),
        builtin.getAs("parameters"), builtin.getAs("parameters_source")));

    Run second = run(file, false);
    assertEquals(Map.of("psnr", SweepPlan.Action.SKIP, "random-convnet", SweepPlan.Action.SKIP,
        "squeeze-net", SweepPlan.Action.SKIP), actions(second.result().plan()), second.console());
    assertEquals(0, second.result().record().count("ran"));
    assertEquals(List.of("skipped"), aggregateStatuses(second));

    // Another override of a net fact: the nets table and the aggregate follow, the cells stay.
    Files.writeString(file, Files.readString(file).replace("depth: 99", "depth: 98"));
    Run overridden = run(file, false);
    assertEquals(0, overridden.result().record().count("ran"), overridden.console());
    assertEquals(List.of("ran"), aggregateStatuses(overridden), "catalogue overrides are aggregate inputs");
    assertEquals(98, spark().read().parquet(tmp.resolve("study/nets").toString()).filter("net = 'squeeze-net'")
        .first().<Integer>getAs("depth"));

    // Replace the net's file with different weights (the untrained twin) under the same name.
    List<Row> before = spark().read().parquet(tmp.resolve("study/distances").toString())
        .filter("net = 'psnr'").orderBy("pair_id").collectAsList();
    copyNet("squeezenet1_1-untrained", "squeeze", "squeeze-net");
    Run third = run(file, false);
    assertEquals(Map.of("psnr", SweepPlan.Action.SKIP, "random-convnet", SweepPlan.Action.SKIP,
        "squeeze-net", SweepPlan.Action.RUN), actions(third.result().plan()), third.console());
    assertTrue(third.console().contains("inputs changed"), third.console());
    List<Row> after = spark().read().parquet(tmp.resolve("study/distances").toString())
        .filter("net = 'psnr'").orderBy("pair_id").collectAsList();
    assertEquals(before, after, "the unchanged net's rows are untouched");
    assertEquals(1, spark().read().parquet(tmp.resolve("study/distances").toString())
        .filter("net = 'squeeze-net'").select("input_hash").distinct().count());
  }

  @Test
  void aNetThatCannotLoadFailsItsOwnCellsOnly() throws Exception {
    dataset();
    Path dir = Files.createDirectories(tmp.resolve("nets"));
    Files.writeString(dir.resolve("broken.pt"), "not TorchScript");
    // A card whose sha256 no loaded net has (a real card's sha would find that net in the JVM's cache).
    Files.writeString(dir.resolve("broken.json"), Files.readString(SharedData.model("alexnet-imagenet.json"))
        .replaceFirst("\"sha256\"\\s*:\\s*\"[0-9a-f]{64}\"", "\"sha256\": \"" + "0".repeat(64) + "\""));
    Path file = sweepFile(String.join("\n",
        "out: study",
        "datasets: [{adapter: csv, root: data/pairs.csv, higher_is_better: true}]",
        "nets: [{spec: pixels}, {spec: nets/broken.pt}]",
        ""));
    Run r = run(file, false);
    assertEquals(SweepJob.EXIT_CELLS_FAILED, r.result().exitCode());
    assertEquals(1, r.result().record().count("ran"));
    assertEquals(1, r.result().record().count("failed"));
    assertTrue(r.console().contains("broken"), r.console());
    assertEquals(12, spark().read().parquet(tmp.resolve("study/distances").toString()).count(),
        "pixels: 6 pairs x (l2, mse)");
  }

  @Test
  void syntheticImagesAreCachedAndAggregateSettingsRerunOnlyAggregate() throws Exception {
    String head = String.join("\n",
        "out: study",
        "datasets: [{adapter: synthetic, seed: 7, references: 3, size: 64, levels: 2, distortions: [gaussian_noise, jpeg]}]",
        "nets: [{spec: psnr}]",
        "");
    Path file = sweepFile(head + "aggregate: {resamples: 20, seed: 5}\n");
    Run first = run(file, false);
    assertEquals(1, first.result().record().count("ran"), first.console());
    assertEquals(List.of("ran"), aggregateStatuses(first));
    Map<Path, String> images = snapshot(tmp.resolve("study/datasets/synthetic"));
    assertEquals(3 + 3 * 2 * 2, images.keySet().stream().filter(p -> p.toString().endsWith(".png")).count(),
        "3 references + 12 distorted images");
    assertTrue(images.keySet().stream().allMatch(p -> p.toString().startsWith("spec-")), "content-addressed folder");

    // Same spec: the images are reused (no file rewritten), every cell and the aggregate skipped.
    Run second = run(file, false);
    assertEquals(0, second.result().record().count("ran"), second.console());
    assertEquals(1, second.result().record().count("skipped"));
    assertEquals(List.of("skipped"), aggregateStatuses(second));
    assertEquals(images, snapshot(tmp.resolve("study/datasets/synthetic")), "same files, bytes and mtimes");

    // A statistics setting changes: the aggregate runs again, the extract cell stays skipped.
    Files.writeString(file, head + "aggregate: {resamples: 30, seed: 5}\n");
    Run third = run(file, false);
    assertEquals(0, third.result().record().count("ran"), third.console());
    assertEquals(List.of("ran"), aggregateStatuses(third));
    assertTrue(third.console().contains("statistics settings"), third.console());
    assertEquals(List.of(30), spark().read().parquet(tmp.resolve("study/correlations").toString())
        .select("bootstrap_resamples").distinct().collectAsList().stream().map(r -> r.getInt(0)).toList());
    Files.writeString(file, head + "aggregate: {resamples: 30, seed: 5, fit_iterations: 50}\n");
    Run fourth = run(file, false);
    assertEquals(0, fourth.result().record().count("ran"), fourth.console());
    assertEquals(List.of("ran"), aggregateStatuses(fourth), "fit_iterations is part of the aggregate hash");
    Run fifth = run(file, false);
    assertEquals(List.of("skipped"), aggregateStatuses(fifth));
    assertEquals(images, snapshot(tmp.resolve("study/datasets/synthetic")));
    assertTrue(fifth.console().contains("findings on synthetic"), "the verdicts are printed also when skipped: "
        + fifth.console());

    // The findings' settings are statistics settings too.
    Files.writeString(file, head + "aggregate: {resamples: 30, seed: 5, fit_iterations: 50, equivalence_delta: 0.05}\n");
    Run sixth = run(file, false);
    assertEquals(List.of("ran"), aggregateStatuses(sixth), "the equivalence delta is part of the aggregate hash");
    assertEquals(List.of(0.05), spark().read().parquet(tmp.resolve("study/findings").toString())
        .select("equivalence_delta").distinct().collectAsList().stream().map(r -> r.getDouble(0)).toList());
    Files.writeString(file, head + "aggregate: {resamples: 30, seed: 5, fit_iterations: 50, equivalence_delta: 0.05,"
        + " depth_threshold: 12}\n");
    Run seventh = run(file, false);
    assertEquals(List.of("ran"), aggregateStatuses(seventh), "the depth threshold is part of the aggregate hash");
    assertEquals(9, spark().read().parquet(tmp.resolve("study/findings").toString())
        .filter("depth_threshold = 12").count(), "psnr alone: one not-testable row per claim");
  }

  @Test
  void aCommittedCellThatDoesNotAccountForEveryPairRunsAgain() throws Exception {
    dataset();
    Path file = sweepFile(String.join("\n",
        "out: study",
        "datasets: [{adapter: csv, root: data/pairs.csv, higher_is_better: true}]",
        "nets: [{spec: psnr}, {spec: ssim}]",
        "aggregate: {resamples: 10}",
        ""));
    run(file, false);
    String distances = tmp.resolve("study/distances").toString();
    List<Row> ssimBefore = spark().read().parquet(distances).filter("net = 'ssim'").orderBy("pair_id").collectAsList();
    // What a run that stopped half way could leave: psnr's rows (right hash) for 4 of the 6 pairs.
    org.apache.spark.sql.Dataset<Row> partial = spark().read().parquet(distances)
        .filter("net = 'psnr' AND pair_id NOT IN ('d01.png', 'd12.png')").localCheckpoint();
    assertEquals(4, partial.count(), partial.select("pair_id").collectAsList().toString());
    org.perceptsweep.jobs.tables.TableWriter.overwritePartitions(partial, distances, "dataset", "net");
    Run rerun = run(file, false);
    assertEquals(Map.of("psnr", SweepPlan.Action.RUN, "ssim", SweepPlan.Action.SKIP),
        actions(rerun.result().plan()), rerun.console());
    assertTrue(rerun.console().contains("incomplete (4 of 6 pairs accounted for)"), rerun.console());
    assertEquals(6, spark().read().parquet(distances).filter("net = 'psnr'").count());
    assertEquals(ssimBefore, spark().read().parquet(distances).filter("net = 'ssim'").orderBy("pair_id").collectAsList());
    assertEquals(List.of("ran"), aggregateStatuses(rerun), "the distances changed, so the statistics are redone");
  }

  private static List<Object> aggregateStatuses(Run r) {
    return r.result().record().aggregateSteps().stream().map(m -> m.get("status")).toList();
  }

  /** Every file under a folder with its modification time and content hash. */
  private static Map<Path, String> snapshot(Path dir) throws Exception {
    Map<Path, String> m = new java.util.TreeMap<>();
    try (var files = Files.walk(dir)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        m.put(dir.relativize(p), Files.getLastModifiedTime(p).toMillis() + " "
            + org.perceptsweep.core.util.Hashing.sha256Hex(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1)));
      }
    }
    return m;
  }

  @Test
  void malformedSweepFilesFailBeforeAnyWorkNamingTheKeyOrPath() throws Exception {
    dataset();
    assertError("out: s\ndatasets: [{adapter: csv, root: data/pairs.csv, higher_is_better: true}]\n"
        + "nets: [{spec: psnr, goal: x}]\nreadout: [l2]\n", "unknown key 'readout'");
    assertError("out: s\ndatasets: [{adapter: tid2099, root: data}]\nnets: [{spec: psnr}]\n",
        "datasets[0].adapter is 'tid2099'");
    assertError("out: s\ndatasets: [{adapter: csv, root: data/pairs.csv, higher_is_better: true}]\n"
        + "nets: [{spec: psnr}, {spec: builtin:random-convnet, learning: reinforced}]\n",
        "nets[1].learning: learning 'reinforced' is not one of supervised, self-supervised, perceptual, none");
    assertError("out: s\ndatasets: [{adapter: csv, root: data/pairs.csv, higher_is_better: true}]\n"
        + "nets: [{spec: builtin:random-convnet, depth: 0}]\n", "nets[0].depth must be a positive number");
    assertError("out: s\ndatasets: [{adapter: csv, root: data/pairs.csv, higher_is_better: true}]\n"
        + "nets: [{spec: psnr}]\naggregate: {equivalence_delta: 0}\n", "aggregate.equivalence_delta must be above 0");
    assertError("out: s\ndatasets: [{adapter: csv, root: data/pairs.csv}]\nnets: [{spec: psnr}]\n",
        "datasets[0].higher_is_better is missing");
    assertError("out: s\ndatasets: [{adapter: csv, root: data/pairs.csv, higher_is_better: true}]\n"
        + "nets: [{spec: nets/none.pt}]\n", "nets[0].spec names");
    assertError("out: s\ndatasets: [{adapter: csv, root: data/nope.csv, higher_is_better: true}]\n"
        + "nets: [{spec: psnr}]\n", "nope.csv");
    assertError("out: s\ndatasets: [{adapter: csv, root: data/pairs.csv, higher_is_better: true}]\n"
        + "nets: [{spec: psnr}, {spec: psnr}]\n", "listed twice");
    assertError("out: s\ndatasets: [{adapter: csv, root: data/pairs.csv, higher_is_better: true, size: 64}]\n"
        + "nets: [{spec: psnr}]\n", "keys of the synthetic adapter only");
    assertError("out: s\ndatasets: [{adapter: synthetic, levels: 11}]\nnets: [{spec: psnr}]\n",
        "datasets[0]: synthetic levels must be 1 to 10");
    assertError("out: s\ndatasets: [{adapter: synthetic}]\nnets: [{spec: psnr}]\naggregate: {fit_iterations: 0}\n",
        "aggregate.fit_iterations must be at least 1");
    assertFalse(Files.exists(tmp.resolve("s/distances")));
  }

  private void assertError(String yaml, String expected) throws Exception {
    Path file = sweepFile(yaml);
    try {
      run(file, false);
      throw new AssertionError("expected an error containing: " + expected);
    } catch (UserInputException e) {
      assertTrue(e.getMessage().contains(expected), e.getMessage());
      assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }
  }
}
