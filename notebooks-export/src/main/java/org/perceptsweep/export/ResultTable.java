package org.perceptsweep.export;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A result table as plain values (no Spark): column names and rows. Renders to CSV, Markdown and a
 * fixed-width console table. Doubles print with up to 6 significant decimals in text renderings;
 * CSV keeps full precision (Java's shortest round-tripping form).
 */
public record ResultTable(List<String> columns, List<List<Object>> rows) {
  public ResultTable {
    columns = List.copyOf(columns);
    List<List<Object>> copy = new ArrayList<>(rows.size());
    for (List<Object> r : rows) {
      if (r.size() != columns.size()) {
        throw new IllegalArgumentException("row has " + r.size() + " values for " + columns.size() + " columns");
      }
      copy.add(java.util.Collections.unmodifiableList(new ArrayList<>(r)));
    }
    rows = List.copyOf(copy);
  }

  /** Value as written in CSV: empty for null, full precision for numbers. */
  static String csvValue(Object v) {
    if (v instanceof Marked m) {
      return csvValue(m.value());
    }
    return v == null ? "" : v.toString();
  }

  /** Value as shown to people: 4 decimals for doubles, "-" for null. */
  static String displayValue(Object v) {
    if (v instanceof Marked m) {
      return displayValue(m.value());
    }
    if (v == null) {
      return "-";
    }
    if (v instanceof Double d) {
      if (d.isNaN() || d.isInfinite()) {
        return d.toString();
      }
      return String.format(Locale.ROOT, "%.4f", d);
    }
    if (v instanceof Float f) {
      return displayValue(f.doubleValue());
    }
    return v.toString();
  }
}
