package org.perceptsweep.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.perceptsweep.jobs.CliRunner;
import org.perceptsweep.jobs.bench.BenchMarkdown;
import org.perceptsweep.testing.SharedData;

/**
 * The CI-sized version of {@code bench}: tiny inputs, one timed round. Asserts that the table is
 * printed with its columns, one row per case, every ratio a positive number and every figure
 * positive; that --write-docs writes a section per benchmark and keeps a section it does not own.
 * No timing targets.
 */
class BenchSmokeTest {
  @TempDir
  Path tmp;

  @Test
  void quickBenchPrintsTheTableAndWritesItsSections() throws Exception {
    Path shared = SharedData.root();
    Path docs = tmp.resolve("benchmarks.md");
    Files.writeString(docs, "# Benchmarks\n\nintro kept\n\n## Aggregation\n\nsomeone else's figures\n",
        StandardCharsets.UTF_8);
    CliRunner r = CliRunner.run("bench", "--quick", "--runs", "1", "--warmups", "0",
        "--only", "pipeline,reuse,classic",
        "--out", tmp.resolve("scratch").toString(), "--shared", shared.toString(),
        "--write-docs", "--docs", docs.toString());
    assertEquals(0, r.exitCode(), r.err());

    List<String> lines = r.out().lines().filter(l -> l.startsWith("| ")).toList();
    assertEquals("| " + String.join(" | ", BenchMarkdown.COLUMNS) + " |", lines.get(0));
    Map<String, Integer> perBenchmark = new TreeMap<>();
    List<String> rows = new ArrayList<>(lines.subList(1, lines.size()));
    for (String row : rows) {
      String[] cells = Arrays.stream(row.substring(2, row.length() - 2).split(" \\| ")).map(String::trim)
          .toArray(String[]::new);
      assertEquals(BenchMarkdown.COLUMNS.size(), cells.length, row);
      perBenchmark.merge(cells[0], 1, Integer::sum);
      assertTrue(cells[7].endsWith("x"), row);
      double ratio = Double.parseDouble(cells[7].substring(0, cells[7].length() - 1));
      assertTrue(ratio > 0 && Double.isFinite(ratio), "ratio must be a positive number: " + row);
      assertTrue(Double.parseDouble(cells[3]) > 0 && Double.parseDouble(cells[5]) > 0, row);
      assertEquals("1", cells[10], row);
    }
    // pipeline: one row; reuse: time and forward passes on LIVE and on the synthetic set; classic: SSIM, MS-SSIM
    assertEquals(Map.of("1 pipeline overhead", 1, "3 reference reuse", 4, "4 classic metrics", 2), perBenchmark);
    // Forward passes are counts, not timings: grouped = refs + pairs, naive = 2 x pairs.
    String synthetic = rows.stream().filter(l -> l.contains("forward passes") && l.contains("synthetic")).findFirst()
        .orElseThrow();
    assertTrue(synthetic.contains("| 39 |") && synthetic.contains("| 72 |"), synthetic);

    String written = Files.readString(docs, StandardCharsets.UTF_8);
    assertTrue(written.startsWith("# Benchmarks\n\nintro kept\n"), written);
    assertTrue(written.contains("## Aggregation\n\nsomeone else's figures\n"), written);
    for (String title : List.of("## 1. Pipeline overhead", "## 3. Reference reuse", "## 4. Classic metrics")) {
      assertEquals(1, written.split(java.util.regex.Pattern.quote(title), -1).length - 1, title);
    }
    assertTrue(written.contains("Load average (1 min)"), written);
    // The per-stage profile of the extract job: every figure a finite number, the stages inside the
    // extractor (decode, forward) positive (they ran), Spark's task times counted (the listener saw the
    // tasks: task work covers the extractor, so the work outside it is not negative beyond rounding),
    // and the graph executor setting named (the build's: off).
    java.util.regex.Matcher profile = java.util.regex.Pattern.compile("in the extractor decode (\\S+), forward "
        + "(\\S+), readouts and rows (\\S+), rest \\(sessions, grouping\\) (\\S+); Spark task work outside the "
        + "extractor \\([^)]*\\) (\\S+); outside any task \\([^)]*\\) (\\S+); job total (\\S+) ").matcher(written);
    assertTrue(profile.find(), written);
    for (int g = 1; g <= 7; g++) {
      assertTrue(Double.isFinite(Double.parseDouble(profile.group(g))), profile.group());
    }
    assertTrue(Double.parseDouble(profile.group(1)) > 0 && Double.parseDouble(profile.group(2)) > 0, profile.group());
    assertTrue(Double.parseDouble(profile.group(5)) > -5, "task times were counted: " + profile.group());
    assertTrue(written.contains("graph executor optimizer OFF"), written);
    assertTrue(written.contains("Graph executor optimizer (ai.djl.pytorch.graph_optimizer): this run OFF"), written);
    assertTrue(written.contains("Command: `bin/percept-sweep bench --quick"), written);
  }

  /**
   * Benchmark 7 on --quick: two nets on one LIVE reference against tools/bench_nets.py. Needs
   * Python with torch (Debian's python3-torch, which .ci/run installs): under CI=true its absence
   * fails the test, elsewhere it skips. Asserts the rows (one per net, both sides forwarding the 7
   * images of the reference's group) and the notes, not the timings.
   */
  @Test
  void quickNetsBenchComparesEachNetWithTheScript() throws Exception {
    Path shared = SharedData.root();
    String python = "/usr/bin/python3";
    String probe = TorchBaseline.probe(python);
    if (probe != null) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        org.junit.jupiter.api.Assertions.fail(probe + "; CI=true requires it");
      }
      org.junit.jupiter.api.Assumptions.abort(probe);
    }
    CliRunner r = CliRunner.run("bench", "--quick", "--runs", "1", "--warmups", "0", "--only", "nets",
        "--out", tmp.resolve("scratch").toString(), "--shared", shared.toString(), "--python", python);
    assertEquals(0, r.exitCode(), r.err());
    List<String> rows = r.out().lines().filter(l -> l.startsWith("| 7 per net")).toList();
    assertEquals(NetsBench.QUICK_NETS.size(), rows.size(), r.out());
    for (int i = 0; i < rows.size(); i++) {
      String row = rows.get(i);
      // The readouts are the LIVE sweep's for the net (conf/live-jpeg.yaml): both quick nets have LPIPS weights.
      assertTrue(row.matches("\\| 7 per net vs Python torch \\| " + NetsBench.QUICK_NETS.get(i)
          + " on LIVE JPEG \\(quick\\): 1 refs, 6 pairs, 7 images; l2,unit_l2[a-z_,]*,weighted \\|.*"), row);
      assertTrue(row.contains("| Python torch "), row);
    }
    assertTrue(r.out().contains("Kernel share of CPU time: extract "), r.out());
  }
}
