package org.perceptsweep.export.report;

import java.nio.file.Path;
import java.util.List;

/** What a report wrote: its HTML page, notebook, figures and table files, and the notes it made. */
public record ReportSummary(Path folder, Path html, Path notebook, List<Figure> figures, List<Path> tableFiles,
    List<String> notes) {}
