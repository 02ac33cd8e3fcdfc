package org.perceptsweep.jobs;

import org.perceptsweep.jobs.bench.CliCall;

/** Runs the real CLI in-process (the benchmark's {@link CliCall}), keeps what it printed and echoes it to the test log. */
public record CliRunner(int exitCode, String out, String err) {
  public static CliRunner run(String... args) {
    SparkTestSession.get();
    CliCall c = CliCall.capture(args);
    System.out.print(c.out());
    System.err.print(c.err());
    return new CliRunner(c.exitCode(), c.out(), c.err());
  }
}
