package org.perceptsweep.core.stats.findings;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * A statistic of the agreements, evaluated the same way on the whole sample and in each resample.
 * Selections (a net's best cell, the best of a group) are made inside the sample they are
 * evaluated on, so the bootstrap interval includes the choice.
 */
interface Stat {
  /** The value in a sample (0 = all pairs, 1..B = resamples); NaN when undefined there. */
  double at(AgreementTable t, int sample);

  /** The cells behind the value on the whole sample, for the table's {@code cells} column. */
  String cells(AgreementTable t);

  /** Every cell the statistic may read. */
  Set<FindingCell> uses();

  /** The highest agreement of the cells (ties: the first listed); NaN when none is defined. */
  static Stat best(List<FindingCell> cells) {
    if (cells.isEmpty()) {
      throw new IllegalArgumentException("a best-of needs cells");
    }
    return new Best(List.copyOf(cells));
  }

  /** a - b. */
  static Stat minus(Stat a, Stat b) {
    return new Stat() {
      @Override
      public double at(AgreementTable t, int s) {
        return a.at(t, s) - b.at(t, s);
      }

      @Override
      public String cells(AgreementTable t) {
        return a.cells(t) + " vs " + b.cells(t);
      }

      @Override
      public Set<FindingCell> uses() {
        return union(a, b);
      }
    };
  }

  enum Fold { MIN, MAX, MEAN, MAX_ABS }

  /**
   * The smallest, largest, mean or largest absolute value over the parts, in each sample; NaN when
   * any part is undefined there (a set claim speaks for all its subjects).
   */
  static Stat fold(Fold fold, List<String> names, List<Stat> parts) {
    return new Stat() {
      @Override
      public double at(AgreementTable t, int s) {
        double acc = fold == Fold.MIN ? Double.POSITIVE_INFINITY : fold == Fold.MEAN ? 0 : Double.NEGATIVE_INFINITY;
        for (Stat p : parts) {
          double v = p.at(t, s);
          if (Double.isNaN(v)) {
            return Double.NaN;
          }
          acc = switch (fold) {
            case MIN -> Math.min(acc, v);
            case MAX -> Math.max(acc, v);
            case MEAN -> acc + v / parts.size();
            case MAX_ABS -> Math.max(acc, Math.abs(v));
          };
        }
        return acc;
      }

      @Override
      public String cells(AgreementTable t) {
        if (fold == Fold.MEAN) {
          return "mean of " + String.join(", ", names);
        }
        int pick = 0;
        double best = Double.NaN;
        for (int i = 0; i < parts.size(); i++) {
          double v = parts.get(i).at(t, 0);
          double key = fold == Fold.MAX_ABS ? Math.abs(v) : v;
          if (Double.isNaN(best) || (fold == Fold.MIN ? key < best : key > best)) {
            best = key;
            pick = i;
          }
        }
        return names.get(pick) + ": " + parts.get(pick).cells(t);
      }

      @Override
      public Set<FindingCell> uses() {
        return union(parts.toArray(Stat[]::new));
      }
    };
  }

  /**
   * The depth trend of one net: Spearman's rank correlation of tap index (equivalently relative
   * depth) and agreement over the net's real taps, read out with the readout of its best cell in
   * that sample. NaN with fewer than 3 defined taps or a constant agreement.
   */
  static Stat depthTrend(List<FindingCell> realTapCells) {
    return new Stat() {
      @Override
      public double at(AgreementTable t, int s) {
        FindingCell best = Best.argBest(realTapCells, t, s);
        return best == null ? Double.NaN : spearman(points(best.readout(), t, s));
      }

      @Override
      public String cells(AgreementTable t) {
        FindingCell best = Best.argBest(realTapCells, t, 0);
        return best == null ? "-" : best.net() + "/*/" + best.readout() + " over "
            + points(best.readout(), t, 0).size() + " taps";
      }

      private TreeMap<Integer, Double> points(String readout, AgreementTable t, int s) {
        TreeMap<Integer, Double> byDepth = new TreeMap<>();
        for (FindingCell c : realTapCells) {
          double v = t.at(c, s);
          if (c.readout().equals(readout) && !Double.isNaN(v)) {
            byDepth.put(c.tapIndex(), v);
          }
        }
        return byDepth;
      }

      @Override
      public Set<FindingCell> uses() {
        return new LinkedHashSet<>(realTapCells);
      }
    };
  }

  /** Spearman's rho of key order (distinct keys) against values with average ranks for ties. */
  static double spearman(TreeMap<Integer, Double> byDepth) {
    int n = byDepth.size();
    if (n < 3) {
      return Double.NaN;
    }
    double[] x = new double[n];
    double[] y = new double[n];
    int i = 0;
    for (double v : byDepth.values()) {
      x[i] = i + 1;
      y[i] = v;
      i++;
    }
    double[] ry = averageRanks(y);
    double mx = (n + 1) / 2.0;
    double my = 0;
    for (double r : ry) {
      my += r / n;
    }
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int k = 0; k < n; k++) {
      sxy += (x[k] - mx) * (ry[k] - my);
      sxx += (x[k] - mx) * (x[k] - mx);
      syy += (ry[k] - my) * (ry[k] - my);
    }
    return syy == 0 ? Double.NaN : sxy / Math.sqrt(sxx * syy);
  }

  static double[] averageRanks(double[] v) {
    int n = v.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Double.compare(v[a], v[b]));
    double[] ranks = new double[n];
    int k = 0;
    while (k < n) {
      int end = k;
      while (end + 1 < n && v[order[end + 1]] == v[order[k]]) {
        end++;
      }
      double rank = (k + end) / 2.0 + 1;
      for (int j = k; j <= end; j++) {
        ranks[order[j]] = rank;
      }
      k = end + 1;
    }
    return ranks;
  }

  private static Set<FindingCell> union(Stat... parts) {
    Set<FindingCell> all = new LinkedHashSet<>();
    for (Stat p : parts) {
      all.addAll(p.uses());
    }
    return all;
  }

  /** Highest agreement over cells. */
  final class Best implements Stat {
    private final List<FindingCell> cells;

    private Best(List<FindingCell> cells) {
      this.cells = cells;
    }

    @Override
    public double at(AgreementTable t, int s) {
      double best = Double.NaN;
      for (FindingCell c : cells) {
        double v = t.at(c, s);
        if (!Double.isNaN(v) && (Double.isNaN(best) || v > best)) {
          best = v;
        }
      }
      return best;
    }

    @Override
    public String cells(AgreementTable t) {
      FindingCell pick = argBest(cells, t, 0);
      return pick == null ? "-" : pick.label();
    }

    @Override
    public Set<FindingCell> uses() {
      return new LinkedHashSet<>(cells);
    }

    /** The best defined cell in a sample (the first of equals), or null. */
    static FindingCell argBest(List<FindingCell> cells, AgreementTable t, int s) {
      FindingCell pick = null;
      double best = Double.NaN;
      for (FindingCell c : cells) {
        double v = t.at(c, s);
        if (!Double.isNaN(v) && (pick == null || v > best)) {
          pick = c;
          best = v;
        }
      }
      return pick;
    }
  }

  /** Cells of a list in a stable order: shallower tap first, then readout name, then net. */
  static List<FindingCell> ordered(List<FindingCell> cells) {
    List<FindingCell> out = new ArrayList<>(cells);
    out.sort(java.util.Comparator.comparingInt(FindingCell::tapIndex).thenComparing(FindingCell::readout)
        .thenComparing(FindingCell::net).thenComparing(FindingCell::tap));
    return out;
  }
}
