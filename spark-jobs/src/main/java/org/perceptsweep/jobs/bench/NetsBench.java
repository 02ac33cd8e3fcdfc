package org.perceptsweep.jobs.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.perceptsweep.jobs.sweep.SweepConfig;

/**
 * Benchmark 7: every net in the shared models folder, the whole {@code extract} (decode, forward,
 * the LIVE sweep's readouts for that net, Parquet) against the same work in a plain Python torch
 * script ({@code tools/bench_nets.py}: PIL decode, each reference forwarded once, the same
 * readouts), on the same images and the same cores (Spark local[N] against torch with N intra-op
 * threads). Both sides keep their model loaded between rounds (the project's per-JVM cache; the
 * script loads once), so a round is decode + forward + readouts (+ the tables, on the Java side).
 * The readouts per net come from {@code conf/live-jpeg.yaml}. Per net the Java rounds run, then the
 * script's (one process: its warm-ups, then its rounds), net after net.
 */
final class NetsBench {
  static final String ID = "nets";
  static final String TITLE = "7. Every shared net against a plain PyTorch script (LIVE sweep readouts)";
  static final double TARGET = 1.0;
  /** --quick: two nets with LPIPS weights (every readout kind of the sweep), on one LIVE reference. */
  static final List<String> QUICK_NETS = List.of("alexnet-imagenet", "squeezenet1_1-imagenet");
  private static final Pattern SECONDS = Pattern.compile("\"seconds\":\\s*\\[([^\\]]*)\\]");
  private static final Pattern USER = Pattern.compile("\"user_seconds\":\\s*\\[([^\\]]*)\\]");
  private static final Pattern SYSTEM = Pattern.compile("\"system_seconds\":\\s*\\[([^\\]]*)\\]");
  private static final Pattern IMAGES = Pattern.compile("\"images\":\\s*(\\d+)");
  private static final Pattern VERSION = Pattern.compile("\"torch\":\\s*\"([^\"]*)\"");

  private NetsBench() {}

  /** One net of the benchmark: its model file and the LIVE sweep's readouts and weights for it. */
  record NetWork(String name, Path model, String readouts, Path weights) {}

