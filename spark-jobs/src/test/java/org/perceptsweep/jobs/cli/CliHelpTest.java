package org.perceptsweep.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.perceptsweep.jobs.bench.CliCall;
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
      // capture swaps System.err too, where picocli's tracer writes its warnings
      CliCall c = CliCall.capture(name, "--help");
      assertEquals(0, c.exitCode(), name + ": " + c.err());
      assertTrue(c.out().contains("Usage: percept-sweep " + name), name + ": " + c.out());
      assertFalse(c.err().contains("picocli WARN"), name + ": " + c.err());
      assertFalse(c.out().contains("%n"), name + ": unformatted help text: " + c.out());
    }
  }
}
