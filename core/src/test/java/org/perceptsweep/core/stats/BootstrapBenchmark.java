package org.perceptsweep.core.stats;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.SplittableRandom;
import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;

/**
 * Not a test (no assertions, not run by surefire): times the reference bootstrap on cells shaped
 * like the benchmark target (25 references x 120 pairs, 1000 resamples) against the baseline of
 * writing each resample out and calling Commons Math, and extrapolates to 10 million rows. Times are
 * this thread's CPU time, since the build machine's 2 cores are shared and wall time is noise.
 *
 * <pre>
 * mvn -o -q -pl core test-compile
 * java -cp core/target/classes:core/target/test-classes:$HOME/.m2/repository/org/apache/commons/\
 *   commons-math3/3.6.1/commons-math3-3.6.1.jar org.perceptsweep.core.stats.BootstrapBenchmark
 * </pre>
 */
public final class BootstrapBenchmark {
  private static final int REFS = 25;
  private static final int PER_REF = 120;
  private static final int RESAMPLES = 1000;
  private static final long TARGET_ROWS = 10_000_000L;

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private static long cpuNanos() {
    return THREADS.getCurrentThreadCpuTime();
  }

  public static void main(String[] args) {
    int cells = args.length > 0 ? Integer.parseInt(args[0]) : 40;
    int n = REFS * PER_REF;
    double[][] metric = new double[cells][n];
    double[][] metricB = new double[cells][n];
    double[][] score = new double[cells][n];
    String[] refs = new String[n];
    SplittableRandom random = new SplittableRandom(1);
    for (int c = 0; c < cells; c++) {
      for (int i = 0; i < n; i++) {
        refs[i] = "ref" + (i / PER_REF);
        double q = random.nextDouble();
        score[c][i] = Math.round(100 * (q + 0.1 * random.nextGaussian())) / 100.0; // ties
        metric[c][i] = q + 0.2 * random.nextGaussian();
        metricB[c][i] = q + 0.4 * random.nextGaussian();
      }
    }
    ReferenceGroups groups = ReferenceGroups.of(refs);
    ReferenceResamples resamples = ReferenceResamples.draw(REFS, RESAMPLES, 7);

    double sink = 0;
    for (int warm = 0; warm < 3; warm++) { // JIT warm-up on a few cells
      sink += ReferenceBootstrap.run(metric[warm % cells], score[warm % cells], groups, resamples)
          .srocc().lower();
    }
    long t0 = cpuNanos();
    for (int c = 0; c < cells; c++) {
      sink += ReferenceBootstrap.run(metric[c], score[c], groups, resamples).srocc().lower();
    }
    double perCell = (cpuNanos() - t0) / 1e9 / cells;

    long t1 = cpuNanos();
    for (int c = 0; c < cells; c++) {
      sink += PairedComparison.compare(metric[c], 1, metricB[c], 1, score[c], groups, resamples)
          .lower();
    }
    double perPaired = (cpuNanos() - t1) / 1e9 / cells;

    // Baseline: materialise each resample (whole references) and call Commons Math.
    int baselineResamples = 50;
    long t2 = cpuNanos();
    for (int c = 0; c < Math.min(cells, 4); c++) {
      for (int b = 0; b < baselineResamples; b++) {
        double[] x = new double[n];
        double[] y = new double[n];
        int k = 0;
        for (int r = 0; r < REFS; r++) {
          for (int copy = 0; copy < resamples.count(b, r); copy++) {
            for (int i = r * PER_REF; i < (r + 1) * PER_REF; i++) {
              x[k] = metric[c][i];
              y[k] = score[c][i];
              k++;
            }
          }
        }
        sink += new SpearmansCorrelation().correlation(x, y);
        sink += new PearsonsCorrelation().correlation(x, y);
      }
    }
    double baselinePerCell = (cpuNanos() - t2) / 1e9 / Math.min(cells, 4)
        * RESAMPLES / baselineResamples;

    long cellsFor10M = TARGET_ROWS / n;
    System.out.printf("cell: %d refs x %d pairs, %d resamples, %d cells timed (sink %.3f)%n",
        REFS, PER_REF, RESAMPLES, cells, sink);
    System.out.printf("ReferenceBootstrap.run (SROCC+PLCC): %.2f ms/cell; baseline Commons Math on"
        + " materialised resamples: %.1f ms/cell; ratio %.1fx%n", perCell * 1e3,
        baselinePerCell * 1e3, baselinePerCell / perCell);
    System.out.printf("PairedComparison.compare: %.2f ms/cell%n", perPaired * 1e3);
    System.out.printf("10M rows = %d cells: bootstrap %.0f s of one core's CPU (baseline %.0f s);"
        + " paired comparison %.0f s%n", cellsFor10M, cellsFor10M * perCell,
        cellsFor10M * baselinePerCell, cellsFor10M * perPaired);
  }
}
