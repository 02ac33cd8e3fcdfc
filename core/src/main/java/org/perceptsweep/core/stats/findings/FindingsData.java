package org.perceptsweep.core.stats.findings;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The points of one dataset for the findings: every pair's reference and human score, and every
 * cell's distance per pair. Collected in any order (Spark gives none); {@link #align} puts the
 * cells a claim uses side by side on the pairs all of them measured, in pair-id order, so that
 * every statistic is paired and the same data give the same numbers on every run.
 */
public final class FindingsData {
  private final String dataset;
  private final boolean higherIsBetter;
  private final TreeMap<String, String> refOf = new TreeMap<>();
  private final Map<String, Double> scoreOf = new HashMap<>();
  private final Map<FindingCell, Map<String, Double>> cells = new LinkedHashMap<>();

  /** @param higherIsBetter the score's direction (MOS: true; DMOS, distortion level: false) */
  public FindingsData(String dataset, boolean higherIsBetter) {
    this.dataset = dataset;
    this.higherIsBetter = higherIsBetter;
  }

  public String dataset() {
    return dataset;
  }

  public boolean higherIsBetter() {
    return higherIsBetter;
  }

  /** A pair of the manifest; a NaN score leaves the pair out of every statistic. */
  public FindingsData pair(String pairId, String refId, double score) {
    refOf.put(pairId, refId);
    scoreOf.put(pairId, score);
    return this;
  }

  /** The distance of one pair in one cell; NaN (a failed measurement) leaves the pair out. */
  public FindingsData distance(FindingCell cell, String pairId, double distance) {
    cells.computeIfAbsent(cell, c -> new HashMap<>()).put(pairId, distance);
    return this;
  }

  public Collection<FindingCell> cells() {
    return cells.keySet();
  }

  /** Pairs of the manifest. */
  public int pairCount() {
    return refOf.size();
  }

  /**
   * The used cells on the pairs that all of them measured (no NaN distance, no NaN score), in
   * pair-id order.
   */
  public Aligned align(Collection<FindingCell> used) {
    List<String> pairs = new ArrayList<>();
    for (Map.Entry<String, String> p : refOf.entrySet()) {
      String pair = p.getKey();
      if (Double.isNaN(scoreOf.get(pair))) {
        continue;
      }
      boolean all = true;
      for (FindingCell c : used) {
        Double v = cells.getOrDefault(c, Map.of()).get(pair);
        if (v == null || Double.isNaN(v)) {
          all = false;
          break;
        }
      }
      if (all) {
        pairs.add(pair);
      }
    }
    int n = pairs.size();
    double[] score = new double[n];
    String[] refs = new String[n];
    for (int i = 0; i < n; i++) {
      score[i] = scoreOf.get(pairs.get(i));
      refs[i] = refOf.get(pairs.get(i));
    }
    Map<FindingCell, double[]> metric = new LinkedHashMap<>();
    for (FindingCell c : used) {
      Map<String, Double> values = cells.get(c);
      double[] m = new double[n];
      for (int i = 0; i < n; i++) {
        m[i] = values.get(pairs.get(i));
      }
      metric.put(c, m);
    }
    return new Aligned(score, refs, metric);
  }

  /** Cells side by side on common pairs: score, reference and each cell's metric per pair. */
  public record Aligned(double[] score, String[] refIds, Map<FindingCell, double[]> metric) {
    public int pairs() {
      return score.length;
    }
  }
}
