package org.perceptsweep.export.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Paint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.perceptsweep.export.Marked;
import org.perceptsweep.export.ResultTable;

/**
 * The Findings section that opens each dataset of a report: the study's claims tested on the data
 * (the {@code findings} table), as a table and one figure of the estimates with their 95%
 * intervals, coloured by verdict. Pure logic; reads the table by column name.
 */
public final class FindingsSection {
  /** The claim whose statistics are rank correlations (depth trends), drawn on their own axis. */
  static final int DEPTH_TREND_CLAIM = 6;
  static final Color SUPPORTED = new Color(0x59a14f);
  static final Color CONTRADICTED = new Color(0xe15759);
  static final Color INCONCLUSIVE = new Color(0x8c8c8c);

  /** One findings row of a dataset. */
  public record Finding(int claimNo, String statement, String subject, String subjectKind, String statistic,
      Double estimate, Double low, Double high, String verdict, String reason, String cells, double delta,
      int depthThreshold, int resamples) {
    boolean set() {
      return "set".equals(subjectKind);
    }

    boolean hasInterval() {
      return estimate != null && low != null && high != null;
    }
  }

  private FindingsSection() {}

  /** The rows of one dataset, by claim, the set row first, then subjects in name order. */
  public static List<Finding> rows(ResultTable findings, String dataset) {
    List<String> c = findings.columns();
    List<Finding> out = new ArrayList<>();
    for (List<Object> r : findings.rows()) {
      if (!dataset.equals(r.get(c.indexOf("dataset")))) {
        continue;
      }
      out.add(new Finding(((Number) r.get(c.indexOf("claim_no"))).intValue(), (String) r.get(c.indexOf("statement")),
          (String) r.get(c.indexOf("subject")), (String) r.get(c.indexOf("subject_kind")),
          (String) r.get(c.indexOf("statistic")), (Double) r.get(c.indexOf("estimate")),
          (Double) r.get(c.indexOf("ci_low")), (Double) r.get(c.indexOf("ci_high")), (String) r.get(c.indexOf("verdict")),
          (String) r.get(c.indexOf("reason")), (String) r.get(c.indexOf("cells")),
          ((Number) r.get(c.indexOf("equivalence_delta"))).doubleValue(),
          ((Number) r.get(c.indexOf("depth_threshold"))).intValue(),
          ((Number) r.get(c.indexOf("bootstrap_resamples"))).intValue()));
    }
    out.sort(Comparator.comparingInt(Finding::claimNo).thenComparing(f -> !f.set()).thenComparing(Finding::subject));
    return out;
  }

  /** Text that introduces the section: what the claims are and how verdicts are made. */
  public static String intro(List<Finding> rows) {
    Finding any = rows.get(0);
    long supported = rows.stream().filter(f -> f.set() && f.verdict().equals("supported")).count();
    long claims = rows.stream().mapToInt(Finding::claimNo).distinct().count();
    return "The conclusions of the study behind PerceptSweep (Analysis of Deep Image Quality Models, arXiv "
        + "2302.13345), tested on this dataset: " + supported + " of " + claims + " claims supported over their whole"
        + " set of nets. Each statistic (mostly a difference of agreement SROCC between best cells, each net's best"
        + " tap and readout chosen again in every resample) has a 95% interval over " + any.resamples()
        + " reference resamples, the correlations' own; a claim is supported when the interval lies on its side"
        + " (above 0 for \"beats\", inside +-" + ReportTables.fmt(any.delta(), 3) + " for \"little difference\"),"
        + " contradicted when it lies on the other side, inconclusive otherwise. Very deep nets have more than "
        + any.depthThreshold() + " weight layers. `not testable` says what the sweep lacks.";
  }

  /** The findings as a report table: the set row of each claim first, then its subjects. */
  public static ReportTable table(List<Finding> rows) {
    List<String> dataCols = List.of("claim_no", "statement", "subject", "subject_kind", "statistic", "estimate",
        "ci_low", "ci_high", "verdict", "reason", "cells");
    List<String> displayCols = List.of("claim", "subject", "verdict", "estimate [95% CI]", "reason");
    List<List<Object>> data = new ArrayList<>();
    List<List<Object>> display = new ArrayList<>();
    for (Finding f : rows) {
      data.add(java.util.Arrays.asList(f.claimNo(), f.statement(), f.subject(), f.subjectKind(), f.statistic(),
          f.estimate(), f.low(), f.high(), f.verdict(), f.reason(), f.cells()));
      String claim = f.set() ? f.claimNo() + ". " + f.statement() : "";
      String estimate = f.estimate() == null ? "-" : ReportTables.withInterval(f.estimate(), f.low(), f.high());
      display.add(java.util.Arrays.asList(claim, f.set() ? new Marked(f.subject()) : f.subject(),
          f.set() ? new Marked(f.verdict()) : f.verdict(), estimate, f.reason()));
    }
    return new ReportTable("findings", "Findings: the study's claims on this dataset",
        "One row per claim over its whole set of nets (bold), then one per net or pair of nets. The statistic of each"
            + " row is in the CSV file (column statistic) with the cells it used.",
        new ResultTable(dataCols, data), new ResultTable(displayCols, display));
  }

  /** Rows with an estimate and interval, as they are drawn (top to bottom). */
  static List<Finding> drawn(List<Finding> rows) {
    return rows.stream().filter(Finding::hasInterval).toList();
  }

  /** Height in pixels that gives each drawn row room for its label. */
  public static int height(List<Finding> rows) {
    return Math.max(320, 170 + 20 * drawn(rows).size());
  }