  static BenchResult run(BenchContext ctx) throws Exception {
    String missing = ctx.missingShared("models", "data/live-jpeg/dmos.csv");
    if (missing != null) {
      return BenchResult.skipped(ID, TITLE, missing);
    }
    Path script = ctx.torchScript() == null ? null : ctx.torchScript().resolveSibling("bench_nets.py");
    Path sweepFile = ctx.torchScript() == null ? null : ctx.torchScript().getParent().resolveSibling("conf/live-jpeg.yaml");
    if (script == null || !Files.isRegularFile(script) || !Files.isRegularFile(sweepFile)) {
      return BenchResult.skipped(ID, TITLE, "tools/bench_nets.py or conf/live-jpeg.yaml was not found (run from the "
          + "project folder or set -Dperceptsweep.home)");
    }
    String probe = TorchBaseline.probe(ctx.python());
    if (probe != null) {
      return BenchResult.skipped(ID, TITLE, probe);
    }
    List<NetWork> nets = nets(ctx, sweepFile);
    if (nets.isEmpty()) {
      throw new org.perceptsweep.core.UserInputException("--nets " + String.join(",", ctx.nets()) + " names no model "
          + "file of " + ctx.shared().resolve("models") + "; give NAME for NAME.pt");
    }
    List<String[]> pairs = LiveSet.pairs(ctx.data("live-jpeg/dmos.csv"), ctx.liveRefs());
    Path csv = LiveSet.writeCsv(pairs, ctx.work().resolve("nets-live/pairs.csv"));
    Path study = ctx.work().resolve("nets-study");
    CliCall.run("manifest", "--dataset", "csv", "--root", csv.toString(), "--lower-is-better", "--name", "live-jpeg",
        "--out", study.toString());
    long refs = pairs.stream().map(p -> p[0]).distinct().count();
    String setName = String.format(Locale.ROOT, "LIVE JPEG%s: %d refs, %d pairs, %d images", ctx.liveLabel(), refs,
        pairs.size(), refs + pairs.size());
    String subject = "extract (" + ctx.master() + ")";

    List<BenchRow> rows = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    List<String> raw = new ArrayList<>();
    String torchVersion = "?";
    for (NetWork net : nets) {
      ctx.log().accept("benchmark 7: " + net.name() + " (" + net.readouts() + ")");
      List<String> args = new ArrayList<>(List.of("extract", "--out", study.toString(), "--net", net.model().toString(),
          "--readouts", net.readouts()));
      if (net.weights() != null) {
        args.add("--weights");
        args.add(net.weights().toString());
      }
      List<String> timeLines = new ArrayList<>();
      List<CpuTimes> cpu = new ArrayList<>();
      Rounds rounds = new Rounds().add(subject, () -> {
        CpuTimes before = CpuTimes.self();
        CliCall c = CliCall.run(args.toArray(String[]::new));
        CpuTimes after = CpuTimes.self();
        if (before != null && after != null) {
          cpu.add(after.minus(before));
        }
        c.out().lines().filter(l -> l.strip().startsWith("time:")).forEach(l -> timeLines.add(l.strip()));
        return c.forwardPasses();
      });
      rounds.run(ctx.warmups(), ctx.runs(), ctx.log());
      List<CpuTimes> timedCpu = cpu.subList(Math.max(0, cpu.size() - ctx.runs()), cpu.size());
      List<String> timedLines = timeLines.subList(Math.max(0, timeLines.size() - ctx.runs()), timeLines.size());

      Script py = script(ctx, script, net, csv);
      torchVersion = py.version();
      double torchRate = Rounds.median(py.rates());
      double javaRate = rounds.medianRate(subject);
      rows.add(new BenchRow("7 per net vs Python torch", net.name() + " on " + setName + "; " + net.readouts(), subject,
          javaRate, "Python torch " + py.version() + " script (" + ctx.threads() + " threads)", torchRate, "images/s",
          javaRate / torchRate, TARGET, ctx.runs()));
      double javaKernel = share(timedCpu);
      notes.add(String.format(Locale.ROOT, "%s: %.2fx (target %.1fx %s). Kernel share of CPU time: extract %s, script "
              + "%.0f%%. Extract's own split (median round): %s.", net.name(), javaRate / torchRate, TARGET,
          javaRate / torchRate >= TARGET ? "met" : "MISSED",
          Double.isNaN(javaKernel) ? "n/a" : String.format(Locale.ROOT, "%.0f%%", 100 * javaKernel),
          100 * py.kernelShare(), timedLines.isEmpty() ? "n/a" : timedLines.get(timedLines.size() / 2)));
      raw.addAll(rounds.raw(net.name() + " "));
      raw.add(net.name() + " Python: " + py.raw());
    }
    notes.add(0, "Same images, same cores: the extract job on " + ctx.master() + " (one libtorch thread per task "
        + "slot) against tools/bench_nets.py with torch.set_num_threads(" + ctx.threads() + "), Debian's Python "
        + "torch " + torchVersion + ". A round: decode every image, forward each reference once and each distorted "
        + "image once, the LIVE sweep's readouts for the net on every tap (conf/live-jpeg.yaml); the extract also "
        + "writes its tables. Models stay loaded between rounds on both sides. Ratio = median extract rate / median "
        + "script rate (images forwarded per second).");
    return new BenchResult(ID, TITLE, rows, notes, raw);
  }

