package org.perceptsweep.udf.readout;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.perceptsweep.core.UserInputException;

/**
 * Reference-disjoint k-fold assignment: every pair of one reference image lands in the same fold,
 * so no reference is in both a training and a test fold. Deterministic for a seed: the distinct
 * reference ids are sorted, shuffled with {@code java.util.Random(seed)} and dealt round-robin to
 * folds 0..k-1 (fold sizes in references differ by at most one).
 */
public final class ReferenceFolds {
  private ReferenceFolds() {}

  /** Reference id to fold, for the distinct ids among {@code refIds}. */
  public static Map<String, Integer> assign(Collection<String> refIds, int folds, long seed) {
    List<String> refs = new ArrayList<>(new TreeSet<>(refIds));
    if (folds < 2) {
      throw new UserInputException("--folds must be at least 2, got " + folds);
    }
    if (refs.size() < folds) {
      throw new UserInputException("reference-disjoint " + folds + "-fold cross-validation needs at least " + folds
          + " reference images, but the data has " + refs.size() + "; lower --folds");
    }
    Collections.shuffle(refs, new Random(seed));
    Map<String, Integer> out = new LinkedHashMap<>();
    for (int i = 0; i < refs.size(); i++) {
      out.put(refs.get(i), i % folds);
    }
    return out;
  }

  /** The fold of each pair, given each pair's reference id. */
  public static int[] foldOfPairs(String[] pairRefIds, int folds, long seed) {
    Map<String, Integer> byRef = assign(List.of(pairRefIds), folds, seed);
    int[] out = new int[pairRefIds.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = byRef.get(pairRefIds[i]);
    }
    return out;
  }
}
