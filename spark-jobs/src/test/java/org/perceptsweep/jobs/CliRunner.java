package org.perceptsweep.jobs;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.perceptsweep.jobs.cli.PerceptSweepCli;

/** Runs the real CLI in-process and captures what it prints. */
record CliRunner(int exitCode, String out, String err) {
  static CliRunner run(String... args) {
    SparkTestSession.get();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    System.setOut(o);
    System.setErr(e);
    try {
      int code = PerceptSweepCli.execute(args, o, e);
      return new CliRunner(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
      oldOut.print(out.toString(StandardCharsets.UTF_8));
      oldErr.print(err.toString(StandardCharsets.UTF_8));
    }
  }
}
