package org.perceptsweep.jobs.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.perceptsweep.core.UserInputException;

class ProgressTextTest {
  /** 175 pairs x 3 nets = 525; done 70 + 35 + 175 = 280 (53%) in 20 s: 14 pairs/s, 245 left: 17.5 s. */
  private static ProgressText.Extract extract() {
    Map<String, Long> done = new LinkedHashMap<>();
    done.put("alex", 70L);
    done.put("squeeze", 35L);
    done.put("psnr", 175L);
    return new ProgressText.Extract("live-jpeg", 175, done, 20);
  }

  @Test
  void plainLineHasTheClockTheExtractsRateEtaAndEachNet() {
    ProgressText.Snapshot s = new ProgressText.Snapshot(65, 0, 0, extract(), "extract live-jpeg", 9, 12);
    assertEquals("progress 00:01:05  extract live-jpeg (175 pairs x 3 nets) 53%, 14 pairs/s, ETA 18s; "
        + "alex 70/175, squeeze 35/175, psnr 175/175", ProgressText.line(s));
  }

  @Test
  void barCountsTheSweepsCellsPlusTheCurrentExtractsShare() {
    // (2 cells + 0.533 of the current one) / 10 = 25%: 5 of 20 marks.
    ProgressText.Snapshot s = new ProgressText.Snapshot(65, 2, 10, extract(), null, 0, 0);
    assertEquals("[#####...............] cells 2/10 | extract live-jpeg (175 pairs x 3 nets) 53%, 14 pairs/s, "
        + "ETA 18s | alex 70/175  squeeze 35/175  psnr 175/175", ProgressText.bar(s, 200));
    assertEquals("[#####...............] cells 2/1...", ProgressText.bar(s, 35)); // 32 + "..."
  }

  @Test
  void withoutAnExtractTheStagesTasksAreShown() {
    ProgressText.Snapshot s = new ProgressText.Snapshot(7, 0, 0, null, "aggregate live-jpeg", 3, 8);
    assertEquals("progress 00:00:07  aggregate live-jpeg: tasks 3/8", ProgressText.line(s));
  }

  @Test
  void countsStopAtTheTotalAndNoEtaBeforeAnythingIsDone() {
    Map<String, Long> done = new LinkedHashMap<>();
    done.put("alex", 0L);
    done.put("psnr", 180L); // a recomputed partition counted twice
    ProgressText.Snapshot s = new ProgressText.Snapshot(3, 0, 0, new ProgressText.Extract("d", 175, done, 0), null,
        0, 0);
    assertEquals("progress 00:00:03  extract d (175 pairs x 2 nets) 50%, 0.0 pairs/s, ETA -; alex 0/175, psnr 175/175",
        ProgressText.line(s));
  }

  @Test
  void durations() {
    assertEquals("42s", ProgressText.duration(42.4));
    assertEquals("4m05s", ProgressText.duration(245));
    assertEquals("1h02m", ProgressText.duration(3720));
  }

  @Test
  void modeFromTheSettingOrWhetherThereIsATerminal() {
    assertEquals(ConsoleProgress.Mode.BAR, ConsoleProgress.mode(null, true));
    assertEquals(ConsoleProgress.Mode.LINES, ConsoleProgress.mode(" ", false));
    assertEquals(ConsoleProgress.Mode.LINES, ConsoleProgress.mode("lines", true));
    assertEquals(ConsoleProgress.Mode.OFF, ConsoleProgress.mode("OFF", true));
    assertThrows(UserInputException.class, () -> ConsoleProgress.mode("loud", true));
  }
}
