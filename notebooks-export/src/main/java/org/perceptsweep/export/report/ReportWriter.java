package org.perceptsweep.export.report;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.jfree.chart.JFreeChart;
import org.perceptsweep.export.ResultTable;
import org.perceptsweep.export.TableRenderers;

/**
 * Writes a whole report into one folder: {@code index.html} (static, no network needed),
 * {@code report.ipynb} (nbformat 4.5), {@code figures/} (PNG + SVG of every chart) and
 * {@code tables/} (CSV, Markdown, LaTeX of every table).
 */
public final class ReportWriter {
  /** Columns the statistics add to the correlations table; the report uses them when present. */
  public static final List<String> OPTIONAL_CORRELATION_COLUMNS = List.of("srocc_ci_low", "srocc_ci_high",
      "plcc_fitted", "rmse_fitted", "fit_converged", "plcc_ci_low", "plcc_ci_high");
  /** Result tables the report renders when the study has them. */
  public static final List<String> OPTIONAL_TABLES = List.of("comparisons", "factors", "findings");
  /** The table that opens each dataset with a section of its own rather than being listed at the end. */
  static final String FINDINGS = "findings";

  private ReportWriter() {}

  public static ReportSummary write(ReportInput input, Path folder) {
    try {
      return writeOrThrow(input, folder);
    } catch (IOException e) {
      throw new UncheckedIOException("writing the report to " + folder, e);
    }
  }

  /** What the report cannot show because the study lacks it, one line each. */
  public static List<String> missing(ReportInput input) {
    List<String> notes = new ArrayList<>();
    List<String> absent = OPTIONAL_CORRELATION_COLUMNS.stream()
        .filter(c -> !input.correlationColumns().contains(c)).toList();
    if (!absent.isEmpty()) {
      notes.add("The correlations table has no column " + String.join(", ", absent)
          + ": " + (absent.contains("srocc_ci_low") ? "no bootstrap intervals are shown" : "")
          + (absent.contains("srocc_ci_low") && absent.contains("plcc_fitted") ? " and " : "")
          + (absent.contains("plcc_fitted") ? "no logistic-fitted PLCC is listed" : "")
          + (absent.contains("srocc_ci_low") || absent.contains("plcc_fitted") ? "" : "those values are not shown")
          + " (rerun aggregate with a version that writes them).");
    }
    for (String t : OPTIONAL_TABLES) {
      if (!input.extraTables().containsKey(t)) {
        notes.add("No " + t + " table in the study: its section is left out (aggregate writes it).");
      }
    }
    if (input.nets().isEmpty()) {
      notes.add("No nets table in the study: no factor summaries; relative depth uses the deepest tap index "
          + "seen (extract writes the nets table).");
    }
    notes.addAll(input.notes());
    return notes;
  }

