package org.perceptsweep.jobs.bench;

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
 * Benchmark 8: the whole LIVE sweep as a user runs it, {@code bin/percept-sweep sweep
 * conf/live-jpeg.yaml} into a fresh output folder (a first run: every cell and the aggregate run),
 * against what a user would write instead, {@code ../shared/tools/sweep_anchor.py} (one Python
 * process, Debian torch, the same nets and readouts, PSNR, SSIM and MS-SSIM), both as whole
 * commands in child processes (JVM or interpreter start included), interleaved round by round.
 * Each runs under /usr/bin/time, which gives its user and kernel CPU seconds (the kernel share is
 * the measure of time lost to memory handling). The anchor's own printed total (from after
 * its imports) is recorded beside its command's wall time.
 */
final class SweepBench {
  static final String ID = "sweep";
  static final String TITLE = "8. The LIVE sweep against a plain Python sweep (whole commands)";
  static final double TARGET = 1.0;
  static final double GOAL = 1.5;
  /** The bound on the sweep's kernel share of CPU time. */
  static final double KERNEL_BOUND = 0.15;
  private static final Pattern ANCHOR_TOTAL = Pattern.compile("total (\\S+) s for (\\d+) forward passes");

  private SweepBench() {}

  static BenchResult run(BenchContext ctx) throws Exception {
    if (ctx.quick() || ctx.liveRefs() > 0) {
      return BenchResult.skipped(ID, TITLE, "the sweep and its Python anchor run the whole LIVE set; run without "
          + "--quick and --refs");
    }
    String missing = ctx.missingShared("tools/sweep_anchor.py", "models", "data/live-jpeg/dmos.csv");
    if (missing != null) {
      return BenchResult.skipped(ID, TITLE, missing);
    }
    Path home = ctx.torchScript() == null ? null : ctx.torchScript().getParent().getParent();
    Path launcher = home == null ? null : home.resolve("bin/percept-sweep");
    Path sweepFile = home == null ? null : home.resolve("conf/live-jpeg.yaml");
    if (launcher == null || !Files.isExecutable(launcher) || !Files.isRegularFile(sweepFile)) {
      return BenchResult.skipped(ID, TITLE, "bin/percept-sweep or conf/live-jpeg.yaml was not found (run from the "
          + "project folder or set -Dperceptsweep.home)");
    }
    String probe = TorchBaseline.probe(ctx.python());
    if (probe != null) {
      return BenchResult.skipped(ID, TITLE, probe);
    }
    Path time = Path.of("/usr/bin/time");
    if (!Files.isExecutable(time)) {
      return BenchResult.skipped(ID, TITLE, "/usr/bin/time is missing (Debian package 'time'): it gives each "
          + "command's user and kernel CPU time");
    }
    String anchor = ctx.shared().resolve("tools/sweep_anchor.py").toString();
    List<double[]> sweeps = new ArrayList<>();
    List<double[]> anchors = new ArrayList<>();
    List<Double> anchorTotals = new ArrayList<>();
    List<String> raw = new ArrayList<>();
    for (int round = 0; round < ctx.runs(); round++) {
      Path out = ctx.work().resolve("sweep-bench-" + round);
      ctx.log().accept("benchmark 8: round " + (round + 1) + ": percept-sweep sweep " + sweepFile);
      Run s = timed(List.of(launcher.toString(), "sweep", sweepFile.toString(), "--out", out.toString(), "--quiet"),
          ctx.work().resolve("sweep-bench-" + round + ".log"));
      sweeps.add(s.times());
      ctx.log().accept(String.format(Locale.ROOT, "  sweep: %.1f s wall, %.1f s user, %.1f s kernel", s.times()[0],
          s.times()[1], s.times()[2]));
      ctx.log().accept("benchmark 8: round " + (round + 1) + ": " + anchor);
      Run a = timed(List.of(ctx.python(), anchor, ctx.shared().toString(), Integer.toString(ctx.threads())),
          ctx.work().resolve("anchor-" + round + ".log"));
      anchors.add(a.times());
      Matcher m = ANCHOR_TOTAL.matcher(a.output());
      anchorTotals.add(m.find() ? Double.parseDouble(m.group(1)) : Double.NaN);
      ctx.log().accept(String.format(Locale.ROOT, "  anchor: %.1f s wall, %.1f s user, %.1f s kernel", a.times()[0],
          a.times()[1], a.times()[2]));
      raw.add(String.format(Locale.ROOT, "round %d: sweep %.1f s wall, %.1f s user, %.1f s kernel; anchor %.1f s wall "
              + "(its own total %.1f s), %.1f s user, %.1f s kernel", round + 1, s.times()[0], s.times()[1],
          s.times()[2], a.times()[0], anchorTotals.get(round), a.times()[1], a.times()[2]));
    }
    double sweepWall = median(sweeps, 0);
    double anchorWall = median(anchors, 0);
    double[] perRound = new double[ctx.runs()];
    for (int i = 0; i < perRound.length; i++) {
      perRound[i] = anchors.get(i)[0] / sweeps.get(i)[0];
    }
    double ratio = Rounds.median(perRound);
    BenchRow row = new BenchRow("8 LIVE sweep vs Python", "conf/live-jpeg.yaml: 175 pairs, 7 nets, PSNR, SSIM, MS-SSIM",
        "percept-sweep sweep (whole command, " + ctx.master() + ")", sweepWall,
        "tools/sweep_anchor.py (whole command, " + ctx.threads() + " threads)", anchorWall, "s (lower is better)",
        ratio, TARGET, ctx.runs());
    double kernel = sharedKernel(sweeps);
    List<String> notes = new ArrayList<>();
    notes.add("Ratio = anchor wall time / sweep wall time (above 1: the sweep is faster). Both whole commands, each a "
        + "first run (the sweep into a fresh output folder, so every cell, the aggregate and the report tables run; "
        + "the anchor computes and prints, writes nothing). The anchor's own total, from after its imports, is in the "
        + "raw figures.");
    notes.add(String.format(Locale.ROOT, "Target %.1fx %s (%.2fx; goal %.1fx %s).", TARGET,
        ratio >= TARGET ? "met" : "MISSED", ratio, GOAL, ratio >= GOAL ? "met" : "not reached"));
    notes.add(String.format(Locale.ROOT, "Kernel share of the sweep's CPU time: %.1f%% (bound %.0f%%: %s); the "
            + "anchor's: %.1f%%.", 100 * kernel, 100 * KERNEL_BOUND, kernel < KERNEL_BOUND ? "met" : "MISSED",
        100 * sharedKernel(anchors)));
    return new BenchResult(ID, TITLE, List.of(row), notes, raw);
  }

