package org.perceptsweep.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.perceptsweep.core.UserInputException;
import org.perceptsweep.core.manifest.ManifestRow;
import org.perceptsweep.testing.SharedData;

/** The real score files of the standard datasets (images absent). */
class ScoresCsvAdapterTest {
  private static final Configuration CONF = new Configuration();

  @TempDir Path root;

  private ManifestResult read(String file) {
    return ScoresCsvAdapter.read(SharedData.data("scores/" + file).toUri().toString(), root.toUri().toString(),
        null, null, CONF);
  }

  private static Set<String> refs(ManifestResult m) {
    Set<String> s = new HashSet<>();
    m.rows().forEach(r -> s.add(r.refId()));
    return s;
  }

  /** Rows per "distortion level". */
  private static Map<String, Integer> cells(ManifestResult m) {
    Map<String, Integer> c = new TreeMap<>();
    m.rows().forEach(r -> c.merge(r.distortion() + " " + r.level(), 1, Integer::sum));
    return c;
  }

  private static void assertDirection(ManifestResult m, String dataset, boolean higherIsBetter, String kind) {
    for (ManifestRow r : m.rows()) {
      assertEquals(dataset, r.dataset());
      assertEquals(higherIsBetter, r.higherIsBetter());
      assertEquals(kind, r.scoreKind());
    }
  }

  @Test
  void tid2013Has3000PairsOver25ReferencesIn24TypesTimes5Levels() {
    ManifestResult m = read("TID2013.csv");
    assertEquals(List.of(), m.rejects());
    assertEquals(3000, m.rows().size());
    assertEquals(25, refs(m).size());
    Map<String, Integer> cells = cells(m);
    assertEquals(24 * 5, cells.size());
    cells.forEach((cell, n) -> assertEquals(25, n, cell));
    assertDirection(m, "tid2013", true, "mos");
    ManifestRow first = m.rows().get(0); // TID2013/distorted_images/i01_01_1.bmp, ..., 5.5143
    assertEquals("TID2013/distorted_images/i01_01_1.bmp", first.pairId());
    assertEquals(Fixtures.uri(root.resolve("TID2013/distorted_images/i01_01_1.bmp")), first.distPath());
    assertEquals(5.5143, first.score());
    // MOS: stronger distortion, lower score
    assertTrue(spearmanLevelScore(m) < -0.5, "direction");
  }

  @Test
  void tid2008Has1700PairsIn17TypesTimes4Levels() {
    ManifestResult m = read("TID2008.csv");
    assertEquals(List.of(), m.rejects());
    assertEquals(1700, m.rows().size());
    assertEquals(25, refs(m).size());
    assertEquals(17 * 4, cells(m).size());
    assertDirection(m, "tid2008", true, "mos");
  }

  @Test
  void kadidHas10125PairsOver81ReferencesIn25TypesTimes5Levels() {
    ManifestResult m = read("KADID-10k.csv");
    assertEquals(List.of(), m.rejects());
    assertEquals(10125, m.rows().size());
    assertEquals(81, refs(m).size());
    Map<String, Integer> cells = cells(m);
    assertEquals(25 * 5, cells.size());
    cells.forEach((cell, n) -> assertEquals(81, n, cell));
    assertDirection(m, "kadid10k", true, "mos");
    assertTrue(spearmanLevelScore(m) < -0.5, "direction");
  }

  @Test
  void csiqAndLiveAreDmos() {
    ManifestResult csiq = read("CSIQ.csv");
    assertEquals(List.of(), csiq.rejects());
    assertEquals(866, csiq.rows().size());
    assertEquals(30, refs(csiq).size());
    assertDirection(csiq, "csiq", false, "dmos");
    assertTrue(spearmanLevelScore(csiq) > 0.5, "DMOS: stronger distortion, higher score");

    ManifestResult live = read("LIVE.csv");
    assertEquals(List.of(), live.rejects());
    assertEquals(779, live.rows().size());
    assertEquals(29, refs(live).size());
    assertDirection(live, "live", false, "dmos");
    assertEquals(Set.of("jp2k", "jpeg", "wn", "gblur", "fastfading"),
        new HashSet<>(live.rows().stream().map(ManifestRow::distortion).toList()));
  }

