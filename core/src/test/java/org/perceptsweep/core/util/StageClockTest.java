package org.perceptsweep.core.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StageClockTest {
  @Test
  void differenceCountsOnlyWhatWasAddedBetweenSnapshots() {
    StageClock.add("test.a", 5);
    Map<String, Long> before = StageClock.snapshot();
    StageClock.add("test.a", 7);
    StageClock.add("test.b", 11);
    StageClock.add("test.b", 2);
    Map<String, Long> d = StageClock.difference(before, StageClock.snapshot());
    assertEquals(7L, d.get("test.a"));
    assertEquals(13L, d.get("test.b"));
  }

  @Test
  void sinceAddsTheElapsedTime() {
    Map<String, Long> before = StageClock.snapshot();
    long start = System.nanoTime() - 1_000_000; // started a millisecond ago
    StageClock.since("test.since", start);
    long added = StageClock.difference(before, StageClock.snapshot()).get("test.since");
    assertTrue(added >= 1_000_000, "at least the millisecond before the call: " + added);
  }
}
