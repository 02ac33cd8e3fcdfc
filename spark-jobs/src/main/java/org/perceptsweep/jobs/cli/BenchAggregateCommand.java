package org.perceptsweep.jobs.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.perceptsweep.jobs.bench.AggregateBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code percept-sweep bench-aggregate}: the statistics issue's benchmark at full size (10 million
 * distance rows by default), separate from the tests and from {@code bench}'s quicker suite.
 */
@Command(name = "bench-aggregate", mixinStandardHelpOptions = true,
    description = "Time the correlations step of aggregate on synthetic TID2013-like distances (25 references x "
        + "120 pairs per cell, many cells): with the reference bootstrap against the same job with --resamples 0, "
        + "in the same run. Prints rows/s and the ratio.")
public final class BenchAggregateCommand implements Callable<Integer> {
  @Option(names = "--rows", defaultValue = "10000000", description = "Distance rows, rounded up to whole cells "
      + "of 3000 pairs x 5 taps (default ${DEFAULT-VALUE}).")
  long rows;

  @Option(names = "--baseline-rows", defaultValue = "1000000", description = "Rows of the slice (the first "
      + "cells of the same table) on which the baseline (--resamples 0) and the bootstrap are also timed "
      + "(default ${DEFAULT-VALUE}).")
  long baselineRows;

  @picocli.CommandLine.Mixin
  CliOptions.Statistics statistics;

  @Option(names = "--work", description = "Folder for the generated tables (default: a new temporary folder).")
  String work;

  @Override
  public Integer call() throws Exception {
    String folder = work != null ? work : Files.createTempDirectory("percept-sweep-bench").toString();
    System.out.println("bench-aggregate: tables under " + Path.of(folder).toAbsolutePath());
    AggregateBenchmark.run(PerceptSweepCli.spark("bench"), folder, rows, baselineRows, statistics.resamples,
        statistics.fitIterations, System.out);
    return 0;
  }
}
