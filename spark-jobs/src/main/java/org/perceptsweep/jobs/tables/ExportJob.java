package org.perceptsweep.jobs.tables;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.perceptsweep.core.UserInputException;
import org.perceptsweep.export.ResultTable;
import org.perceptsweep.export.TableRenderers;

/**
 * Writes any output table as one CSV (or Markdown, for a {@code .md} target) file, with the
 * columns people look at first and rows in a stable order, so nightly exports diff cleanly.
 */
public final class ExportJob {
  /** Leading columns and sort keys per table; remaining columns follow in table order. */
  private static final Map<String, List<String>> LEADING = Map.ofEntries(
      Map.entry(OutputLayout.MANIFEST, List.of("dataset", "pair_id", "ref_id", "ref_path", "dist_path", "distortion",
          "level", "score", "score_std", "higher_is_better", "score_kind")),
      Map.entry(OutputLayout.DISTANCES, List.of("dataset", "pair_id", "ref_id", "dist_path", "net", "tap_index", "tap",
          "readout", "distance")),
      Map.entry(OutputLayout.REJECTS, List.of("dataset", "stage", "net", "item", "reason")),
      Map.entry(OutputLayout.NETS, List.of("net", "kind", "architecture", "goal", "training_data", "tap_count")),
      Map.entry(OutputLayout.CORRELATIONS, List.of("dataset", "net", "tap_index", "tap", "readout", "distortion", "n",
          "srocc", "krocc", "plcc")),
      Map.entry(OutputLayout.COMPARISONS, List.of("dataset", "distortion", "net_a", "tap_a", "readout_a", "net_b", "tap_b",
          "readout_b", "n", "srocc_a", "srocc_b", "srocc_diff", "diff_ci_low", "diff_ci_high", "fraction_a_beats_b")),
      Map.entry(OutputLayout.FACTORS, List.of("dataset", "factor", "level", "n", "min", "median", "mean", "max", "best_cell")),
      Map.entry(OutputLayout.DEPTH, List.of("dataset", "net", "readout", "tap_index", "tap", "tap_count", "relative_depth",
          "n", "srocc", "srocc_ci_low", "srocc_ci_high")),
      Map.entry(OutputLayout.FINDINGS, List.of("dataset", "claim_no", "claim", "subject_kind", "subject", "verdict", "estimate",
          "ci_low", "ci_high", "reason", "statistic", "cells")),
      Map.entry(OutputLayout.CHANNEL_TERMS, List.of("dataset", "net", "pair_id", "ref_id", "tap", "kind", "channel", "value")),
      Map.entry(OutputLayout.ACTIVATIONS, List.of("dataset", "net", "image_path", "image_role", "ref_id", "tap_index", "tap",
          "channel", "mean", "std")));

  private ExportJob() {}

  public static long run(SparkSession spark, OutputLayout out, String table, String target) {
    OutputLayout.requireKnownTable(table);
    String path = out.table(table);
    if (table.equals(OutputLayout.ACTIVATION_MAPS)) {
      throw new UserInputException("table activation_maps holds whole activation maps (channels x height x width "
          + "values per row), which is not exportable as CSV: read the Parquet at " + path
          + " (e.g. pandas.read_parquet), or export 'activations' for the per-channel descriptors");
    }
    if (!FileHashes.exists(path, spark.sparkContext().hadoopConfiguration())) {
      throw new UserInputException("no table '" + table + "' at " + path + ": run the step that writes it first");
    }
    if (!FileHashes.hasDataFiles(path, spark.sparkContext().hadoopConfiguration())) {
      // Spark alone would say "unable to infer schema": the table's cells were all removed.
      throw new UserInputException("table '" + table + "' at " + path + " has no rows now: a later run removed its "
          + "cells (extract without the option that writes it, e.g. --activations or --channel-terms, removes that "
          + "cell's old rows); run the step that writes it again");
    }
    Dataset<Row> df = spark.read().parquet(path);
    if (table.equals(OutputLayout.ACTIVATIONS)) {
      df = perChannel(df);
    } else if (table.equals(OutputLayout.CHANNEL_TERMS)) {
      df = termsPerChannel(df);
    }
    df = ordered(df, LEADING.getOrDefault(table, List.of()));
    List<String> columns = Arrays.asList(df.columns());
    Path to = new Path(target);
    try {
      FileSystem fs = to.getFileSystem(spark.sparkContext().hadoopConfiguration());
      long n = 0;
      // Written to a temporary name and renamed, so a failed export never leaves half a file.
      Path tmp = new Path(to.getParent(), "." + to.getName() + ".tmp");
      try (Writer w = new OutputStreamWriter(fs.create(tmp, true), StandardCharsets.UTF_8)) {
        List<List<Object>> rows = new ArrayList<>();
        Iterator<Row> it = df.toLocalIterator();
        while (it.hasNext()) {
          Row r = it.next();
          List<Object> values = new ArrayList<>(columns.size());
          for (int i = 0; i < columns.size(); i++) {
            values.add(r.get(i));
          }
          rows.add(values);
          n++;
        }
        ResultTable result = new ResultTable(columns, rows);
        if (target.endsWith(".md")) {
          w.write(TableRenderers.markdown(result));
        } else {
          TableRenderers.writeCsv(result, w);
        }
      }
      if (fs.exists(to)) {
        fs.delete(to, false);
      }
      if (!fs.rename(tmp, to)) {
        throw new UserInputException("cannot write " + target + ": rename from " + tmp + " failed");
      }
      return n;
    } catch (IOException e) {
      throw new UncheckedIOException("exporting " + table + " to " + target, e);
    }
  }

  /**
   * The activations table with its per-channel arrays flattened: one row per image x tap x channel
   * (channel 0-based) with that channel's mean and std, so the CSV is plain numbers.
   */
  static Dataset<Row> perChannel(Dataset<Row> activations) {
    return activations
        .selectExpr("dataset", "net", "image_path", "image_role", "ref_id", "tap_index", "tap", "channels", "height",
            "width", "input_hash", "posexplode(arrays_zip(mean, std)) AS (channel, ms)")
        .selectExpr("dataset", "net", "image_path", "image_role", "ref_id", "tap_index", "tap", "channel",
            "ms.mean AS mean", "ms.std AS std", "channels", "height", "width", "input_hash");
  }

  /**
   * The channel_terms table with its per-channel arrays flattened: one row per pair x tap x kind x
   * channel (channel 0-based) with that channel's term, so the CSV is plain numbers.
   */
  static Dataset<Row> termsPerChannel(Dataset<Row> terms) {
    return terms.selectExpr("dataset", "net", "pair_id", "ref_id", "tap", "kind", "input_hash",
        "posexplode(values) AS (channel, value)");
  }

  /** Leading columns first (those present), then the rest; sorted by the leading columns. */
  static Dataset<Row> ordered(Dataset<Row> df, List<String> leading) {
    LinkedHashSet<String> order = new LinkedHashSet<>();
    List<String> present = Arrays.asList(df.columns());
    for (String c : leading) {
      if (present.contains(c)) {
        order.add(c);
      }
    }
    order.addAll(present);
    List<Column> sortKeys = new ArrayList<>();
    for (String c : order) {
      if (leading.contains(c)) {
        sortKeys.add(col(c).asc_nulls_first());
      }
    }
    return df.select(order.stream().map(c -> col(c)).toArray(Column[]::new))
        .orderBy(sortKeys.toArray(Column[]::new));
  }
}
