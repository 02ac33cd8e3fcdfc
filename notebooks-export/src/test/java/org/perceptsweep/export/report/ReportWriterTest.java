package org.perceptsweep.export.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {
  @TempDir
  Path tmp;

  @Test
  void writesEverything() throws Exception {
    Path dir = Path.of(System.getProperty("report.keep", tmp.toString()));
    ReportSummary s = ReportWriter.write(ReportFixtures.input(true, true, true), dir);
    assertTrue(Files.exists(s.html()));
  }
}