  private static ReportSummary writeOrThrow(ReportInput input, Path folder) throws IOException {
    Path figures = folder.resolve("figures");
    Path tables = folder.resolve("tables");
    Files.createDirectories(figures);
    Files.createDirectories(tables);
    List<Figure> allFigures = new ArrayList<>();
    List<Path> tableFiles = new ArrayList<>();
    List<String> notes = missing(input);
    List<Block> doc = new ArrayList<>();

    doc.add(new Block.Heading(1, "PerceptSweep report", "top"));
    doc.add(new Block.Text(intro(input)));
    doc.add(new Block.Text("Agreement is a correlation with the human scores signed so that a positive value "
        + "means the metric orders images the way people do, whatever the directions of the metric (distance "
        + "or similarity) and of the scores (MOS or DMOS). SROCC is Spearman's rank correlation, KROCC Kendall's "
        + "tau-b, PLCC Pearson's linear correlation; the fitted PLCC is taken after the 5-parameter logistic "
        + "of VQEG. A net's relative depth is the tap index divided by its number of taps."));
    if (!notes.isEmpty()) {
      doc.add(new Block.Heading(2, "What is missing", "missing"));
      doc.add(new Block.Bullets(notes));
    }
    doc.add(new Block.Code(loadCode(input.source())));

    for (String dataset : input.datasets()) {
      DatasetView v = new DatasetView(dataset, input.correlations(), input.nets());
      String slug = slug(dataset);
      doc.add(new Block.Heading(2, "Dataset " + dataset, "ds-" + slug));
      doc.add(new Block.Text(datasetIntro(v)));
      ResultTable findingsTable = input.extraTables().get(FINDINGS);
      List<FindingsSection.Finding> findings = findingsTable == null ? List.of()
          : FindingsSection.rows(findingsTable, dataset);
      if (!findings.isEmpty()) {
        doc.add(new Block.Heading(3, "Findings", "findings-" + slug));
        doc.add(new Block.Text(FindingsSection.intro(findings)));
        doc.add(writeTable(FindingsSection.table(findings), tables, slug, tableFiles));
        FindingsSection.chart(findings, dataset).ifPresent(c -> doc.add(chart(c, figures, slug + "-findings",
            "Findings: estimates and 95% intervals per claim", "Each row of the findings table with an interval:"
                + " the dot is the estimate on all pairs, the line its 95% interval over the reference resamples,"
                + " green supported, red contradicted, grey inconclusive. Bottom axis: differences of agreement"
                + " SROCC (dashed: 0 and +-delta); top axis: the depth trends of claim 6.", 1000,
            FindingsSection.height(findings), allFigures)));
      }
      List<ReportTable> reportTables = new ArrayList<>(ReportTables.all(v));
      for (Map.Entry<String, ResultTable> e : input.extraTables().entrySet()) {
        if (!e.getKey().equals(FINDINGS)) {
          extraTable(e.getKey(), e.getValue(), dataset).ifPresent(reportTables::add);
        }
      }
      List<Block.Chart> charts = new ArrayList<>();
      ReportCharts.depth(v).ifPresent(c -> charts.add(chart(c, figures, slug + "-depth",
          "Agreement vs relative depth", "The study's central figure: agreement SROCC of each tap against its "
              + "relative depth, one line per net.", 960, 600, allFigures)));
      for (String factor : ReportTables.NET_FACTORS) {
        final int height = ReportCharts.factorHeight(v);
        ReportCharts.factor(v, factor).ifPresent(c -> charts.add(chart(c, figures, slug + "-factor-" + factor,
            "Best-tap agreement by " + factor.replace('_', ' '), "Each net at its best cell, coloured by "
                + factor.replace('_', ' ') + "; dashed lines: baselines.", 900, height, allFigures)));
      }
      for (ScatterData s : input.scatter()) {
        if (!s.dataset().equals(dataset)) {
          continue;
        }
        Double srocc = v.cell(s.cell()).map(CorrelationRecord::srocc).orElse(null);
        String label = DatasetView.scoreLabel(s.scoreKind(), s.higherIsBetter());
        charts.add(chart(ReportCharts.scatter(s, label, srocc), figures,
            slug + "-scatter-" + slug(s.cell().net() + "-" + s.cell().tap() + "-" + s.cell().readout()),
            "Distance vs human score: " + s.cell(), "Every pair of the dataset for " + s.cell()
                + ", with the 5-parameter logistic fitted from the metric to the scores.", 760, 540, allFigures));
      }
      ReportCharts.heatmap(v).ifPresent(c -> charts.add(chart(c, figures, slug + "-distortions",
          "Agreement per distortion type", "Agreement SROCC within each distortion type for each net's best "
              + "cell on the whole dataset.", ReportCharts.heatmapWidth(v), ReportCharts.heatmapHeight(v),
          allFigures)));

      // Order: depth figure, taps, best, factors + factor charts, baselines + scatter, distortions + heatmap.
      for (Block.Chart c : charts) {
        if (c.figure().id().endsWith("-depth")) {
          doc.add(c);
        }
      }
      for (ReportTable t : reportTables) {
        doc.add(writeTable(t, tables, slug, tableFiles));
        String follows = switch (t.id()) {
          case "factors" -> "-factor-";
          case "baselines" -> "-scatter-";
          case "distortions" -> "-distortions";
          default -> null;
        };
        if (follows != null) {
          charts.stream().filter(c -> c.figure().id().contains(follows)).forEach(doc::add);
        }
      }
      // Scatter plots also when there is no baseline table.
      if (reportTables.stream().noneMatch(t -> t.id().equals("baselines"))) {
        charts.stream().filter(c -> c.figure().id().contains("-scatter-")).forEach(doc::add);
      }
      doc.add(new Block.Code(datasetCode(dataset)));
    }
    Path html = folder.resolve("index.html");
    Files.writeString(html, HtmlReport.render(doc), StandardCharsets.UTF_8);
    Path notebook = folder.resolve("report.ipynb");
    Files.writeString(notebook, NotebookWriter.render(doc, folder), StandardCharsets.UTF_8);
    return new ReportSummary(folder, html, notebook, allFigures, tableFiles, notes);
  }

  private static Block.Chart chart(JFreeChart chart, Path dir, String id, String title, String caption, int w, int h,
      List<Figure> all) {
    Figure f = ChartFiles.write(chart, dir, id, title, caption, w, h);
    all.add(f);
    return new Block.Chart(f, "figures/" + id + ".png", "figures/" + id + ".svg");
  }

  private static Block.Table writeTable(ReportTable t, Path dir, String slug, List<Path> files) throws IOException {
    String stem = slug + "-" + t.id();
    Path csv = dir.resolve(stem + ".csv");
    Path md = dir.resolve(stem + ".md");
    Path tex = dir.resolve(stem + ".tex");
    StringWriter w = new StringWriter();
    TableRenderers.writeCsv(t.data(), w);
    Files.writeString(csv, w.toString(), StandardCharsets.UTF_8);
    Files.writeString(md, "**" + t.title() + "**. " + t.caption() + "\n\n" + TableRenderers.markdown(t.display()),
        StandardCharsets.UTF_8);
    Files.writeString(tex, "% " + t.title() + ". " + t.caption().replace("\n", " ") + "\n"
        + TableRenderers.latex(t.display()), StandardCharsets.UTF_8);
    files.addAll(List.of(csv, md, tex));
    return new Block.Table(t, "tables/" + stem + ".csv", "tables/" + stem + ".md", "tables/" + stem + ".tex");
  }

