package org.perceptsweep.export.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.perceptsweep.export.Marked;
import org.perceptsweep.export.ResultTable;
import org.perceptsweep.export.TableRenderers;

/** The report's tables against the correlations they came from (ReportFixtures: values by formula). */
class ReportTablesTest {
  private final DatasetView view = new DatasetView("toy", ReportFixtures.correlations(true), ReportFixtures.NETS);

  @Test
  void tapsTableHasEveryWholeDatasetCellWithItsOwnValuesAndTheArgmaxMarked() {
    ReportTable t = ReportTables.taps(view);
    ResultTable data = t.data();
    List<CorrelationRecord> all = ReportFixtures.correlations(true).stream()
        .filter(r -> r.distortion().equals("all")).toList();
    assertEquals(all.size(), data.rows().size());
    // The best tap per net x readout, found here by a plain scan.
    Map<String, Double> max = new HashMap<>();
    for (CorrelationRecord r : all) {
      max.merge(r.net() + "/" + r.readout(), r.srocc(), Math::max);
    }
    int col = data.columns().indexOf("srocc");
    int bestCol = data.columns().indexOf("best_tap");
    int lowCol = data.columns().indexOf("srocc_ci_low");
    int marked = 0;
    for (List<Object> row : data.rows()) {
      String net = (String) row.get(0);
      String readout = (String) row.get(1);
      String tap = (String) row.get(3);
      CorrelationRecord source = all.stream()
          .filter(r -> r.net().equals(net) && r.readout().equals(readout) && r.tap().equals(tap)).findFirst().orElseThrow();
      assertEquals(source.srocc(), (Double) row.get(col), 0.0);
      assertEquals(source.sroccCiLow(), (Double) row.get(lowCol), 0.0);
      boolean best = (Boolean) row.get(bestCol);
      assertEquals(source.srocc().equals(max.get(net + "/" + readout)), best, net + " " + readout + " " + tap);
      marked += best ? 1 : 0;
    }
    assertEquals(max.size(), marked, "one best tap per net x readout");
    // The display shows the same numbers with the interval and bold on the best.
    List<Object> first = t.display().rows().stream().filter(r -> r.get(0).equals("alexnet-imagenet")
        && r.get(1).equals("unit_l2") && r.get(2).equals("relu2")).findFirst().orElseThrow();
    assertEquals(new Marked("0.900 [0.850, 0.940]"), first.get(5));
    assertTrue(TableRenderers.markdown(t.display()).contains("| **0.900 [0.850, 0.940]** |"));
    assertEquals(0.4, (Double) data.rows().stream().filter(r -> r.get(0).equals("alexnet-imagenet")
        && r.get(3).equals("relu2")).findFirst().orElseThrow().get(4), 1e-12, "relative depth 2/5");
  }

  @Test
  void factorSummariesGroupEachNetsBestCellByLevel() {
    ResultTable f = ReportTables.factors(view).orElseThrow().data();
    // Best cells by the fixture's formula: alexnet-imagenet 0.9 (relu2, unit_l2), untrained 0.7, mobilenet 0.8.
    assertEquals(List.of("architecture", "alexnet", 2, 0.7, 0.8, 0.8, 0.9), row(f, "architecture", "alexnet"));
    assertEquals(List.of("goal", "segmentation", 1, 0.8, 0.8, 0.8, 0.8), row(f, "goal", "segmentation"));
    // Readout: each net's best tap per readout; l2 is 0.05 below unit_l2 everywhere.
    List<Object> l2 = row(f, "readout", "l2");
    assertEquals(3, l2.get(2));
    assertEquals(0.75, (Double) l2.get(5), 1e-12);
    assertEquals(0.65, (Double) l2.get(3), 1e-12);
    assertTrue(f.rows().stream().noneMatch(r -> r.get(1).equals("hand-crafted")), "classic metrics are not a level");
  }

  @Test
  void baselinesAreEachNetsBestMinusEachClassicMetric() {
    ResultTable b = ReportTables.baselines(view).orElseThrow().data();
    assertEquals(3 * 2, b.rows().size(), "3 nets x (psnr, ssim)");
    for (List<Object> r : b.rows()) {
      double expected = (Double) r.get(3) - (Double) r.get(6);
      assertEquals(expected, (Double) r.get(7), 1e-12);
    }
    List<Object> alexPsnr = b.rows().stream().filter(r -> r.get(0).equals("alexnet-imagenet") && r.get(4).equals("psnr"))
        .findFirst().orElseThrow();
    assertEquals(0.15, (Double) alexPsnr.get(7), 1e-12);
  }

  @Test
  void distortionTableTakesEachRowsCellFromTheWholeDatasetChoice() {
    ResultTable d = ReportTables.distortions(view).orElseThrow().data();
    assertEquals(List.of("net", "tap", "readout", "all", "blur", "jpeg"), d.columns());
    List<Object> alex = d.rows().get(0);
    assertEquals(List.of("alexnet-imagenet", "relu2", "unit_l2"), alex.subList(0, 3));
    assertEquals(0.9, (Double) alex.get(3), 1e-12);
    assertEquals(0.8, (Double) alex.get(4), 1e-12);
    assertEquals(0.95, (Double) alex.get(5), 1e-12);
  }

  @Test
  void withoutIntervalsOrNetsTheTablesSayLessButStayRight() {
    DatasetView bare = new DatasetView("toy", ReportFixtures.correlations(false), List.of());
    ReportTable taps = ReportTables.taps(bare);
    assertFalse(taps.data().columns().contains("srocc_ci_low"));
    assertEquals("SROCC", taps.display().columns().get(5));
    // Without the nets table, depth comes from the deepest tap index seen, classic = only tap 0.
    assertEquals(5, bare.tapCount("alexnet-imagenet"));
    assertTrue(bare.isClassic("psnr"));
    ResultTable factors = ReportTables.factors(bare).orElseThrow().data();
    assertTrue(factors.rows().stream().allMatch(r -> r.get(0).equals("readout")), "only the readout factor");
    assertNull(bare.net("alexnet-imagenet").orElse(null));
  }

  @Test
  void defaultScatterCellsAreTheBestNetCellAndPsnr() {
    assertEquals(List.of(new CellKey("alexnet-imagenet", "relu2", "unit_l2"), new CellKey("psnr", "image", "psnr")),
        view.defaultScatterCells());
  }

  @Test
  void missingColumnsAndTablesAreNamed() {
    List<String> notes = ReportWriter.missing(ReportFixtures.input(false, false, false));
    assertTrue(notes.get(0).contains("srocc_ci_low, srocc_ci_high, plcc_fitted"), notes.get(0));
    assertTrue(notes.get(0).contains("no bootstrap intervals"), notes.get(0));
    assertTrue(notes.stream().anyMatch(n -> n.startsWith("No comparisons table")), notes.toString());
    assertTrue(notes.stream().anyMatch(n -> n.startsWith("No factors table")), notes.toString());
    assertTrue(notes.stream().anyMatch(n -> n.startsWith("No nets table")), notes.toString());
  }

  private static List<Object> row(ResultTable t, String factor, String level) {
    return t.rows().stream().filter(r -> r.get(0).equals(factor) && r.get(1).equals(level)).findFirst()
        .orElseThrow(() -> new AssertionError("no row " + factor + "=" + level)).subList(0, 7);
  }
}
