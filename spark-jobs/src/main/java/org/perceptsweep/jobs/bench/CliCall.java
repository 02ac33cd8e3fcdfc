package org.perceptsweep.jobs.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.perceptsweep.jobs.cli.PerceptSweepCli;

/**
 * Runs one PerceptSweep command in this JVM through the CLI entry point (the same path a user
 * takes) and keeps what it printed; the benchmark drives the pipeline only this way, never through
 * the jobs' internals.
 */
public record CliCall(int exitCode, String out, String err) {
  private static final Pattern FORWARDS = Pattern.compile("(\\d+) forward passes");

  /** Runs the command; a non-zero exit (3 = rows rejected included) is an error naming the command. */
  static CliCall run(String... args) {
    CliCall c = capture(args);
    if (c.exitCode() != 0) {
      throw new IllegalStateException("benchmark step 'percept-sweep " + String.join(" ", args) + "' exited with "
          + c.exitCode() + ": " + c.err().strip().lines().reduce((a, b) -> b).orElse("(no message)"));
    }
    return c;
  }

  /**
   * Runs the command and returns its exit code and what it printed, whatever the exit code (the
   * tests' CLI runner uses this too). System.out and System.err point at the captures meanwhile,
   * for the code that prints to them directly.
   */
  public static synchronized CliCall capture(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    int code;
    System.setOut(o);
    System.setErr(e);
    try {
      code = PerceptSweepCli.execute(args, o, e);
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
    return new CliCall(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The forward-pass count an extract run printed. */
  long forwardPasses() {
    Matcher m = FORWARDS.matcher(out);
    if (!m.find()) {
      throw new IllegalStateException("extract printed no forward-pass count: " + out.strip());
    }
    return Long.parseLong(m.group(1));
  }
}
