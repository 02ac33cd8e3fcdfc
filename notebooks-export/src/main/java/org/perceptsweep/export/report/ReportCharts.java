package org.perceptsweep.export.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.perceptsweep.core.stats.LogisticFit;
import org.perceptsweep.core.stats.LogisticFitResult;

/** The report's charts, drawn with JFreeChart from a {@link DatasetView}. No files: see {@link ChartFiles}. */
public final class ReportCharts {
  /** Tableau-10 colours: distinct, readable on white and for most colour-blind readers. */
  static final Color[] PALETTE = {new Color(0x4e79a7), new Color(0xf28e2b), new Color(0xe15759),
      new Color(0x76b7b2), new Color(0x59a14f), new Color(0xedc948), new Color(0xb07aa1), new Color(0xff9da7),
      new Color(0x9c755f), new Color(0xbab0ac)};
  static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 16);
  static final Font SUBTITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

  private ReportCharts() {}

  static Color colour(int i) {
    return PALETTE[i % PALETTE.length];
  }

  /**
   * Agreement SROCC against relative depth (tap index / tap count), one line per net at its best
   * readout, the 95% interval as a band when the correlations have one; the classic baselines and
   * LPIPS as dashed horizontal lines. Empty when no net has a tap with a depth.
   */
  public static Optional<JFreeChart> depth(DatasetView v) {
    YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (CorrelationRecord best : v.bestPerNet().values()) {
      if (v.isClassic(best.net())) {
        continue;
      }
      YIntervalSeries s = new YIntervalSeries(best.net() + " (" + best.readout() + ")");
      for (CorrelationRecord r : v.all()) {
        Double depth = v.relativeDepth(r);
        if (!r.net().equals(best.net()) || !r.readout().equals(best.readout()) || depth == null
            || r.srocc() == null || r.srocc().isNaN()) {
          continue;
        }
        double low = r.hasInterval() ? r.sroccCiLow() : r.srocc();
        double high = r.hasInterval() ? r.sroccCiHigh() : r.srocc();
        s.add(depth, r.srocc(), low, high);
        lo = Math.min(lo, low);
        hi = Math.max(hi, high);
      }
      if (s.getItemCount() > 0) {
        data.addSeries(s);
      }
    }
    if (data.getSeriesCount() == 0) {
      return Optional.empty();
    }
    DeviationRenderer renderer = new DeviationRenderer(true, true);
    renderer.setAlpha(0.18f);
    for (int i = 0; i < data.getSeriesCount(); i++) {
      renderer.setSeriesPaint(i, colour(i));
      renderer.setSeriesFillPaint(i, colour(i));
      renderer.setSeriesStroke(i, new BasicStroke(2.2f));
    }
    NumberAxis x = new NumberAxis("relative depth (tap index / tap count)");
    x.setRange(0, 1.04);
    NumberAxis y = new NumberAxis("agreement SROCC with human scores");
    XYPlot plot = new XYPlot(data, x, y, renderer);
    int k = 0;
    for (Map.Entry<String, CorrelationRecord> b : v.baselines().entrySet()) {
      double value = b.getValue().srocc();
      ValueMarker m = new ValueMarker(value, Color.DARK_GRAY, new BasicStroke(1.2f, BasicStroke.CAP_BUTT,
          BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
      m.setLabel(b.getKey() + " " + ReportTables.fmt(value));
      m.setLabelFont(SUBTITLE);
      m.setLabelPaint(Color.DARK_GRAY);
      // Alternate label sides so that close baselines stay readable.
      m.setLabelAnchor(k % 2 == 0 ? RectangleAnchor.TOP_LEFT : RectangleAnchor.TOP_RIGHT);
      m.setLabelTextAnchor(k % 2 == 0 ? TextAnchor.BOTTOM_LEFT : TextAnchor.BOTTOM_RIGHT);
      m.setLabelOffset(new RectangleInsets(2, 6, 2, 6));
      plot.addRangeMarker(m);
      lo = Math.min(lo, value);
      hi = Math.max(hi, value);
      k++;
    }
    double pad = Math.max(0.03, (hi - lo) * 0.08);
    y.setRange(Math.max(-1.0, lo - pad), Math.min(1.0, hi + pad));
    if (!(y.getUpperBound() > y.getLowerBound())) {
      y.setRange(lo - 0.05, hi + 0.05);
    }
    style(plot);
    JFreeChart chart = chart("Agreement with humans vs depth: " + v.dataset(), plot, true);
    chart.addSubtitle(subtitle(v.hasIntervals()
        ? "lines: each net at its best readout; bands: 95% bootstrap interval; dashed: baselines"
        : "lines: each net at its best readout; dashed: baselines (no intervals in the correlations table)"));
    return Optional.of(chart);
  }

  /**
   * Each net's best-cell agreement, grouped (coloured) by the levels of one factor of the nets
   * table; empty when no net has the factor.
   */
  public static Optional<JFreeChart> factor(DatasetView v, String factor) {
    Map<String, List<CorrelationRecord>> levels = new TreeMap<>();
    for (CorrelationRecord r : v.bestPerNet().values()) {
      v.net(r.net()).filter(n -> !n.classic())
          .ifPresent(n -> levels.computeIfAbsent(n.factor(factor), l -> new ArrayList<>()).add(r));
    }
    if (levels.isEmpty()) {
      return Optional.empty();
    }
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    List<Color> paints = new ArrayList<>();
    LegendItemCollection legend = new LegendItemCollection();
    int level = 0;
    for (Map.Entry<String, List<CorrelationRecord>> e : levels.entrySet()) {
      List<CorrelationRecord> rows = new ArrayList<>(e.getValue());
      rows.sort(Comparator.comparing((CorrelationRecord r) -> -r.srocc()));
      for (CorrelationRecord r : rows) {
        data.addValue(r.srocc(), "best-tap SROCC", r.net() + " (" + r.tap() + ")");
        paints.add(colour(level));
      }
      legend.add(new LegendItem(e.getKey(), colour(level)));
      level++;
    }
    BarRenderer renderer = new BarRenderer() {
      @Override
      public Paint getItemPaint(int row, int column) {
        return paints.get(column);
      }
    };
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setShadowVisible(false);
    renderer.setDrawBarOutline(false);
    renderer.setMaximumBarWidth(0.6);
    CategoryAxis x = new CategoryAxis("net (best tap)");
    x.setTickLabelFont(SUBTITLE);
    NumberAxis y = new NumberAxis("best-tap agreement SROCC");
    double min = v.bestPerNet().values().stream().mapToDouble(CorrelationRecord::srocc).min().orElse(0);
    y.setRange(Math.min(0, min - 0.05), 1.0);
    CategoryPlot plot = new CategoryPlot(data, x, y, renderer);
    plot.setOrientation(PlotOrientation.HORIZONTAL);
    plot.setFixedLegendItems(legend);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(new Color(0xdddddd));
    plot.setOutlineVisible(false);
    for (Map.Entry<String, CorrelationRecord> b : v.baselines().entrySet()) {
      ValueMarker m = new ValueMarker(b.getValue().srocc(), Color.DARK_GRAY, new BasicStroke(1.2f,
          BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
      m.setLabel(b.getKey());
      m.setLabelFont(SUBTITLE);
      m.setLabelAnchor(RectangleAnchor.BOTTOM_LEFT);
      m.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
      plot.addRangeMarker(m);
    }
    JFreeChart chart = chart("Best-tap agreement by " + factor.replace('_', ' ') + ": " + v.dataset(), plot, true);
    return Optional.of(chart);
  }

  /** Height in pixels that gives each bar of a factor chart room for its label. */
  public static int factorHeight(DatasetView v) {
    long nets = v.bestPerNet().values().stream().filter(r -> v.net(r.net()).map(n -> !n.classic()).orElse(false))
        .count();
    return (int) Math.max(360, 150 + 34 * nets);
  }

  /**
   * Distance against human score for one cell, with the 5-parameter logistic fitted by {@link
   * LogisticFit} drawn over it (or the reason there is none in the subtitle).
   */
  public static JFreeChart scatter(ScatterData s, String scoreLabel, Double srocc) {
    XYSeries points = new XYSeries("pairs", false, true);
    for (int i = 0; i < s.metric().length; i++) {
      points.add(s.metric()[i], s.score()[i]);
    }
    XYSeriesCollection pointData = new XYSeriesCollection(points);
    XYLineAndShapeRenderer dots = new XYLineAndShapeRenderer(false, true);
    dots.setSeriesPaint(0, new Color(0x4e79a7));
    dots.setSeriesShape(0, new java.awt.geom.Ellipse2D.Double(-3, -3, 6, 6));
    NumberAxis x = new NumberAxis(s.cell().net() + " / " + s.cell().tap() + " / " + s.cell().readout());
    x.setAutoRangeIncludesZero(false);
    NumberAxis y = new NumberAxis(scoreLabel);
    y.setAutoRangeIncludesZero(false);
    XYPlot plot = new XYPlot(pointData, x, y, dots);
    LogisticFitResult fit = LogisticFit.fit(s.metric(), s.score());
    String fitText;
    if (fit.converged()) {
      double min = java.util.Arrays.stream(s.metric()).min().orElse(0);
      double max = java.util.Arrays.stream(s.metric()).max().orElse(1);
      XYSeries curve = new XYSeries("fitted logistic", true, false);
      for (int i = 0; i <= 200; i++) {
        double xi = min + (max - min) * i / 200.0;
        curve.add(xi, fit.curve().apply(xi));
      }
      XYLineAndShapeRenderer line = new XYLineAndShapeRenderer(true, false);
      line.setSeriesPaint(0, new Color(0xe15759));
      line.setSeriesStroke(0, new BasicStroke(2.5f));
      plot.setDataset(1, new XYSeriesCollection(curve));
      plot.setRenderer(1, line);
      fitText = "PLCC after logistic fit " + ReportTables.fmt(fit.plcc()) + ", RMSE " + ReportTables.fmt(fit.rmse());
    } else {
      fitText = "no logistic fit: " + fit.failureReason();
    }
    style(plot);
    JFreeChart chart = chart(s.dataset() + ": " + s.cell(), plot, true);
    chart.addSubtitle(subtitle("n = " + s.metric().length + "; agreement SROCC "
        + (srocc == null ? "-" : ReportTables.fmt(srocc)) + "; " + fitText));
    return chart;
  }

  /**
   * Agreement per distortion type (columns) of each net's best cell and each classic metric
   * (rows), coloured on a diverging scale from -1 (disagrees) to +1 (agrees), values written in the
   * cells; empty without distortion types.
   */
  public static Optional<JFreeChart> heatmap(DatasetView v) {
    List<String> types = v.distortions();
    Map<String, CorrelationRecord> rows = ReportTables.distortionRows(v);
    if (types.isEmpty() || rows.isEmpty()) {
      return Optional.empty();
    }
    List<String> labels = new ArrayList<>(rows.keySet());
    int n = types.size() * labels.size();
    double[][] xyz = new double[3][n];
    XYBlockRenderer renderer = new XYBlockRenderer();
    List<XYTextAnnotation> notes = new ArrayList<>();
    int i = 0;
    for (int row = 0; row < labels.size(); row++) {
      CorrelationRecord cell = rows.get(labels.get(row));
      // The best row on top: rows are drawn bottom-up, so the first label goes last.
      int yIndex = labels.size() - 1 - row;
      for (int col = 0; col < types.size(); col++) {
        Double value = v.cell(cell.cell(), types.get(col)).map(CorrelationRecord::srocc).orElse(null);
        xyz[0][i] = col;
        xyz[1][i] = yIndex;
        xyz[2][i] = value == null ? Double.NaN : value;
        XYTextAnnotation t = new XYTextAnnotation(value == null ? "-" : ReportTables.fmt(value, 2), col, yIndex);
        t.setFont(SUBTITLE);
        t.setPaint(value != null && Math.abs(value) > 0.6 ? Color.WHITE : Color.BLACK);
        notes.add(t);
        i++;
      }
    }
    DefaultXYZDataset data = new DefaultXYZDataset();
    data.addSeries("srocc", xyz);
    PaintScale scale = new DivergingScale();
    renderer.setPaintScale(scale);
    List<String> bottomUp = new ArrayList<>(labels);
    java.util.Collections.reverse(bottomUp);
    SymbolAxis x = new SymbolAxis("distortion type", types.toArray(String[]::new));
    x.setGridBandsVisible(false);
    x.setVerticalTickLabels(types.stream().anyMatch(t -> t.length() > 10) || types.size() > 8);
    SymbolAxis y = new SymbolAxis(null, bottomUp.toArray(String[]::new));
    y.setGridBandsVisible(false);
    XYPlot plot = new XYPlot(data, x, y, renderer);
    notes.forEach(plot::addAnnotation);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinesVisible(false);
    plot.setRangeGridlinesVisible(false);
    plot.setOutlineVisible(false);
    JFreeChart chart = chart("Agreement per distortion type: " + v.dataset(), plot, false);
    NumberAxis legendAxis = new NumberAxis("SROCC");
    legendAxis.setRange(-1, 1);
    PaintScaleLegend legend = new PaintScaleLegend(scale, legendAxis);
    legend.setPosition(RectangleEdge.RIGHT);
    legend.setAxisLocation(AxisLocation.BOTTOM_OR_RIGHT);
    legend.setMargin(new RectangleInsets(10, 10, 10, 10));
    legend.setStripWidth(14);
    chart.addSubtitle(legend);
    return Optional.of(chart);
  }

  public static int heatmapWidth(DatasetView v) {
    int longest = ReportTables.distortionRows(v).keySet().stream().mapToInt(String::length).max().orElse(10);
    return Math.max(520, 140 + 7 * longest + 78 * v.distortions().size());
  }

  public static int heatmapHeight(DatasetView v) {
    return Math.max(300, 170 + 36 * ReportTables.distortionRows(v).size());
  }

  /** -1 red, 0 white, +1 blue; NaN (undefined) light grey. */
  static final class DivergingScale implements PaintScale {
    @Override
    public double getLowerBound() {
      return -1;
    }

    @Override
    public double getUpperBound() {
      return 1;
    }

    @Override
    public Paint getPaint(double value) {
      if (Double.isNaN(value)) {
        return new Color(0xe0e0e0);
      }
      double t = Math.max(-1, Math.min(1, value));
      Color end = t < 0 ? new Color(0xb2182b) : new Color(0x2166ac);
      double a = Math.abs(t);
      return new Color((int) Math.round(255 + (end.getRed() - 255) * a),
          (int) Math.round(255 + (end.getGreen() - 255) * a), (int) Math.round(255 + (end.getBlue() - 255) * a));
    }
  }

  private static void style(XYPlot plot) {
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xdddddd));
    plot.setRangeGridlinePaint(new Color(0xdddddd));
    plot.setOutlineVisible(false);
  }

  private static JFreeChart chart(String title, org.jfree.chart.plot.Plot plot, boolean legend) {
    JFreeChart chart = new JFreeChart(title, TITLE, plot, legend);
    chart.setBackgroundPaint(Color.WHITE);
    chart.setAntiAlias(true);
    chart.setTextAntiAlias(true);
    if (chart.getLegend() != null) {
      chart.getLegend().setFrame(BlockBorder.NONE);
      chart.getLegend().setItemFont(SUBTITLE);
    }
    return chart;
  }

  private static TextTitle subtitle(String text) {
    TextTitle t = new TextTitle(text, SUBTITLE);
    t.setPaint(Color.DARK_GRAY);
    return t;
  }
}
