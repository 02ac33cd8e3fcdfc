package org.perceptsweep.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.perceptsweep.jobs.CliRunner;

/** {@code --log-file}: Spark's INFO lines go to the file; the console appender stays. */
class LogFileTest {
  @TempDir
  Path tmp;

  @Test
  void theFullLogGoesToTheFileAndTheConsoleKeepsItsLevel() throws Exception {
    Path log = tmp.resolve("logs/full.log");
    Files.createDirectories(log.getParent());
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    try {
      CliRunner r = CliRunner.run("manifest", "--dataset", "synthetic", "--out", tmp.resolve("study").toString(),
          "--log-file", log.toString());
      assertEquals(0, r.exitCode(), r.err());
      String text = Files.readString(log, StandardCharsets.UTF_8);
      assertTrue(text.lines().anyMatch(l -> l.contains(" INFO ") && l.contains("org.apache.spark.")), text);
      LoggerConfig root = ctx.getConfiguration().getRootLogger();
      assertEquals(Level.INFO, root.getLevel(), "the root lets INFO through, for the file");
      assertTrue(root.getAppenders().containsKey("console"), "the console appender stays");
    } finally {
      ctx.reconfigure(); // back to conf/log4j2.properties for the other tests in this JVM
    }
  }
}
