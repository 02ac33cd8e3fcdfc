package org.perceptsweep.jobs.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The factor analysis and depth profile on hand-made correlations, without Spark. */
class FactorTableTest {
  static final Map<String, FactorTable.Net> NETS = Map.of(
      "alex", new FactorTable.Net("alex", "alexnet", "classification", "imagenet", List.of("r1", "r2", "r3", "r4"), "s1"),
      "alex0", new FactorTable.Net("alex0", "alexnet", "none", "none", List.of("r1", "r2", "r3", "r4"), "s2"),
      "mob", new FactorTable.Net("mob", "mobilenet", "classification", "imagenet", List.of("b1", "b2"), "s3"),
      "seg", new FactorTable.Net("seg", "mobilenet", "segmentation", "voc", List.of("b1", "b2"), "s4"));

  static FactorTable.Cell cell(String net, String tap, int index, String readout, Double srocc) {
    return new FactorTable.Cell("d", net, tap, index, readout, 100, srocc, srocc == null ? null : srocc - 0.1,
        srocc == null ? null : srocc + 0.05, "h-" + net + tap + readout);
  }

  static List<FactorTable.Cell> cells() {
    List<FactorTable.Cell> c = new ArrayList<>();
    // alex l2: best r3 = 0.80; alex unit_l2: best r2 = 0.85 (r4 undefined is skipped)
    c.add(cell("alex", "r1", 1, "l2", 0.60));
    c.add(cell("alex", "r2", 2, "l2", 0.70));
    c.add(cell("alex", "r3", 3, "l2", 0.80));
    c.add(cell("alex", "r4", 4, "l2", 0.75));
    c.add(cell("alex", "r2", 2, "unit_l2", 0.85));
    c.add(cell("alex", "r4", 4, "unit_l2", null));
    // the LPIPS pseudo-tap: a tap combination, not a tap; ignored even though it is the highest
    c.add(cell("alex", "sum", 5, "weighted", 0.95));
    // alex0 l2: best r1 = 0.50
    c.add(cell("alex0", "r1", 1, "l2", 0.50));
    c.add(cell("alex0", "r2", 2, "l2", 0.40));
    // mob l2: b1 and b2 tie at 0.70: the shallower tap wins
    c.add(cell("mob", "b1", 1, "l2", 0.70));
    c.add(cell("mob", "b2", 2, "l2", 0.70));
    // seg l2: every tap undefined
    c.add(cell("seg", "b1", 1, "l2", null));
    // a classic metric has no row in the nets map: not a unit
    c.add(cell("psnr", "image", 0, "psnr", 0.9));
    return c;
  }

  @Test
  void bestTapPerNetAndReadout() {
    List<FactorTable.Unit> units = FactorTable.units(cells(), NETS);
    List<String> best = units.stream()
        .map(u -> u.net().net() + "/" + u.readout() + "=" + (u.best() == null ? "-" : u.best().tap())).toList();
    assertEquals(List.of("alex/l2=r3", "alex/unit_l2=r2", "alex0/l2=r1", "mob/l2=b1", "seg/l2=-"), best);
  }

  @Test
  void distributionPerFactorLevel() {
    List<FactorTable.FactorRow> rows = FactorTable.factors(FactorTable.units(cells(), NETS));
    // goal=classification: units alex/l2 0.80, alex/unit_l2 0.85, mob/l2 0.70
    // -> n 3, min 0.70, median 0.80, mean 2.35/3, max 0.85 (alex/r2/unit_l2)
    FactorTable.FactorRow cls = find(rows, "goal", "classification");
    assertEquals(3, cls.n());
    assertEquals(0, cls.undefinedUnits());
    assertEquals(0.70, cls.min(), 1e-12);
    assertEquals(0.80, cls.median(), 1e-12);
    assertEquals(2.35 / 3, cls.mean(), 1e-12);
    assertEquals(0.85, cls.max(), 1e-12);
    assertEquals("alex/r2/unit_l2", cls.bestCell());
    assertEquals(List.of("alex/r2/unit_l2", "alex/r3/l2", "mob/b1/l2"), cls.cells());
    // goal=segmentation: its one unit is undefined: counted, no numbers
    FactorTable.FactorRow seg = find(rows, "goal", "segmentation");
    assertEquals(0, seg.n());
    assertEquals(1, seg.undefinedUnits());
    assertNull(seg.median());
    // architecture=alexnet: 0.80, 0.85, 0.50 -> median 0.80 (odd); mobilenet: 0.70 and one undefined
    assertEquals(0.80, find(rows, "architecture", "alexnet").median(), 1e-12);
    assertEquals(1, find(rows, "architecture", "mobilenet").undefinedUnits());
    // readout=l2: alex 0.80, alex0 0.50, mob 0.70 -> median 0.70; mean 2.0/3
    FactorTable.FactorRow l2 = find(rows, "readout", "l2");
    assertEquals(3, l2.n());
    assertEquals(0.70, l2.median(), 1e-12);
    assertEquals(2.0 / 3, l2.mean(), 1e-12);
    // training_data=imagenet: 0.80, 0.85, 0.70; none: 0.50 -> even-count median of {0.5}? n = 1
    assertEquals(0.50, find(rows, "training_data", "none").median(), 1e-12);
    // 4 factors: goal 3 levels, training_data 3, architecture 2, readout 2 (weighted has no real tap)
    assertEquals(10, rows.size());
  }

  @Test
  void evenMedianIsTheMeanOfTheMiddleTwo() {
    assertEquals(2.5, FactorTable.median(new double[] {1, 2, 3, 4}), 0.0);
    assertEquals(3.0, FactorTable.median(new double[] {1, 3, 9}), 0.0);
  }

  @Test
  void depthProfileUsesRelativeDepthOfRealTaps() {
    List<FactorTable.DepthRow> depth = FactorTable.depth(cells(), NETS);
    // alex: 4 l2 + 2 unit_l2; alex0: 2; mob: 2; seg: 1; not the sum pseudo-tap, not psnr
    assertEquals(11, depth.size());
    FactorTable.DepthRow first = depth.get(0);
    assertEquals("alex", first.net());
    assertEquals("l2", first.readout());
    assertEquals("r1", first.tap());
    assertEquals(0.25, first.relativeDepth(), 0.0);
    assertEquals(1.0, depth.get(3).relativeDepth(), 0.0);
    assertEquals(0.75, depth.get(3).srocc(), 0.0);
  }

  private static FactorTable.FactorRow find(List<FactorTable.FactorRow> rows, String factor, String level) {
    return rows.stream().filter(r -> r.factor().equals(factor) && r.level().equals(level)).findFirst().orElseThrow();
  }
}
