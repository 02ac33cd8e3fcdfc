package org.perceptsweep.export.report;

import org.perceptsweep.export.ResultTable;

/**
 * A table of the report: {@code data} (numbers at full precision, one value per column: written as
 * CSV) and {@code display} (what people read: intervals in one cell, the best tap marked; written
 * as Markdown, LaTeX, HTML and in the notebook).
 *
 * @param id file-name stem, unique within a dataset
 */
public record ReportTable(String id, String title, String caption, ResultTable data, ResultTable display) {}