  /**
   * Each row's estimate (dot) and 95% interval (line), coloured by verdict; differences of
   * agreement SROCC on the bottom axis with lines at 0 and +-delta, the depth trends (claim 6, rank
   * correlations) on the top axis. Empty when no row has an interval.
   */
  public static Optional<JFreeChart> chart(List<Finding> rows, String dataset) {
    List<Finding> drawn = drawn(rows);
    if (drawn.isEmpty()) {
      return Optional.empty();
    }
    // Not sorted by x: item i keeps the paint of the i-th row added.
    YIntervalSeries differences = new YIntervalSeries("differences", false, true);
    YIntervalSeries trends = new YIntervalSeries("depth trends", false, true);
    List<String> labels = new ArrayList<>();
    List<Paint> diffPaints = new ArrayList<>();
    List<Paint> trendPaints = new ArrayList<>();
    double extent = drawn.get(0).delta();
    for (int i = 0; i < drawn.size(); i++) {
      Finding f = drawn.get(i);
      double x = drawn.size() - 1 - i; // first row on top
      labels.add(0, f.claimNo() + " " + (f.set() ? "all" : f.subject()));
      if (f.claimNo() == DEPTH_TREND_CLAIM) {
        trends.add(x, f.estimate(), f.low(), f.high());
        trendPaints.add(paint(f.verdict()));
      } else {
        differences.add(x, f.estimate(), f.low(), f.high());
        diffPaints.add(paint(f.verdict()));
        extent = Math.max(extent, Math.max(Math.abs(f.low()), Math.abs(f.high())));
      }
    }
    SymbolAxis rowsAxis = new SymbolAxis(null, labels.toArray(String[]::new));
    rowsAxis.setGridBandsVisible(false);
    rowsAxis.setTickLabelFont(ReportCharts.SUBTITLE);
    NumberAxis diffAxis = new NumberAxis("difference of agreement SROCC (first minus second; 0 and +-delta dashed)");
    double pad = extent * 1.15;
    diffAxis.setRange(-pad, pad);
    XYPlot plot = new XYPlot();
    plot.setOrientation(PlotOrientation.HORIZONTAL);
    plot.setDomainAxis(rowsAxis);
    plot.setRangeAxis(0, diffAxis);
    YIntervalSeriesCollection diffData = new YIntervalSeriesCollection();
    if (differences.getItemCount() > 0) {
      diffData.addSeries(differences);
    }
    plot.setDataset(0, diffData);
    plot.setRenderer(0, renderer(diffPaints));
    plot.mapDatasetToRangeAxis(0, 0);
    plot.addRangeMarker(0, marker(0, 1.4f), Layer.BACKGROUND);
    plot.addRangeMarker(0, marker(-drawn.get(0).delta(), 1f), Layer.BACKGROUND);
    plot.addRangeMarker(0, marker(drawn.get(0).delta(), 1f), Layer.BACKGROUND);
    if (trends.getItemCount() > 0) {
      NumberAxis trendAxis = new NumberAxis("depth trend (claim 6): Spearman's rho of relative depth and agreement");
      trendAxis.setRange(-1.1, 1.1);
      plot.setRangeAxis(1, trendAxis);
      plot.setRangeAxisLocation(1, AxisLocation.TOP_OR_LEFT);
      YIntervalSeriesCollection trendData = new YIntervalSeriesCollection();
      trendData.addSeries(trends);
      plot.setDataset(1, trendData);
      plot.setRenderer(1, renderer(trendPaints));
      plot.mapDatasetToRangeAxis(1, 1);
    }
    plot.setRangeAxisLocation(0, AxisLocation.BOTTOM_OR_RIGHT);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xeeeeee));
    plot.setRangeGridlinePaint(new Color(0xdddddd));
    plot.setOutlineVisible(false);
    LegendItemCollection legend = new LegendItemCollection();
    legend.add(new LegendItem("supported", SUPPORTED));
    legend.add(new LegendItem("contradicted", CONTRADICTED));
    legend.add(new LegendItem("inconclusive", INCONCLUSIVE));
    plot.setFixedLegendItems(legend);
    JFreeChart chart = new JFreeChart("Findings: " + dataset, ReportCharts.TITLE, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    chart.getLegend().setItemFont(ReportCharts.SUBTITLE);
    chart.getLegend().setFrame(org.jfree.chart.block.BlockBorder.NONE);
    return Optional.of(chart);
  }

  static Color paint(String verdict) {
    return switch (verdict) {
      case "supported" -> SUPPORTED;
      case "contradicted" -> CONTRADICTED;
      default -> INCONCLUSIVE;
    };
  }

  /** A dot at the estimate and a bar over the interval, both in the row's verdict colour. */
  private static XYErrorRenderer renderer(List<Paint> paints) {
    XYErrorRenderer r = new XYErrorRenderer() {
      @Override
      public Paint getItemPaint(int series, int item) {
        return paints.get(item);
      }
    };
    r.setDrawXError(false);
    r.setDrawYError(true);
    r.setDefaultLinesVisible(false);
    r.setDefaultShapesVisible(true);
    r.setSeriesLinesVisible(0, false);
    r.setSeriesShape(0, new java.awt.geom.Ellipse2D.Double(-5, -5, 10, 10));
    r.setErrorStroke(new BasicStroke(2.4f));
    r.setCapLength(8);
    return r;
  }

  private static ValueMarker marker(double value, float width) {
    return new ValueMarker(value, Color.DARK_GRAY, new BasicStroke(width, BasicStroke.CAP_BUTT,
        BasicStroke.JOIN_MITER, 10f, new float[] {5f, 4f}, 0f));
  }
}
