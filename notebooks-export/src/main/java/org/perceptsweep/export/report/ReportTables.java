package org.perceptsweep.export.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.perceptsweep.export.Marked;
import org.perceptsweep.export.ResultTable;

/**
 * The paper-style tables of one dataset, built from its correlations and the nets table: every
 * tap with its agreement (best tap marked), each net's best tap, factor summaries, comparisons with
 * the baselines, and agreement per distortion type. Pure logic, no Spark.
 */
public final class ReportTables {
  /** Net factors of the nets table, in the order the report shows them. */
  public static final List<String> NET_FACTORS = List.of("goal", "training_data", "architecture");

  private ReportTables() {}

  public static List<ReportTable> all(DatasetView v) {
    List<ReportTable> out = new ArrayList<>();
    out.add(taps(v));
    out.add(best(v));
    factors(v).ifPresent(out::add);
    baselines(v).ifPresent(out::add);
    distortions(v).ifPresent(out::add);
    return out;
  }

  /** Every tap of every net and readout on the whole dataset; the best tap per net x readout marked. */
  public static ReportTable taps(DatasetView v) {
    boolean ci = v.hasIntervals();
    boolean fit = v.hasFit();
    List<String> dataCols = new ArrayList<>(List.of("net", "readout", "tap_index", "tap", "relative_depth", "n",
        "srocc"));
    if (ci) {
      dataCols.addAll(List.of("srocc_ci_low", "srocc_ci_high"));
    }
    dataCols.addAll(List.of("krocc", "plcc"));
    if (fit) {
      dataCols.addAll(List.of("plcc_fitted", "rmse_fitted"));
    }
    dataCols.addAll(List.of("best_tap", "undefined_reason"));
    List<String> displayCols = new ArrayList<>(List.of("net", "readout", "tap", "depth", "n",
        ci ? "SROCC [95% CI]" : "SROCC", "KROCC", "PLCC"));
    if (fit) {
      displayCols.add("PLCC fitted");
    }
    Map<String, CorrelationRecord> best = v.bestPerReadout();
    List<List<Object>> data = new ArrayList<>();
    List<List<Object>> display = new ArrayList<>();
    for (CorrelationRecord r : v.all()) {
      boolean isBest = best.get(r.net() + "/" + r.readout()) == r;
      Double depth = v.relativeDepth(r);
      List<Object> d = new ArrayList<>(Arrays.asList(r.net(), r.readout(), r.tapIndex(), r.tap(), depth, r.n(),
          r.srocc()));
      if (ci) {
        d.add(r.sroccCiLow());
        d.add(r.sroccCiHigh());
      }
      d.add(r.krocc());
      d.add(r.plcc());
      if (fit) {
        d.add(r.plccFitted());
        d.add(r.rmseFitted());
      }
      d.add(isBest);
      d.add(r.undefinedReason());
      data.add(d);
      String srocc = withInterval(r.srocc(), r.sroccCiLow(), r.sroccCiHigh());
      List<Object> s = new ArrayList<>(Arrays.asList(r.net(), r.readout(), r.tap(),
          depth == null ? (r.tapIndex() == 0 ? "image" : "-") : fmt(depth, 2), r.n(),
          isBest ? new Marked(srocc) : srocc, fmt(r.krocc()), fmt(r.plcc())));
      if (fit) {
        s.add(fmt(r.plccFitted()));
      }
      display.add(s);
    }
    return new ReportTable("taps", "Agreement per tap",
        "Agreement with human scores (SROCC, KROCC, PLCC; positive = agrees) of every tap on the whole dataset; "
            + "depth = tap index / tap count. The best tap of each net and readout is in bold"
            + (ci ? "; 95% bootstrap intervals resample reference images." : "."),
        new ResultTable(dataCols, data), new ResultTable(displayCols, display));
  }