  /** Every model file in the shared folder (two with --quick), with the LIVE sweep's readouts for it. */
  static List<NetWork> nets(BenchContext ctx, Path sweepFile) throws IOException {
    SweepConfig sweep;
    try (InputStream in = Files.newInputStream(sweepFile)) {
      sweep = SweepConfig.parse(in, sweepFile.toString());
    }
    Map<String, SweepConfig.NetEntry> bySweep = new LinkedHashMap<>();
    for (SweepConfig.NetEntry e : sweep.nets()) {
      String file = e.spec().substring(e.spec().lastIndexOf('/') + 1);
      if (file.endsWith(".pt")) {
        bySweep.put(file.substring(0, file.length() - 3), e);
      }
    }
    List<NetWork> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(ctx.shared().resolve("models"))) {
      for (Path model : files.filter(p -> p.getFileName().toString().endsWith(".pt")).sorted().toList()) {
        String name = model.getFileName().toString().replaceFirst("\\.pt$", "");
        if (!ctx.nets().isEmpty() ? !ctx.nets().contains(name) : ctx.quick() && !QUICK_NETS.contains(name)) {
          continue;
        }
        SweepConfig.NetEntry e = bySweep.get(name);
        List<String> readouts = e == null ? List.of("l2", "unit_l2") : sweep.effectiveReadouts(e);
        Path weights = e == null || e.weights() == null ? null
            : ctx.shared().resolve("models").resolve(e.weights().substring(e.weights().lastIndexOf('/') + 1));
        out.add(new NetWork(name, model, String.join(",", readouts), weights));
      }
    }
    return out;
  }

  /** The script's result: version, per-round seconds and CPU split, images per round. */
  record Script(String version, double[] seconds, double[] user, double[] system, long images, String raw) {
    double[] rates() {
      double[] r = new double[seconds.length];
      for (int i = 0; i < r.length; i++) {
        r[i] = images / seconds[i];
      }
      return r;
    }

    double kernelShare() {
      double u = 0;
      double s = 0;
      for (int i = 0; i < user.length; i++) {
        u += user[i];
        s += system[i];
      }
      return u + s <= 0 ? 0 : s / (u + s);
    }
  }

  private static Script script(BenchContext ctx, Path script, NetWork net, Path csv) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(ctx.python(), script.toString(), "--model", net.model().toString(),
        "--pairs", csv.toString(), "--readouts", net.readouts(), "--threads", Integer.toString(ctx.threads()),
        "--runs", Integer.toString(ctx.runs()),
        "--warmups", Integer.toString(ctx.warmups())));
    if (net.weights() != null && net.readouts().contains("weighted")) {
      cmd.add("--weights");
      cmd.add(net.weights().toString());
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
    plainEnvironment(pb);
    Process p = pb.start();
    String json = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException("tools/bench_nets.py failed on " + net.name() + " (exit "
          + (p.isAlive() ? "timeout" : p.exitValue()) + "): " + json);
    }
    return parseScript(json);
  }

  /**
   * The baseline runs as a user would run it: without the malloc settings bin/percept-sweep exports
   * for PerceptSweep's own JVM (NativeMemory), which the child would otherwise inherit. A
   * GLIBC_TUNABLES the user set themselves is left alone.
   */
  static void plainEnvironment(ProcessBuilder pb) {
    if (org.perceptsweep.udf.net.NativeMemory.TUNABLES.equals(pb.environment().get(
        org.perceptsweep.udf.net.NativeMemory.ENV))) {
      pb.environment().remove(org.perceptsweep.udf.net.NativeMemory.ENV);
    }
  }

  /** The script's JSON line (see tools/bench_nets.py). */
  static Script parseScript(String json) {
    Matcher v = VERSION.matcher(json);
    Matcher n = IMAGES.matcher(json);
    if (!v.find() || !n.find()) {
      throw new IllegalStateException("tools/bench_nets.py printed no result line: " + json);
    }
    double[] seconds = numbers(SECONDS, json);
    return new Script(v.group(1), seconds, numbers(USER, json), numbers(SYSTEM, json), Long.parseLong(n.group(1)),
        json);
  }

  private static double[] numbers(Pattern p, String json) {
    Matcher m = p.matcher(json);
    if (!m.find()) {
      throw new IllegalStateException("tools/bench_nets.py printed no " + p.pattern() + ": " + json);
    }
    String[] parts = m.group(1).split(",");
    double[] out = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = Double.parseDouble(parts[i].trim());
    }
    return out;
  }

  /** Kernel share over the timed rounds, NaN when /proc was not readable. */
  private static double share(List<CpuTimes> cpu) {
    if (cpu.isEmpty()) {
      return Double.NaN;
    }
    double u = 0;
    double s = 0;
    for (CpuTimes c : cpu) {
      u += c.user();
      s += c.system();
    }
    return u + s <= 0 ? 0 : s / (u + s);
  }
}
