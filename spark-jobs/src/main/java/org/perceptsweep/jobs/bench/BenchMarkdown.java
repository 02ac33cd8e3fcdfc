package org.perceptsweep.jobs.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.perceptsweep.export.ResultTable;
import org.perceptsweep.export.TableRenderers;

/**
 * The benchmark table in Markdown, and the merge of a run's sections into docs/benchmarks.md: each
 * benchmark owns one {@code ## } section, replaced by title; sections written by others (an
 * "Aggregation" section of the statistics work, for one) are kept as they are. Plain Java.
 */
public final class BenchMarkdown {
  public static final List<String> COLUMNS = List.of("benchmark", "case", "subject", "subject value", "baseline",
      "baseline value", "unit", "ratio", "target", "verdict", "runs");

  private BenchMarkdown() {}

  /** The table of all rows, one line per row, figures rounded for reading (raw figures are listed apart). */
  public static String table(List<BenchRow> rows) {
    List<List<Object>> out = new ArrayList<>();
    for (BenchRow r : rows) {
      out.add(List.of(r.benchmark(), r.case_(), r.subject(), fmt(r.subjectValue()), r.baseline(),
          fmt(r.baselineValue()), r.unit(), fmt(r.ratio()) + "x",
          Double.isNaN(r.target()) ? "-" : fmt(r.target()) + "x", r.verdict(), r.runs()));
    }
    return TableRenderers.markdown(new ResultTable(COLUMNS, out));
  }

  /** One benchmark's section: heading, context lines, its rows, notes and raw figures. */
  public static String section(BenchResult result, List<String> context) {
    StringBuilder sb = new StringBuilder("## ").append(result.title()).append("\n\n");
    for (String c : context) {
      sb.append("- ").append(c).append('\n');
    }
    if (!context.isEmpty()) {
      sb.append('\n');
    }
    if (!result.rows().isEmpty()) {
      sb.append(table(result.rows())).append('\n');
    }
    for (String n : result.notes()) {
      sb.append("- ").append(n).append('\n');
    }
    if (!result.raw().isEmpty()) {
      sb.append("\nRaw figures (each timed round, in run order; the amount of work in brackets):\n\n```\n");
      result.raw().forEach(r -> sb.append(r).append('\n'));
      sb.append("```\n");
    }
    return sb.append('\n').toString();
  }

  /**
   * Replaces the {@code ## } sections of {@code existing} whose headings match those of
   * {@code sections} (in place) and appends the new ones; keeps everything else, the text before
   * the first section included. An empty {@code existing} gets {@code preamble} first.
   */
  public static String merge(String existing, String preamble, Map<String, String> sections) {
    String base = existing == null || existing.isBlank() ? preamble : existing;
    List<String> order = new ArrayList<>();
    Map<String, String> parts = new LinkedHashMap<>();
    StringBuilder head = new StringBuilder();
    String current = null;
    StringBuilder body = new StringBuilder();
    boolean inFence = false;
    for (String line : base.split("\n", -1)) {
      if (line.startsWith("```")) {
        inFence = !inFence;
      }
      if (!inFence && line.startsWith("## ")) {
        if (current != null) {
          parts.put(current, body.toString());
          order.add(current);
        }
        current = line.substring(3).trim();
        body = new StringBuilder();
      }
      if (current == null) {
        head.append(line).append('\n');
      } else {
        body.append(line).append('\n');
      }
    }
    if (current != null) {
      parts.put(current, body.toString());
      order.add(current);
    }
    for (Map.Entry<String, String> s : sections.entrySet()) {
      if (!parts.containsKey(s.getKey())) {
        order.add(s.getKey());
      }
      parts.put(s.getKey(), s.getValue());
    }
    StringBuilder out = new StringBuilder(head.toString().replaceAll("\n+$", "\n\n"));
    for (String title : order) {
      String text = parts.get(title).replaceAll("\n+$", "\n");
      out.append(text).append('\n');
    }
    return out.toString().replaceAll("\n+$", "\n");
  }

  /** Whole numbers as they are, else two decimals below 10, one below 100, none above; "n/a" for NaN. */
  static String fmt(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    double a = Math.abs(v);
    if (a >= 100 || (v == Math.rint(v) && a < 1e15)) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    return String.format(Locale.ROOT, "%.2f", v);
  }
}
