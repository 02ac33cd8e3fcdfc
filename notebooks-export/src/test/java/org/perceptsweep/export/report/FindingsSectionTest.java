package org.perceptsweep.export.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.perceptsweep.export.Marked;
import org.perceptsweep.export.ResultTable;

/** The Findings section that opens each dataset: its order, table, figure and place in the report. */
class FindingsSectionTest {
  @TempDir
  Path tmp;

  static final List<String> COLUMNS = List.of("dataset", "claim_no", "claim", "statement", "subject", "subject_kind",
      "statistic", "estimate", "ci_low", "ci_high", "verdict", "reason", "cells", "n", "references",
      "bootstrap_resamples", "bootstrap_undefined", "bootstrap_seed", "equivalence_delta", "depth_threshold",
      "input_hash");

  private static List<Object> row(int claim, String statement, String subject, String kind, Double est, Double lo,
      Double hi, String verdict, String reason) {
    return Arrays.asList("toy", claim, "c" + claim, statement, subject, kind, "stat", est, lo, hi, verdict, reason,
        "cells", 120, 20, 1000, 0, 2302L, 0.02, 30, "h");
  }

  /** Rows in the scrambled order Spark may give them. */
  static ResultTable findings() {
    return new ResultTable(COLUMNS, List.of(
        row(6, "Depth", "squeeze", "net", 0.6, 0.2, 0.9, "supported", "interval lies above 0"),
        row(1, "Nets beat SSIM", "b-net", "net", -0.05, -0.08, -0.02, "contradicted", "below 0"),
        row(4, "Self-supervised", "all", "set", null, null, null, "not testable", "no self-supervised net"),
        row(1, "Nets beat SSIM", "all", "set", -0.05, -0.08, -0.02, "contradicted", "below 0"),
        row(1, "Nets beat SSIM", "a-net", "net", 0.03, 0.01, 0.05, "supported", "above 0"),
        row(6, "Depth", "all", "set", 0.1, -0.3, 0.5, "inconclusive", "contains 0"),
        Arrays.asList("other", 1, "c1", "Nets beat SSIM", "all", "set", "stat", 0.1, 0.05, 0.15, "supported",
            "above 0", "cells", 10, 5, 1000, 0, 2302L, 0.02, 30, "h")));
  }

  @Test
  void rowsGoByClaimWithTheSetFirst() {
    List<FindingsSection.Finding> rows = FindingsSection.rows(findings(), "toy");
    assertEquals(List.of("1 all", "1 a-net", "1 b-net", "4 all", "6 all", "6 squeeze"),
        rows.stream().map(f -> f.claimNo() + " " + f.subject()).toList());
    ReportTable t = FindingsSection.table(rows);
    assertEquals(List.of("1. Nets beat SSIM", new Marked("all"), new Marked("contradicted"),
        "-0.050 [-0.080, -0.020]", "below 0"), t.display().rows().get(0));
    assertEquals(List.of("", "a-net", "supported", "0.030 [0.010, 0.050]", "above 0"), t.display().rows().get(1));
    assertEquals("-", t.display().rows().get(3).get(3), "not testable: no estimate");
    assertTrue(FindingsSection.intro(rows).contains("0 of 3 claims supported"), FindingsSection.intro(rows));
  }

  @Test
  void theReportOpensEachDatasetWithItsFindings() throws Exception {
    ReportInput base = ReportFixtures.input(true, true, true);
    Map<String, ResultTable> extra = new LinkedHashMap<>(base.extraTables());
    extra.put("findings", findings());
    ReportInput input = new ReportInput(base.source(), base.correlations(), base.nets(), base.scatter(), extra,
        base.correlationColumns(), base.notes());
    ReportSummary s = ReportWriter.write(input, tmp);
    Figure fig = s.figures().stream().filter(f -> f.id().equals("toy-findings")).findFirst().orElseThrow();
    BufferedImage img = ImageIO.read(fig.png().toFile());
    assertEquals(FindingsSection.height(FindingsSection.rows(findings(), "toy")), img.getHeight());
    // Drawn in the verdicts' colours: a supported and a contradicted interval, and the legend.
    for (java.awt.Color c : List.of(FindingsSection.SUPPORTED, FindingsSection.CONTRADICTED)) {
      int count = 0;
      for (int y = 0; y < img.getHeight(); y++) {
        for (int x = 0; x < img.getWidth(); x++) {
          count += (img.getRGB(x, y) & 0xffffff) == (c.getRGB() & 0xffffff) ? 1 : 0;
        }
      }
      assertTrue(count > 60, c + ": " + count + " pixels");
    }
    String html = Files.readString(tmp.resolve("index.html"));
    int findingsAt = html.indexOf("id=\"findings-toy\"");
    assertTrue(findingsAt > html.indexOf("id=\"ds-toy\""), "inside the dataset's section");
    assertTrue(findingsAt < html.indexOf("figures/toy-depth.png"), "before everything else of the dataset");
    assertTrue(html.indexOf("figures/toy-findings.png") > findingsAt);
    assertTrue(!html.contains("Table findings"), "not repeated as a plain table at the end");
    String csv = Files.readString(tmp.resolve("tables/toy-findings.csv"));
    assertTrue(csv.startsWith("claim_no,statement,subject,subject_kind,statistic,estimate,ci_low,ci_high,verdict,"),
        csv);
    assertEquals(7, csv.strip().split("\n").length, "header and the 6 rows of dataset toy");
    assertTrue(ReportWriter.missing(input).stream().noneMatch(n -> n.startsWith("No findings table")));
  }
}
