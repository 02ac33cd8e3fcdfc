package org.perceptsweep.export.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.perceptsweep.export.ResultTable;

/**
 * Everything a report is made from, as plain values (no Spark): the correlations, the nets table,
 * the points of the scatter cells, other result tables rendered as they are (e.g. {@code
 * comparisons}, {@code factors}; each with a {@code dataset} column when per dataset), and notes
 * on what was missing from the study so the report can say so.
 *
 * @param source where the tables were read (shown in the report, used by the notebook's code)
 * @param correlationColumns the columns the correlations table had
 */
public record ReportInput(String source, List<CorrelationRecord> correlations, List<NetRecord> nets,
    List<ScatterData> scatter, Map<String, ResultTable> extraTables, List<String> correlationColumns,
    List<String> notes) {
  public ReportInput {
    correlations = List.copyOf(correlations);
    nets = List.copyOf(nets);
    scatter = List.copyOf(scatter);
    extraTables = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extraTables));
    correlationColumns = List.copyOf(correlationColumns);
    notes = List.copyOf(notes);
  }

  public List<String> datasets() {
    return correlations.stream().map(CorrelationRecord::dataset).distinct().sorted().toList();
  }
}
