package org.perceptsweep.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
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
        sb.append(ResultTable.displayValue(row.get(i)).replace("|", "\\|"));
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
        width[c] = Math.max(width[c], ResultTable.displayValue(v).length());
        if (v != null && !(v instanceof Number)) {
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

  private static void appendLine(StringBuilder sb, List<Object> values, int[] width, boolean[] right, boolean header) {
    for (int c = 0; c < values.size(); c++) {
      String s = header ? values.get(c).toString() : ResultTable.displayValue(values.get(c));
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
}
