package org.perceptsweep.export;

/**
 * A table value to emphasise (e.g. the best tap of a net): bold in Markdown, LaTeX and HTML, a
 * trailing {@code *} in console text, the plain value in CSV.
 */
public record Marked(Object value) {
  @Override
  public String toString() {
    return ResultTable.displayValue(value);
  }
}
