package org.perceptsweep.udf.net;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.perceptsweep.core.image.RgbImage;
import org.perceptsweep.udf.readout.ChannelWeights;
import org.perceptsweep.udf.readout.Readout;
import org.perceptsweep.udf.readout.ReadoutSet;

/**
 * Not a test (see {@link NetSessionMemoryTest} for the bounded one): runs thousands of forwards
 * through one {@link NetSession} the way the extract job does (forwardReference, compare a group of
 * distorted images with every readout, close the reference) and samples the process's resident
 * memory (VmRSS from /proc/self/status), the part of it the JVM does not account for (RSS minus the
 * JVM's committed heap and non-heap: libtorch's allocations, mostly), and the NDArrays alive under
 * the model's manager. Memory is flat when, after warm-up, none of these grows beyond a bound.
 *
 * <p>Args: [SPEC (default builtin:random-convnet, or a NAME.pt)] [SIDE (128)] [REFERENCES (2000)]
 * [DISTORTED_PER_REFERENCE (4)] [BATCH (4)] [leak (control: leave references open)]. Run with the udf
 * test classpath and {@code -Xms256m -Xmx256m -XX:+AlwaysPreTouch -XX:+UseSerialGC -Dai.djl.offline=true
 * -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1}: a fixed, pre-touched heap keeps
 * the JVM's own first-touch of heap pages out of VmRSS (without it, RSS climbs for hundreds of MiB while
 * Eden is first used, which says nothing about native memory); and the environment
 * {@code MALLOC_MMAP_THRESHOLD_=65536 MALLOC_ARENA_MAX=2}, so that glibc returns freed tensors to the OS
 * instead of caching them (without it, 10,000 forwards showed a +73 MiB hump that fell back to +4 MiB).
 * Baseline: the same numbers right after
 * warm-up (the first 10% of references, at least 20). The last line is machine-readable (RESULT ...).
 */
public final class NetSessionMemoryBenchmark {
  private NetSessionMemoryBenchmark() {}

  /** One sample: after {@code forwards} forward passes. */
  public record Sample(long forwards, long rssKiB, long jvmCommittedKiB, long directKiB, int liveArrays) {
    /** RSS not committed by the JVM (heap + non-heap): native allocations, libtorch's mostly. */
    public long outsideJvmKiB() {
      return rssKiB - jvmCommittedKiB;
    }
  }

  /** The run's samples: {@code samples.get(0)} is the baseline taken right after warm-up. */
  public record Result(List<Sample> samples, int liveArraysBeforeSession, long forwards) {
    public Sample baseline() {
      return samples.get(0);
    }

    /** Largest growth of RSS over the baseline, in KiB. */
    public long maxRssGrowthKiB() {
      return samples.stream().mapToLong(s -> s.rssKiB() - baseline().rssKiB()).max().orElse(0);
    }

    /** Largest growth of RSS outside the JVM's committed memory over the baseline, in KiB. */
    public long maxOutsideJvmGrowthKiB() {
      return samples.stream().mapToLong(s -> s.outsideJvmKiB() - baseline().outsideJvmKiB()).max().orElse(0);
    }

    /** Least-squares slope of RSS over the samples, in KiB per 1000 forwards. */
    public double rssSlopeKiBPer1000() {
      int n = samples.size();
      double mx = samples.stream().mapToDouble(Sample::forwards).average().orElse(0);
      double my = samples.stream().mapToDouble(Sample::rssKiB).average().orElse(0);
      double sxy = 0;
      double sxx = 0;
      for (Sample s : samples) {
        sxy += (s.forwards() - mx) * (s.rssKiB() - my);
        sxx += (s.forwards() - mx) * (s.forwards() - mx);
      }
      return n < 2 || sxx == 0 ? 0 : 1000 * sxy / sxx;
    }
  }

  /** Whether this OS exposes VmRSS (Linux). */
  public static boolean rssAvailable() {
    return rssKiB() >= 0;
  }

  /** VmRSS of this process in KiB, or -1 where /proc/self/status has none. */
  public static long rssKiB() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  /**
   * Runs {@code references} groups of one reference and {@code perReference} distorted images
   * through one session; samples after warm-up and then {@code sampleCount} times, evenly spaced.
   */
  public static Result run(FeatureNet net, int side, int references, int perReference, int batch, int warmUp,
      int sampleCount) {
    return run(net, side, references, perReference, batch, warmUp, sampleCount, true);
  }

  /**
   * As above; with {@code closeReferences} false every reference's activations are left open until
   * the session closes: a deliberate leak, the control that shows the measurement can see one.
   */
  static Result run(FeatureNet net, int side, int references, int perReference, int batch, int warmUp,
      int sampleCount, boolean closeReferences) {
    DjlFeatureNet djl = (DjlFeatureNet) net;
    ReadoutSet readouts = allReadouts(net.card());
    // A few distinct images, reused: decoding is not what is measured.
    List<RgbImage> refs = new ArrayList<>();
    List<List<RgbImage>> dists = new ArrayList<>();
    for (int v = 0; v < 3; v++) {
      refs.add(NetsTest.gradientImage(side, side, 0.01f * v));
      List<RgbImage> group = new ArrayList<>();
      for (int i = 0; i < perReference; i++) {
        group.add(NetsTest.gradientImage(side, side, 0.01f * v + 0.02f * (i + 1)));
      }
      dists.add(group);
    }
    int before = djl.liveArrays();
    List<Sample> samples = new ArrayList<>();
    int every = Math.max(1, (references - warmUp) / Math.max(1, sampleCount));
    long forwards;
    try (NetSession session = net.newSession(batch)) {
      for (int r = 0; r < references; r++) {
        if (r >= warmUp && (r - warmUp) % every == 0) {
          samples.add(sample(session.forwardPasses(), djl));
        }
        int v = r % refs.size();
        ReferenceActivations ref = session.forwardReference(refs.get(v));
        try {
          List<Map<String, Map<String, Double>>> out = session.compare(ref, dists.get(v), readouts);
          if (out.size() != perReference) {
            throw new IllegalStateException("compare returned " + out.size() + " rows for " + perReference);
          }
        } finally {
          if (closeReferences) {
            ref.close();
          }
        }
      }
      samples.add(sample(session.forwardPasses(), djl));
      forwards = session.forwardPasses();
    }
    return new Result(samples, before, forwards);
  }