  /** A study table rendered as it is, restricted to the dataset when it has a dataset column. */
  static Optional<ReportTable> extraTable(String name, ResultTable table, String dataset) {
    int ds = table.columns().indexOf("dataset");
    List<List<Object>> rows = new ArrayList<>();
    for (List<Object> r : table.rows()) {
      if (ds < 0 || dataset.equals(r.get(ds))) {
        List<Object> copy = new ArrayList<>(r);
        if (ds >= 0) {
          copy.remove(ds);
        }
        rows.add(copy);
      }
    }
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    List<String> cols = new ArrayList<>(table.columns());
    if (ds >= 0) {
      cols.remove(ds);
    }
    ResultTable data = new ResultTable(cols, rows);
    String title = "comparisons".equals(name) ? "Paired comparisons (from the comparisons table)"
        : "factors".equals(name) ? "Factors (from the factors table)" : "Table " + name;
    return Optional.of(new ReportTable("table-" + name, title, "The study's " + name
        + " table as written by aggregate, rows of this dataset" + (ds < 0 ? " (the table has no dataset column: all rows)" : "")
        + ".", data, data));
  }

  static String intro(ReportInput input) {
    TreeSet<String> nets = new TreeSet<>();
    TreeSet<String> classic = new TreeSet<>();
    TreeSet<String> readouts = new TreeSet<>();
    for (CorrelationRecord r : input.correlations()) {
      boolean isClassic = input.nets().stream().anyMatch(n -> n.net().equals(r.net()) && n.classic())
          || (input.nets().stream().noneMatch(n -> n.net().equals(r.net())) && r.tapIndex() == 0);
      (isClassic ? classic : nets).add(r.net());
      readouts.add(r.readout());
    }
    return "This report shows how well the representations of " + nets.size() + " net(s) ("
        + (nets.isEmpty() ? "none" : String.join(", ", nets)) + ") and " + classic.size() + " classic metric(s) ("
        + (classic.isEmpty() ? "none" : String.join(", ", classic)) + ") predict human image-quality scores on "
        + input.datasets().size() + " dataset(s) (" + String.join(", ", input.datasets()) + "), read out with "
        + String.join(", ", readouts) + ". The sweep measured a distance between each reference and distorted "
        + "image at every tap of every net, then correlated the distances with the scores. The tables come from "
        + "the study at `" + input.source() + "`.";
  }

  static String datasetIntro(DatasetView v) {
    long cells = v.all().size();
    int pairs = v.all().stream().mapToInt(CorrelationRecord::n).max().orElse(0);
    String best = v.bestCell().map(r -> " The best cell is " + r.cell() + " with agreement SROCC "
        + ReportTables.withInterval(r.srocc(), r.sroccCiLow(), r.sroccCiHigh()) + ".").orElse("");
    return pairs + " pairs scored as " + v.scoreLabel() + "; " + cells + " cells (net x tap x readout) on the "
        + "whole dataset and " + v.distortions().size() + " distortion type(s)." + best;
  }

  static String loadCode(String source) {
    return "# Reload the study's result tables (Parquet, hive-style partitions) with pandas + pyarrow.\n"
        + "from pathlib import Path\n"
        + "import pandas as pd\n\n"
        + "STUDY = " + pythonString(source) + "  # the --in folder of 'percept-sweep report'\n\n"
        + "def table(name):\n"
        + "    \"\"\"One result table as a DataFrame, or None when the study has no such table.\"\"\"\n"
        + "    path = f\"{STUDY.rstrip('/')}/{name}\"\n"
        + "    if \"://\" not in path and not Path(path).exists():\n"
        + "        return None\n"
        + "    return pd.read_parquet(path)\n\n"
        + "correlations = table(\"correlations\")\n"
        + "nets = table(\"nets\")\n"
        + "manifest = table(\"manifest\")\n"
        + "comparisons = table(\"comparisons\")\n"
        + "factors = table(\"factors\")\n"
        + "findings = table(\"findings\")\n"
        + "correlations.head()";
  }

  static String datasetCode(String dataset) {
    return "# Every tap on " + dataset + " (whole dataset), best first; go on from here.\n"
        + "c = correlations[(correlations.dataset == " + pythonString(dataset) + ") & (correlations.distortion == \"all\")]\n"
        + "c.sort_values(\"srocc\", ascending=False)[[\"net\", \"tap\", \"tap_index\", \"readout\", \"n\", \"srocc\", \"plcc\"]].head(20)";
  }

  static String pythonString(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  static String slug(String s) {
    String out = s.replaceAll("[^A-Za-z0-9._-]+", "-");
    return out.isEmpty() ? "x" : out;
  }
}
