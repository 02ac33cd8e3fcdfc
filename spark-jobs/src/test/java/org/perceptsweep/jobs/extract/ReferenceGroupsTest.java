package org.perceptsweep.jobs.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The driver's plan of reference chunks and group numbers, against hand-worked cases and a brute-force count. */
class ReferenceGroupsTest {
  @Test
  void chunksFollowSortedPairIdsAndGroupsFollowDatasetRefChunkOrder() {
    List<ReferenceGroups.PairKey> keys = new ArrayList<>();
    // Reference b/r1 has 7 pairs given out of order; a/r9 has 2; a/r1 has 3. Chunks of at most 3.
    for (String p : new String[] {"p6", "p0", "p3", "p1", "p5", "p2", "p4"}) {
      keys.add(new ReferenceGroups.PairKey("b", "r1", p));
    }
    keys.add(new ReferenceGroups.PairKey("a", "r9", "x1"));
    keys.add(new ReferenceGroups.PairKey("a", "r9", "x0"));
    for (String p : new String[] {"q2", "q0", "q1"}) {
      keys.add(new ReferenceGroups.PairKey("a", "r1", p));
    }
    ReferenceGroups plan = ReferenceGroups.plan(keys, 3);
    // Groups: a/r1 chunk 0 -> 0, a/r9 chunk 0 -> 1, b/r1 chunks 0, 1, 2 -> 2, 3, 4.
    assertEquals(5, plan.groups());
    assertEquals(0, plan.group("a", "r1", plan.chunk("a", "r1", "q2")));
    assertEquals(1, plan.group("a", "r9", plan.chunk("a", "r9", "x0")));
    String[] pairs = {"p0", "p1", "p2", "p3", "p4", "p5", "p6"};
    int[] chunks = {0, 0, 0, 1, 1, 1, 2};
    for (int i = 0; i < pairs.length; i++) {
      assertEquals(chunks[i], plan.chunk("b", "r1", pairs[i]), pairs[i]);
      assertEquals(2 + chunks[i], plan.group("b", "r1", chunks[i]), pairs[i]);
    }
  }

  @Test
  void everyChunkHoldsAtMostMaxGroupSizeAndChunksAreContiguous() {
    Random rnd = new Random(7);
    for (int trial = 0; trial < 50; trial++) {
      int max = 1 + rnd.nextInt(9);
      int n = 1 + rnd.nextInt(60);
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        ids.add(String.format("id%03d", rnd.nextInt(1000)) + "-" + i);
      }
      List<ReferenceGroups.PairKey> keys = new ArrayList<>();
      ids.forEach(id -> keys.add(new ReferenceGroups.PairKey("d", "r", id)));
      ReferenceGroups plan = ReferenceGroups.plan(keys, max);
      Collections.sort(ids);
      // Brute force: the k-th pair in sorted order is in chunk k / max.
      for (int k = 0; k < n; k++) {
        assertEquals(k / max, plan.chunk("d", "r", ids.get(k)), "max " + max + ", pair " + k + " of " + n);
      }
      assertEquals((n + max - 1) / max, plan.groups());
    }
  }

  @Test
  void aReferenceOutsideThePlanIsAnError() {
    ReferenceGroups plan = ReferenceGroups.plan(List.of(new ReferenceGroups.PairKey("d", "r", "p")), 4);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> plan.chunk("d", "other", "p"));
    assertTrue(e.getMessage().contains("other"), e.getMessage());
  }
}
