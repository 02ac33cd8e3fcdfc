package org.perceptsweep.export.report;

import java.util.List;

/**
 * A piece of the report's document, rendered the same way into the HTML report and the notebook.
 * Text is plain, with {@code `code`} spans.
 */
public sealed interface Block {
  record Heading(int level, String text, String anchor) implements Block {}

  record Text(String text) implements Block {}

  record Bullets(List<String> items) implements Block {}

  /** A table with the paths (relative to the report folder) of its CSV, Markdown and LaTeX files. */
  record Table(ReportTable table, String csv, String markdown, String latex) implements Block {}

  /** A figure with its PNG and SVG paths relative to the report folder. */
  record Chart(Figure figure, String png, String svg) implements Block {}

  /** Python for the notebook only (the HTML report shows no code). */
  record Code(String source) implements Block {}
}