  @Test
  void theOtherScoreFilesReadWithTheirDocumentedDirections() {
    Object[][] expected = {
        {"PIPAL.csv", "pipal", 23200, true}, {"A57.csv", "a57", 54, false},
        {"MDID2013.csv", "mdid2013", 324, false}, {"Toyama.csv", "toyama", 196, true},
        {"VCLFER.csv", "vclfer", 552, true}};
    for (Object[] e : expected) {
      ManifestResult m = read((String) e[0]);
      assertEquals(List.of(), m.rejects(), (String) e[0]);
      assertEquals(e[2], m.rows().size(), (String) e[0]);
      assertDirection(m, (String) e[1], (Boolean) e[3], (Boolean) e[3] ? "mos" : "dmos");
    }
  }

  @Test
  void validationReportsTheMissingImagesWithoutCrashing() {
    ManifestResult m = read("TID2013.csv");
    Validation.Report report = Validation.check(m, CONF);
    assertEquals(List.of(), report.rows());
    assertEquals(3000, report.rejects().size());
    assertEquals("missing images " + Fixtures.uri(root.resolve("TID2013/reference_images/i01.bmp")) + " and "
        + Fixtures.uri(root.resolve("TID2013/distorted_images/i01_01_1.bmp")), report.rejects().get(0).reason());
    Validation.Finding missing = report.finding("missing_images");
    assertTrue(missing.message().startsWith("3025 image files not found (named 6000 times), e.g. "),
        missing.message());
    assertEquals(1, report.findings().size());
  }

  @Test
  void directionMustBeKnownOrGivenAndNotContradicted() {
    Path other = Fixtures.text(root.resolve("Mine.csv"), "dis_img_path,dis_type,ref_img_path,score\nd.png,x,r.png,3\n");
    UserInputException e = assertThrows(UserInputException.class,
        () -> ScoresCsvAdapter.read(other.toString(), root.toString(), null, null, CONF));
    assertTrue(e.getMessage().contains("state whether higher scores are better"), e.getMessage());
    ManifestResult mine = ScoresCsvAdapter.read(other.toString(), root.toString(), null, false, CONF);
    assertEquals("Mine", mine.rows().get(0).dataset());
    assertEquals("x", mine.rows().get(0).distortion());
    assertFalse(mine.rows().get(0).higherIsBetter());

    e = assertThrows(UserInputException.class, () -> ScoresCsvAdapter.read(
        SharedData.data("scores/CSIQ.csv").toString(), root.toString(), null, true, CONF));
    assertTrue(e.getMessage().contains("csiq, whose scores are higher = worse"), e.getMessage());
  }

  /** Spearman correlation of level against score (average ranks for ties). */
  static double spearmanLevelScore(ManifestResult m) {
    List<Double> levels = new ArrayList<>();
    List<Double> scores = new ArrayList<>();
    for (ManifestRow r : m.rows()) {
      levels.add(r.level().doubleValue());
      scores.add(r.score());
    }
    double[] a = ranks(levels);
    double[] b = ranks(scores);
    double ma = 0, mb = 0;
    for (int i = 0; i < a.length; i++) {
      ma += a[i] / a.length;
      mb += b[i] / b.length;
    }
    double c = 0, va = 0, vb = 0;
    for (int i = 0; i < a.length; i++) {
      c += (a[i] - ma) * (b[i] - mb);
      va += (a[i] - ma) * (a[i] - ma);
      vb += (b[i] - mb) * (b[i] - mb);
    }
    return c / Math.sqrt(va * vb);
  }

  private static double[] ranks(List<Double> x) {
    Integer[] idx = new Integer[x.size()];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    java.util.Arrays.sort(idx, (p, q) -> Double.compare(x.get(p), x.get(q)));
    double[] r = new double[idx.length];
    for (int i = 0; i < idx.length; ) {
      int j = i;
      while (j + 1 < idx.length && x.get(idx[j + 1]).equals(x.get(idx[i]))) {
        j++;
      }
      for (int k = i; k <= j; k++) {
        r[idx[k]] = (i + j) / 2.0;
      }
      i = j + 1;
    }
    return r;
  }
}