  /** Each net x readout's best tap, best first, with the net's factors. */
  public static ReportTable best(DatasetView v) {
    List<CorrelationRecord> rows = new ArrayList<>(v.bestPerReadout().values());
    rows.sort((a, b) -> Double.compare(b.srocc(), a.srocc()));
    List<List<Object>> data = new ArrayList<>();
    List<List<Object>> display = new ArrayList<>();
    for (CorrelationRecord r : rows) {
      Optional<NetRecord> n = v.net(r.net());
      Double depth = v.relativeDepth(r);
      data.add(Arrays.asList(r.net(), v.isClassic(r.net()) ? "classic" : "net",
          n.map(NetRecord::architecture).orElse(null), n.map(NetRecord::goal).orElse(null),
          n.map(NetRecord::trainingData).orElse(null), r.readout(), r.tap(), r.tapIndex(), depth, r.srocc(),
          r.sroccCiLow(), r.sroccCiHigh(), r.plcc()));
      display.add(Arrays.asList(r.net(), n.map(NetRecord::goal).orElse("-"),
          n.map(NetRecord::trainingData).orElse("-"), n.map(NetRecord::architecture).orElse("-"), r.readout(),
          r.tap(), depth == null ? "-" : fmt(depth, 2), withInterval(r.srocc(), r.sroccCiLow(), r.sroccCiHigh()),
          fmt(r.plcc())));
    }
    return new ReportTable("best", "Best tap per net",
        "Each net and readout at its best tap (highest agreement SROCC on the whole dataset), best first.",
        new ResultTable(List.of("net", "kind", "architecture", "goal", "training_data", "readout", "tap",
            "tap_index", "relative_depth", "srocc", "srocc_ci_low", "srocc_ci_high", "plcc"), data),
        new ResultTable(List.of("net", "goal", "training data", "architecture", "readout", "best tap", "depth",
            "SROCC", "PLCC"), display));
  }

  /**
   * Per factor and level, the distribution of best-tap agreement across the nets (not classic
   * metrics): for goal, training data and architecture each net counts once (its best cell); for
   * readout each net x readout counts once (its best tap). Empty when there are no nets.
   */
  public static Optional<ReportTable> factors(DatasetView v) {
    List<List<Object>> data = new ArrayList<>();
    List<List<Object>> display = new ArrayList<>();
    for (String factor : NET_FACTORS) {
      Map<String, List<CorrelationRecord>> levels = new TreeMap<>();
      for (CorrelationRecord r : v.bestPerNet().values()) {
        Optional<NetRecord> n = v.net(r.net());
        if (n.isPresent() && !n.get().classic()) {
          levels.computeIfAbsent(n.get().factor(factor), k -> new ArrayList<>()).add(r);
        }
      }
      addLevels(factor, levels, data, display);
    }
    Map<String, List<CorrelationRecord>> readouts = new TreeMap<>();
    for (CorrelationRecord r : v.bestPerReadout().values()) {
      if (!v.isClassic(r.net())) {
        readouts.computeIfAbsent(r.readout(), k -> new ArrayList<>()).add(r);
      }
    }
    addLevels("readout", readouts, data, display);
    if (data.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ReportTable("factors", "Factor summaries",
        "Best-tap agreement SROCC grouped by each factor: the nets of each level (classic metrics excluded), "
            + "with min, median, mean and max over them. Goal, training data and architecture come from the nets "
            + "table; each net counts once, at its best cell.",
        new ResultTable(List.of("factor", "level", "cells", "min", "median", "mean", "max", "members"), data),
        new ResultTable(List.of("factor", "level", "cells", "min", "median", "mean", "max", "members"), display)));
  }

  private static void addLevels(String factor, Map<String, List<CorrelationRecord>> levels,
      List<List<Object>> data, List<List<Object>> display) {
    for (Map.Entry<String, List<CorrelationRecord>> e : levels.entrySet()) {
      double[] s = e.getValue().stream().mapToDouble(CorrelationRecord::srocc).sorted().toArray();
      double mean = Arrays.stream(s).average().orElse(Double.NaN);
      double median = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
      String members = String.join(", ", e.getValue().stream()
          .map(r -> factor.equals("readout") ? r.net() : r.net() + " (" + r.tap() + ", " + r.readout() + ")")
          .toList());
      data.add(Arrays.asList(factor, e.getKey(), s.length, s[0], median, mean, s[s.length - 1], members));
      display.add(Arrays.asList(factor, e.getKey(), s.length, fmt(s[0]), fmt(median), fmt(mean),
          fmt(s[s.length - 1]), members));
    }
  }

