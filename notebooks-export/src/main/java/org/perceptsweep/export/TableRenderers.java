package org.perceptsweep.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** CSV, Markdown and console renderings of a {@link ResultTable}. */
public final class TableRenderers {
  private TableRenderers() {}

  public static void writeCsv(ResultTable table, Writer out) {
    try {
      CSVPrinter p = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setRecordSeparator("\n").get());
      p.printRecord(table.columns());
      for (List<Object> row : table.rows()) {
        p.printRecord(row.stream().map(ResultTable::csvValue).toList());
      }
      p.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String markdown(ResultTable table) {
    StringBuilder sb = new StringBuilder();
    sb.append("| ").append(String.join(" | ", table.columns())).append(" |\n");
    sb.append("|").append("---|".repeat(table.columns().size())).append("\n");
    for (List<Object> row : table.rows()) {
      sb.append("| ");
      for (int i = 0; i < row.size(); i++) {
        if (i > 0) {
          sb.append(" | ");
        }
        String cell = ResultTable.displayValue(row.get(i)).replace("|", "\\|");
        sb.append(row.get(i) instanceof Marked ? "**" + cell + "**" : cell);
      }
      sb.append(" |\n");
    }
    return sb.toString();
  }

  /** A fixed-width table for the console, numbers right-aligned. */
  public static String text(ResultTable table) {
    int cols = table.columns().size();
    int[] width = new int[cols];
    boolean[] numeric = new boolean[cols];
    for (int c = 0; c < cols; c++) {
      width[c] = table.columns().get(c).length();
      numeric[c] = true;
    }
    for (List<Object> row : table.rows()) {
      for (int c = 0; c < cols; c++) {
        Object v = row.get(c);
        width[c] = Math.max(width[c], ResultTable.displayValue(v).length() + (v instanceof Marked ? 1 : 0));
        Object plain = v instanceof Marked m ? m.value() : v;
        if (plain != null && !(plain instanceof Number)) {
          numeric[c] = false;
        }
      }
    }
    StringBuilder sb = new StringBuilder();
    appendLine(sb, table.columns().stream().map(s -> (Object) s).toList(), width, numeric, true);
    int total = 0;
    for (int w : width) {
      total += w + 2;
    }
    sb.append("-".repeat(Math.max(0, total - 2))).append('\n');
    for (List<Object> row : table.rows()) {
      appendLine(sb, row, width, numeric, false);
    }
    return sb.toString();
  }

  /**
   * As {@link #text}, with the values of {@code noteColumn} (reasons, often long) moved under the
   * table as numbered notes, so the table stays narrow: the column shows {@code [1]}, {@code [2]},
   * ... (one number per distinct text, in order of appearance) and nothing where there is no note;
   * the notes follow as lines {@code [1] text}. Without any note the column is left out.
   */
  public static String textWithNotes(ResultTable table, String noteColumn) {
    int at = table.columns().indexOf(noteColumn);
    if (at < 0) {
      throw new IllegalArgumentException("no column '" + noteColumn + "' in " + table.columns());
    }
    Map<String, Integer> notes = new LinkedHashMap<>();
    List<List<Object>> rows = new ArrayList<>();
    for (List<Object> row : table.rows()) {
      List<Object> copy = new ArrayList<>(row);
      Object note = row.get(at);
      if (note == null || note.toString().isBlank()) {
        copy.set(at, "");
      } else {
        copy.set(at, "[" + notes.computeIfAbsent(note.toString().strip(), k -> notes.size() + 1) + "]");
      }
      rows.add(copy);
    }
    List<String> columns = new ArrayList<>(table.columns());
    if (notes.isEmpty()) {
      columns.remove(at);
      rows.forEach(r -> r.remove(at));
    }
    StringBuilder sb = new StringBuilder(text(new ResultTable(columns, rows)));
    notes.forEach((text, n) -> sb.append('[').append(n).append("] ").append(text).append('\n'));
    return sb.toString();
  }

  private static void appendLine(StringBuilder sb, List<Object> values, int[] width, boolean[] right, boolean header) {
    for (int c = 0; c < values.size(); c++) {
      Object v = values.get(c);
      String s = header ? v.toString() : ResultTable.displayValue(v) + (v instanceof Marked ? "*" : "");
      String pad = " ".repeat(width[c] - s.length());
      sb.append(right[c] ? pad + s : s + pad);
      if (c < values.size() - 1) {
        sb.append("  ");
      }
    }
    int end = sb.length();
    while (end > 0 && sb.charAt(end - 1) == ' ') {
      end--;
    }
    sb.setLength(end);
    sb.append('\n');
  }

  /**
   * A LaTeX {@code tabular} (booktabs rules: needs {@code \\usepackage{booktabs}}), numbers
   * right-aligned, special characters escaped, {@link Marked} values in bold.
   */
  public static String latex(ResultTable table) {
    int cols = table.columns().size();
    StringBuilder spec = new StringBuilder();
    for (int c = 0; c < cols; c++) {
      boolean numeric = !table.rows().isEmpty();
      for (List<Object> row : table.rows()) {
        Object v = row.get(c) instanceof Marked m ? m.value() : row.get(c);
        if (v != null && !(v instanceof Number)) {
          numeric = false;
        }
      }
      spec.append(numeric ? 'r' : 'l');
    }
    StringBuilder sb = new StringBuilder();
    sb.append("\\begin{tabular}{").append(spec).append("}\n\\toprule\n");
    sb.append(String.join(" & ", table.columns().stream().map(TableRenderers::latexEscape).toList()))
        .append(" \\\\\n\\midrule\n");
    for (List<Object> row : table.rows()) {
      for (int i = 0; i < row.size(); i++) {
        if (i > 0) {
          sb.append(" & ");
        }
        String cell = latexEscape(ResultTable.displayValue(row.get(i)));
        sb.append(row.get(i) instanceof Marked ? "\\textbf{" + cell + "}" : cell);
      }
      sb.append(" \\\\\n");
    }
    sb.append("\\bottomrule\n\\end{tabular}\n");
    return sb.toString();
  }

  static String latexEscape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '\\' -> sb.append("\\textbackslash{}");
        case '&', '%', '$', '#', '_', '{', '}' -> sb.append('\\').append(ch);
        case '~' -> sb.append("\\textasciitilde{}");
        case '^' -> sb.append("\\textasciicircum{}");
        default -> sb.append(ch);
      }
    }
    return sb.toString();
  }

  /** An HTML {@code <table>} (escaped; numbers get class {@code num}; {@link Marked} in bold). */
  public static String html(ResultTable table) {
    StringBuilder sb = new StringBuilder("<table>\n<thead><tr>");
    for (String c : table.columns()) {
      sb.append("<th>").append(htmlEscape(c)).append("</th>");
    }
    sb.append("</tr></thead>\n<tbody>\n");
    for (List<Object> row : table.rows()) {
      sb.append("<tr>");
      for (Object v : row) {
        Object plain = v instanceof Marked m ? m.value() : v;
        String cell = htmlEscape(ResultTable.displayValue(v));
        sb.append(plain instanceof Number ? "<td class=\"num\">" : "<td>")
            .append(v instanceof Marked ? "<strong>" + cell + "</strong>" : cell).append("</td>");
      }
      sb.append("</tr>\n");
    }
    sb.append("</tbody>\n</table>\n");
    return sb.toString();
  }

  public static String htmlEscape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
