package org.perceptsweep.jobs.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark 2: runs tools/bench_torch.py (Python torch, the same TorchScript file and the same
 * batches, as many threads as the Java side, one intra-op thread each) right after the Java
 * rounds, and compares images/s. Skipped with a message when the interpreter cannot import torch.
 */
final class TorchBaseline {
  private static final Pattern SECONDS = Pattern.compile("\"seconds\":\\s*\\[([^\\]]*)\\]");
  private static final Pattern IMAGES = Pattern.compile("\"images\":\\s*(\\d+)");
  private static final Pattern VERSION = Pattern.compile("\"torch\":\\s*\"([^\"]*)\"");

  private TorchBaseline() {}

  static BenchResult compare(BenchContext ctx, Path model, List<List<DecodedSet.Batch>> batches, Rounds rounds,
      String extractName, String bareName, String setName, String title, String id, double target) throws Exception {
    if (ctx.torchScript() == null) {
      return BenchResult.skipped(id, title, "tools/bench_torch.py was not found (run from the project folder or "
          + "set -Dperceptsweep.home)");
    }
    String probe = probe(ctx.python());
    if (probe != null) {
      return BenchResult.skipped(id, title, probe);
    }
    Path tensors = ctx.work().resolve("torch-batches.bin");
    DecodedSet.writeBatches(batches, tensors);
    ctx.log().accept("benchmark 2: " + ctx.python() + " " + ctx.torchScript() + " (" + ctx.threads() + " threads)");
    List<String> cmd = List.of(ctx.python(), ctx.torchScript().toString(), "--model", model.toString(),
        "--tensors", tensors.toString(), "--threads", Integer.toString(ctx.threads()),
        "--runs", Integer.toString(ctx.runs()), "--warmups", Integer.toString(ctx.warmups()),
        "--graph-optimizer", graphOptimizer() ? "on" : "off");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().put("OMP_NUM_THREADS", "1");
    pb.environment().put("MKL_NUM_THREADS", "1");
    Process p = pb.start();
    String json = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException("tools/bench_torch.py failed (exit " + (p.isAlive() ? "timeout" : p.exitValue())
          + "): " + json);
    }
    Files.deleteIfExists(tensors);
    Matcher s = SECONDS.matcher(json);
    Matcher n = IMAGES.matcher(json);
    Matcher v = VERSION.matcher(json);
    if (!s.find() || !n.find() || !v.find()) {
      throw new IllegalStateException("tools/bench_torch.py printed no result line: " + json);
    }
    long images = Long.parseLong(n.group(1));
    String[] parts = s.group(1).split(",");
    double[] rates = new double[parts.length];
    StringBuilder raw = new StringBuilder("python torch " + v.group(1) + ": ");
    for (int i = 0; i < parts.length; i++) {
      double sec = Double.parseDouble(parts[i].trim());
      rates[i] = images / sec;
      raw.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f s (%d)", sec, images));
    }
    double torchRate = Rounds.median(rates);
    String torchName = "Python torch " + v.group(1) + " loop (" + ctx.threads() + " thread"
        + (ctx.threads() == 1 ? "" : "s") + ")";
    List<BenchRow> rows = new ArrayList<>();
    rows.add(new BenchRow("2 vs Python torch", setName, bareName, rounds.medianRate(bareName), torchName, torchRate,
        "images/s", rounds.medianRate(bareName) / torchRate, target, ctx.runs()));
    if (extractName != null) {
      rows.add(new BenchRow("2 vs Python torch", setName, extractName, rounds.medianRate(extractName), torchName,
          torchRate, "images/s", rounds.medianRate(extractName) / torchRate, target, ctx.runs()));
    }
    List<String> notes = new ArrayList<>();
    notes.add("Same TorchScript file and the same float batches (written by the benchmark, read by the script); "
        + "torch.inference_mode(), torch.set_num_threads(1) and OMP_NUM_THREADS=1, graph executor optimizer "
        + (graphOptimizer() ? "ON" : "OFF") + " in every worker thread on both sides (DJL: "
        + GRAPH_OPTIMIZER + "=" + graphOptimizer() + "; torch: torch.jit.optimized_execution(" + (graphOptimizer()
            ? "True" : "False") + ")), " + ctx.threads()
        + " Python thread(s) taking whole reference groups, like the Java side. Ratio = median DJL rate / median "
        + "torch rate; the script runs right after the Java rounds (not interleaved).");
    for (BenchRow r : rows) {
      notes.add(String.format(Locale.ROOT, "%s: target %.1fx %s (%.2fx).", r.subject(), target,
          r.missed() ? "MISSED" : "met", r.ratio()));
    }
    List<String> rawLines = new ArrayList<>(List.of(raw.toString()));
    return new BenchResult(id, title, rows, notes, rawLines);
  }

  static final String GRAPH_OPTIMIZER = org.perceptsweep.udf.net.TorchSettings.GRAPH_OPTIMIZER;

  /** The DJL side's setting (DJL leaves libtorch's default, on, when the property is not set). */
  static boolean graphOptimizer() {
    return org.perceptsweep.udf.net.TorchSettings.graphOptimizer();
  }

  /** Null when {@code python} imports torch, else the message saying why the benchmark is skipped. */
  static String probe(String python) {
    try {
      Process p = new ProcessBuilder(python, "-c", "import torch").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(2, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        return python + " took over 2 minutes to import torch";
      }
      if (p.exitValue() != 0) {
        String last = out.lines().reduce((a, b) -> b).orElse("");
        return python + " cannot import torch (" + last + "); install Debian's python3-torch "
            + "(apt-get install python3-torch) to run this benchmark";
      }
      return null;
    } catch (IOException e) {
      return "cannot run " + python + " (" + e.getMessage() + "); install python3 and python3-torch";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted while probing " + python;
    }
  }
}