  /** Each net's best cell against each baseline present (PSNR, SSIM, MS-SSIM, LPIPS). */
  public static Optional<ReportTable> baselines(DatasetView v) {
    Map<String, CorrelationRecord> baselines = v.baselines();
    if (baselines.isEmpty()) {
      return Optional.empty();
    }
    List<List<Object>> data = new ArrayList<>();
    List<List<Object>> display = new ArrayList<>();
    for (CorrelationRecord r : v.bestPerNet().values()) {
      if (v.isClassic(r.net())) {
        continue;
      }
      for (Map.Entry<String, CorrelationRecord> b : baselines.entrySet()) {
        if (b.getValue() == r) {
          continue;
        }
        double diff = r.srocc() - b.getValue().srocc();
        data.add(Arrays.asList(r.net(), r.tap(), r.readout(), r.srocc(), b.getKey(), b.getValue().cell().toString(),
            b.getValue().srocc(), diff));
        display.add(Arrays.asList(r.net() + " (" + r.tap() + ", " + r.readout() + ")", fmt(r.srocc()), b.getKey(),
            fmt(b.getValue().srocc()), diff > 0 ? new Marked(signed(diff)) : signed(diff)));
      }
    }
    if (data.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ReportTable("baselines", "Nets against the baselines",
        "Each net at its best cell against PSNR, SSIM, MS-SSIM and LPIPS (AlexNet, weighted, summed over taps) "
            + "where measured: agreement SROCC and the difference net - baseline (bold when the net agrees more). "
            + "See the comparisons table, when present, for intervals of the differences.",
        new ResultTable(List.of("net", "tap", "readout", "srocc", "baseline", "baseline_cell", "baseline_srocc",
            "difference"), data),
        new ResultTable(List.of("net (best cell)", "SROCC", "baseline", "baseline SROCC", "difference"), display)));
  }

  /**
   * Agreement per distortion type of each net's best cell (chosen on the whole dataset) and of
   * each classic metric; the heatmap's numbers. Empty without distortion types.
   */
  public static Optional<ReportTable> distortions(DatasetView v) {
    List<String> types = v.distortions();
    if (types.isEmpty()) {
      return Optional.empty();
    }
    List<String> dataCols = new ArrayList<>(List.of("net", "tap", "readout", "all"));
    dataCols.addAll(types);
    List<String> displayCols = new ArrayList<>(List.of("cell", "all"));
    displayCols.addAll(types);
    List<List<Object>> data = new ArrayList<>();
    List<List<Object>> display = new ArrayList<>();
    for (Map.Entry<String, CorrelationRecord> e : distortionRows(v).entrySet()) {
      CorrelationRecord r = e.getValue();
      List<Object> d = new ArrayList<>(Arrays.asList(r.net(), r.tap(), r.readout(), r.srocc()));
      List<Object> s = new ArrayList<>(Arrays.asList(e.getKey(), fmt(r.srocc())));
      for (String t : types) {
        Double value = v.cell(r.cell(), t).map(CorrelationRecord::srocc).orElse(null);
        d.add(value);
        s.add(fmt(value));
      }
      data.add(d);
      display.add(s);
    }
    return Optional.of(new ReportTable("distortions", "Agreement per distortion type",
        "Agreement SROCC within each distortion type, for each net's best cell on the whole dataset.",
        new ResultTable(dataCols, data), new ResultTable(displayCols, display)));
  }

  /** Rows of the distortion table and heatmap: label -> each net's best cell, best first. */
  public static Map<String, CorrelationRecord> distortionRows(DatasetView v) {
    List<CorrelationRecord> rows = new ArrayList<>(v.bestPerNet().values());
    rows.sort((a, b) -> Double.compare(b.srocc(), a.srocc()));
    Map<String, CorrelationRecord> out = new LinkedHashMap<>();
    for (CorrelationRecord r : rows) {
      out.put(v.isClassic(r.net()) ? r.net() : r.net() + " (" + r.tap() + ", " + r.readout() + ")", r);
    }
    return out;
  }

  static String withInterval(Double value, Double low, Double high) {
    if (value == null) {
      return "-";
    }
    if (low == null || high == null) {
      return fmt(value);
    }
    return fmt(value) + " [" + fmt(low) + ", " + fmt(high) + "]";
  }

  static String fmt(Double value) {
    return fmt(value, 3);
  }

  static String fmt(Double value, int decimals) {
    if (value == null) {
      return "-";
    }
    if (value.isNaN()) {
      return "NaN";
    }
    return String.format(Locale.ROOT, "%." + decimals + "f", value);
  }

  static String signed(double value) {
    return (value > 0 ? "+" : "") + fmt(value);
  }
}