  /** Output and {wall, user, system} of one command under /usr/bin/time. */
  record Run(String output, double[] times) {}

  private static Run timed(List<String> command, Path log) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/time", "-f", CpuTimes.TIME_FORMAT));
    cmd.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    // Each command in a user's environment: the launcher sets its own malloc settings, the anchor none.
    NetsBench.plainEnvironment(pb);
    Process p = pb.start();
    if (!p.waitFor(2, TimeUnit.HOURS)) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " ran over 2 hours; its output is in " + log);
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited with " + p.exitValue() + "; its output is in "
          + log + ": " + output.strip().lines().reduce((a, b) -> b).orElse(""));
    }
    double[] times = CpuTimes.parseTimeOutput(output);
    if (times == null) {
      throw new IllegalStateException("/usr/bin/time printed no times for " + String.join(" ", command) + " (see "
          + log + ")");
    }
    return new Run(output, times);
  }

  private static double median(List<double[]> runs, int field) {
    return Rounds.median(runs.stream().mapToDouble(r -> r[field]).toArray());
  }

  /** Kernel seconds over all CPU seconds of all rounds. */
  static double sharedKernel(List<double[]> runs) {
    double user = 0;
    double system = 0;
    for (double[] r : runs) {
      user += r[1];
      system += r[2];
    }
    return user + system <= 0 ? 0 : system / (user + system);
  }
}