  /** l2, mse, unit_l2 and weighted (uniform weights 1/C) on every tap. */
  static ReadoutSet allReadouts(NetCard card) {
    Map<String, float[]> w = new LinkedHashMap<>();
    for (TapInfo t : card.taps()) {
      float[] ones = new float[t.channels()];
      java.util.Arrays.fill(ones, 1f / t.channels());
      w.put(t.name(), ones);
    }
    return ReadoutSet.of(List.of(Readout.values()), new ChannelWeights("uniform 1/C", w));
  }

  private static Sample sample(long forwards, DjlFeatureNet net) {
    // DJL copies inputs and outputs through direct ByteBuffers, whose native memory is freed only when a
    // GC finds them unreachable: collect first, so that RSS counts what is still referenced, not garbage
    // waiting for a collection (which is bounded by -XX:MaxDirectMemorySize and shows as a sawtooth).
    for (int i = 0; i < 2; i++) {
      System.gc();
      try {
        Thread.sleep(20); // let the Cleaner thread free the collected buffers
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
    long committed = mx.getHeapMemoryUsage().getCommitted() + mx.getNonHeapMemoryUsage().getCommitted();
    long direct = 0;
    for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      if ("direct".equals(pool.getName())) {
        direct = pool.getMemoryUsed();
      }
    }
    return new Sample(forwards, rssKiB(), committed / 1024, direct / 1024, net.liveArrays());
  }

  public static void main(String[] args) {
    String spec = args.length > 0 ? args[0] : RandomConvNet.SPEC;
    int side = args.length > 1 ? Integer.parseInt(args[1]) : 128;
    int references = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
    int perReference = args.length > 3 ? Integer.parseInt(args[3]) : 4;
    int batch = args.length > 4 ? Integer.parseInt(args[4]) : 4;
    boolean leak = args.length > 5 && args[5].equals("leak");
    if (!rssAvailable()) {
      System.err.println("no /proc/self/status VmRSS on this OS: run on Linux");
      System.exit(2);
    }
    FeatureNet net = Nets.get(spec, null);
    int warmUp = Math.max(20, references / 10);
    long t0 = System.nanoTime();
    Result r = run(net, side, references, perReference, batch, warmUp, 20, !leak);
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf("net %s, %dx%d, %d references x (1 + %d distorted), batch %d, readouts l2,mse,unit_l2,weighted;"
        + " threads num_threads=%s interop=%s%n", net.card().name(), side, side, references, perReference, batch,
        System.getProperty("ai.djl.pytorch.num_threads"), System.getProperty("ai.djl.pytorch.num_interop_threads"));
    System.out.printf("%10s %12s %14s %16s %12s %12s%n", "forwards", "VmRSS MiB", "JVM commit MiB", "outside JVM MiB",
        "direct MiB", "live arrays");
    for (Sample s : r.samples()) {
      System.out.printf("%10d %12.1f %14.1f %16.1f %12.2f %12d%n", s.forwards(), s.rssKiB() / 1024.0,
          s.jvmCommittedKiB() / 1024.0, s.outsideJvmKiB() / 1024.0, s.directKiB() / 1024.0, s.liveArrays());
    }
    Sample base = r.baseline();
    Sample last = r.samples().get(r.samples().size() - 1);
    System.out.printf("%d forwards in %.1f s (%.2f ms each). Baseline (after %d warm-up references): VmRSS %.1f MiB."
            + " Max growth over baseline: VmRSS %+.1f MiB (%+.2f%%), outside JVM %+.1f MiB; slope %+.1f KiB per 1000"
            + " forwards; live arrays %d before the session, %d at baseline, %d at the end%n",
        r.forwards(), seconds, 1000 * seconds / r.forwards(), warmUp, base.rssKiB() / 1024.0,
        r.maxRssGrowthKiB() / 1024.0, 100.0 * r.maxRssGrowthKiB() / base.rssKiB(), r.maxOutsideJvmGrowthKiB() / 1024.0,
        r.rssSlopeKiBPer1000(), r.liveArraysBeforeSession(), base.liveArrays(), last.liveArrays());
    int liveMin = r.samples().stream().mapToInt(Sample::liveArrays).min().orElse(-1);
    int liveMax = r.samples().stream().mapToInt(Sample::liveArrays).max().orElse(-1);
    boolean preTouched = ManagementFactory.getRuntimeMXBean().getInputArguments().contains("-XX:+AlwaysPreTouch");
    System.out.printf("RESULT forwards=%d baselineRssKiB=%d rssGrowthKiB=%d outsideJvmGrowthKiB=%d slopeKiBPer1000=%.1f"
            + " liveBefore=%d liveMin=%d liveMax=%d preTouched=%b%n", r.forwards(), base.rssKiB(), r.maxRssGrowthKiB(),
        r.maxOutsideJvmGrowthKiB(), r.rssSlopeKiBPer1000(), r.liveArraysBeforeSession(), liveMin, liveMax, preTouched);
  }
}
