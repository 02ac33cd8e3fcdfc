package org.perceptsweep.export.report;

/**
 * The points of one cell on one dataset: the metric (distance) of each pair against its human
 * score, for the scatter plot with the fitted logistic.
 */
public record ScatterData(String dataset, CellKey cell, double[] metric, double[] score, String scoreKind,
    boolean higherIsBetter) {
  public ScatterData {
    if (metric.length != score.length) {
      throw new IllegalArgumentException(metric.length + " metric values for " + score.length + " scores");
    }
    metric = metric.clone();
    score = score.clone();
  }
}
