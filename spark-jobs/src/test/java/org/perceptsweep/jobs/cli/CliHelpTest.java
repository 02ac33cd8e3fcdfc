package org.perceptsweep.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's --help renders as written: picocli reads descriptions as format strings, so a bare
 * "%" (as in "95% intervals") makes it print a warning to System.err and show the raw text.
 */
class CliHelpTest {
  @Test
  void everyCommandsHelpRendersWithoutPicocliWarnings() {
    CommandLine root = new CommandLine(new PerceptSweepCli());
    assertTrue(root.getSubcommands().size() > 5, "subcommands: " + root.getSubcommands().keySet());
    for (String name : root.getSubcommands().keySet()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      ByteArrayOutputStream systemErr = new ByteArrayOutputStream();
      PrintStream saved = System.err;
      int code;
      System.setErr(new PrintStream(systemErr, true, StandardCharsets.UTF_8));
      try {
        code = PerceptSweepCli.execute(new String[] {name, "--help"},
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
      } finally {
        System.setErr(saved);
      }
      String help = out.toString(StandardCharsets.UTF_8);
      String warnings = systemErr.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
      assertEquals(0, code, name + ": " + warnings);
      assertTrue(help.contains("Usage: percept-sweep " + name), name + ": " + help);
      assertFalse(warnings.contains("picocli WARN"), name + ": " + warnings);
      assertFalse(help.contains("%n"), name + ": unformatted help text: " + help);
    }
  }
}
