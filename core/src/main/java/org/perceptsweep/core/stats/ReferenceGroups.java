package org.perceptsweep.core.stats;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The pairs of one cell grouped by reference image, computed once and shared by every resample.
 * References are numbered in sorted order of their ids, not in order of appearance, so that the
 * same seed draws the same references however the rows of a cell arrive (Spark gives no order).
 */
public final class ReferenceGroups {
  private final String[] referenceIds;
  private final int[] referenceOfPair;
  private final int[][] pairsOfReference;

  private ReferenceGroups(String[] referenceIds, int[] referenceOfPair, int[][] pairsOfReference) {
    this.referenceIds = referenceIds;
    this.referenceOfPair = referenceOfPair;
    this.pairsOfReference = pairsOfReference;
  }

  /**
   * @param refIdOfPair the reference id of each pair, in the same order as the metric and score
   *     arrays
   * @throws IllegalArgumentException when the array or one of its ids is null
   */
  public static ReferenceGroups of(String[] refIdOfPair) {
    if (refIdOfPair == null) {
      throw new IllegalArgumentException("reference id array must not be null");
    }
    TreeSet<String> distinct = new TreeSet<>();
    for (int i = 0; i < refIdOfPair.length; i++) {
      if (refIdOfPair[i] == null) {
        throw new IllegalArgumentException("reference id of pair index " + i + " is null");
      }
      distinct.add(refIdOfPair[i]);
    }
    String[] ids = distinct.toArray(new String[0]);
    Map<String, Integer> indexOf = new HashMap<>(ids.length * 2);
    for (int r = 0; r < ids.length; r++) {
      indexOf.put(ids[r], r);
    }
    int[] referenceOfPair = new int[refIdOfPair.length];
    int[] sizes = new int[ids.length];
    for (int i = 0; i < refIdOfPair.length; i++) {
      int r = indexOf.get(refIdOfPair[i]);
      referenceOfPair[i] = r;
      sizes[r]++;
    }
    int[][] pairs = new int[ids.length][];
    for (int r = 0; r < ids.length; r++) {
      pairs[r] = new int[sizes[r]];
    }
    int[] filled = new int[ids.length];
    for (int i = 0; i < referenceOfPair.length; i++) {
      int r = referenceOfPair[i];
      pairs[r][filled[r]++] = i;
    }
    return new ReferenceGroups(ids, referenceOfPair, pairs);
  }

  public int pairCount() {
    return referenceOfPair.length;
  }

  public int referenceCount() {
    return referenceIds.length;
  }

  /** The id of reference number {@code reference} (numbers follow sorted id order). */
  public String referenceId(int reference) {
    return referenceIds[reference];
  }

  /** The reference number of pair index {@code pair}. */
  public int referenceOf(int pair) {
    return referenceOfPair[pair];
  }

  /** The pair indices of one reference, ascending (a copy). */
  public int[] pairsOf(int reference) {
    return pairsOfReference[reference].clone();
  }

  /** Shared, not copied: callers inside the package must not modify it. */
  int[] referenceOfPairArray() {
    return referenceOfPair;
  }

  int[][] pairsOfReferenceArrays() {
    return pairsOfReference;
  }

  @Override
  public String toString() {
    return "ReferenceGroups[" + referenceIds.length + " references, " + referenceOfPair.length
        + " pairs, ids=" + Arrays.toString(Arrays.copyOf(referenceIds, Math.min(5, referenceIds.length)))
        + (referenceIds.length > 5 ? "..." : "") + "]";
  }
}
