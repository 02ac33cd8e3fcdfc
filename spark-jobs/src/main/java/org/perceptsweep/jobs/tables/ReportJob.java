package org.perceptsweep.jobs.tables;

import static org.apache.spark.sql.functions.col;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.perceptsweep.core.UserInputException;
import org.perceptsweep.export.ResultTable;
import org.perceptsweep.export.report.CellKey;
import org.perceptsweep.export.report.CorrelationRecord;
import org.perceptsweep.export.report.DatasetView;
import org.perceptsweep.export.report.NetRecord;
import org.perceptsweep.export.report.ReportInput;
import org.perceptsweep.export.report.ReportSummary;
import org.perceptsweep.export.report.ReportWriter;
import org.perceptsweep.export.report.ScatterData;
import scala.collection.immutable.Seq;

/**
 * Spark glue of {@code percept-sweep report}: reads the study's Parquet tables (correlations, and
 * when present nets, comparisons, factors, and the distances of the scatter cells joined with the
 * manifest's scores), turns them into plain records and hands them to {@link ReportWriter}, which
 * has no Spark. Columns and tables that an older study lacks are reported as missing, not errors.
 */
public final class ReportJob {
  private ReportJob() {}

  /**
   * @param to the report folder: a local path, or a Hadoop URI (written locally, then copied)
   * @param scatterCells cells to plot against the scores (NET/TAP/READOUT); empty = each dataset's
   *     best cell and PSNR
   * @param datasets only these datasets (empty = all)
   */
  public static ReportSummary run(SparkSession spark, OutputLayout in, String to, List<String> scatterCells,
      List<String> datasets) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    String correlationsPath = in.table(OutputLayout.CORRELATIONS);
    if (!FileHashes.exists(correlationsPath, conf)) {
      throw new UserInputException("no correlations table at " + correlationsPath
          + ": run 'percept-sweep aggregate --out " + in.root() + "' first (report reads --in, the study folder)");
    }
    List<CellKey> requested = scatterCells.stream().map(CellKey::parse).toList();
    Dataset<Row> correlationsDf = spark.read().parquet(correlationsPath);
    if (!datasets.isEmpty()) {
      correlationsDf = correlationsDf.filter(col("dataset").isin(datasets.toArray()));
    }
    List<String> columns = Arrays.asList(correlationsDf.columns());
    List<CorrelationRecord> correlations = new ArrayList<>();
    for (Row r : correlationsDf.collectAsList()) {
      correlations.add(record(r, columns));
    }
    if (correlations.isEmpty()) {
      throw new UserInputException("the correlations table at " + correlationsPath + " has no rows"
          + (datasets.isEmpty() ? "" : " for dataset(s) " + String.join(", ", datasets))
          + ": run aggregate (or check --dataset)");
    }
    List<NetRecord> nets = new ArrayList<>();
    String netsPath = in.table(OutputLayout.NETS);
    if (FileHashes.exists(netsPath, conf)) {
      for (Row r : spark.read().parquet(netsPath).collectAsList()) {
        nets.add(new NetRecord(r.getAs("net"), r.getAs("kind"), r.getAs("architecture"), r.getAs("goal"),
            r.getAs("training_data"), r.<Integer>getAs("tap_count"), r.getList(r.fieldIndex("taps"))));
      }
    }
    Map<String, ResultTable> extra = new LinkedHashMap<>();
    for (String name : ReportWriter.OPTIONAL_TABLES) {
      String path = in.table(name);
      if (FileHashes.exists(path, conf)) {
        Dataset<Row> df = spark.read().parquet(path);
        if (!datasets.isEmpty() && Arrays.asList(df.columns()).contains("dataset")) {
          df = df.filter(col("dataset").isin(datasets.toArray()));
        }
        extra.put(name, resultTable(ExportJob.ordered(df, List.of("dataset"))));
      }
    }
    List<String> notes = new ArrayList<>();
    List<ScatterData> scatter = scatter(spark, in, correlations, nets, requested, notes);
    String source = localOrUri(in.root());
    ReportInput input = new ReportInput(source, correlations, nets, scatter, extra, columns, notes);
    return write(input, to, conf);
  }

  static CorrelationRecord record(Row r, List<String> columns) {
    return new CorrelationRecord(r.getAs("dataset"), r.getAs("net"), r.getAs("tap"), r.<Integer>getAs("tap_index"),
        r.getAs("readout"), r.getAs("distortion"), r.<Integer>getAs("n"), r.getAs("srocc"), r.getAs("krocc"),
        r.getAs("plcc"), optional(r, columns, "srocc_ci_low"), optional(r, columns, "srocc_ci_high"),
        optional(r, columns, "plcc_fitted"), optional(r, columns, "rmse_fitted"),
        optional(r, columns, "fit_converged"), optional(r, columns, "plcc_ci_low"),
        optional(r, columns, "plcc_ci_high"), r.getAs("score_kind"), r.<Boolean>getAs("higher_is_better"),
        r.getAs("undefined_reason"));
  }

  @SuppressWarnings("unchecked")
  private static <T> T optional(Row r, List<String> columns, String name) {
    return columns.contains(name) ? (T) r.getAs(name) : null;
  }

  /** Rows as plain values; arrays and structs become their string forms. */
  static ResultTable resultTable(Dataset<Row> df) {
    List<String> cols = Arrays.asList(df.columns());
    List<List<Object>> rows = new ArrayList<>();
    for (Row r : df.collectAsList()) {
      List<Object> values = new ArrayList<>(cols.size());
      for (int i = 0; i < cols.size(); i++) {
        Object v = r.get(i);
        if (v instanceof Seq<?> seq) {
          v = String.join(", ", scala.jdk.javaapi.CollectionConverters.asJava(seq).stream().map(String::valueOf).toList());
        } else if (v instanceof Row nested) {
          v = nested.toString();
        }
        values.add(v);
      }
      rows.add(values);
    }
    return new ResultTable(cols, rows);
  }

  /** The points of the scatter cells: their distances joined with the manifest's scores. */
  private static List<ScatterData> scatter(SparkSession spark, OutputLayout in, List<CorrelationRecord> correlations,
      List<NetRecord> nets, List<CellKey> requested, List<String> notes) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Map<String, List<CellKey>> cells = new LinkedHashMap<>();
    List<String> datasetNames = correlations.stream().map(CorrelationRecord::dataset).distinct().sorted().toList();
    for (String dataset : datasetNames) {
      DatasetView v = new DatasetView(dataset, correlations, nets);
      List<CellKey> chosen = new ArrayList<>();
      for (CellKey c : requested) {
        if (v.cell(c).isPresent()) {
          chosen.add(c);
        } else {
          notes.add("Scatter cell `" + c + "` was not measured on " + dataset + ": not plotted there.");
        }
      }
      cells.put(dataset, requested.isEmpty() ? v.defaultScatterCells() : chosen);
    }
    for (CellKey c : requested) {
      if (correlations.stream().noneMatch(r -> r.cell().equals(c))) {
        CorrelationRecord example = correlations.get(0);
        throw new UserInputException("--scatter " + c + ": no such cell in the correlations table; give "
            + "NET/TAP/READOUT of a measured cell, e.g. " + example.cell());
      }
    }
    if (cells.values().stream().allMatch(List::isEmpty)) {
      return List.of();
    }
    String distancesPath = in.table(OutputLayout.DISTANCES);
    String manifestPath = in.table(OutputLayout.MANIFEST);
    if (!FileHashes.exists(distancesPath, conf) || !FileHashes.exists(manifestPath, conf)) {
      notes.add("No distances or manifest table in the study: no scatter plots of distance against score.");
      return List.of();
    }
    Column wanted = null;
    for (Map.Entry<String, List<CellKey>> e : cells.entrySet()) {
      for (CellKey c : e.getValue()) {
        Column one = col("dataset").equalTo(e.getKey()).and(col("net").equalTo(c.net()))
            .and(col("tap").equalTo(c.tap())).and(col("readout").equalTo(c.readout()));
        wanted = wanted == null ? one : wanted.or(one);
      }
    }
    Dataset<Row> points = spark.read().parquet(distancesPath).filter(wanted)
        .select("dataset", "net", "tap", "readout", "pair_id", "distance")
        .join(spark.read().parquet(manifestPath).select("dataset", "pair_id", "score", "score_kind",
            "higher_is_better"), new String[] {"dataset", "pair_id"})
        .orderBy("dataset", "net", "tap", "readout", "pair_id");
    Map<String, List<Row>> byCell = new LinkedHashMap<>();
    for (Row r : points.collectAsList()) {
      byCell.computeIfAbsent(r.getAs("dataset") + "\n" + new CellKey(r.getAs("net"), r.getAs("tap"),
          r.getAs("readout")), k -> new ArrayList<>()).add(r);
    }
    List<ScatterData> out = new ArrayList<>();
    for (Map.Entry<String, List<CellKey>> e : cells.entrySet()) {
      for (CellKey c : e.getValue()) {
        List<Row> rows = byCell.getOrDefault(e.getKey() + "\n" + c, List.of());
        List<Row> finite = rows.stream().filter(r -> r.get(r.fieldIndex("distance")) != null
            && Double.isFinite(r.<Double>getAs("distance")) && Double.isFinite(r.<Double>getAs("score"))).toList();
        if (finite.size() < rows.size()) {
          notes.add("Scatter " + e.getKey() + " " + c + ": " + (rows.size() - finite.size())
              + " pair(s) without a finite distance or score left out of the plot.");
        }
        if (finite.isEmpty()) {
          notes.add("Scatter " + e.getKey() + " " + c + ": no distances found; not plotted.");
          continue;
        }
        double[] x = finite.stream().mapToDouble(r -> r.<Double>getAs("distance")).toArray();
        double[] y = finite.stream().mapToDouble(r -> r.<Double>getAs("score")).toArray();
        Row first = finite.get(0);
        out.add(new ScatterData(e.getKey(), c, x, y, first.getAs("score_kind"), first.<Boolean>getAs("higher_is_better")));
      }
    }
    return out;
  }

  private static ReportSummary write(ReportInput input, String to, Configuration conf) {
    if (to == null || to.isBlank()) {
      throw new UserInputException("--to is empty: give the folder to write the report to");
    }
    Path target = new Path(to);
    String scheme = target.toUri().getScheme();
    if (scheme == null || scheme.equals("file")) {
      return ReportWriter.write(input, new File(target.toUri().getPath()).toPath().toAbsolutePath());
    }
    // A remote folder: write locally, then copy the whole folder.
    try {
      java.nio.file.Path local = Files.createTempDirectory("percept-sweep-report");
      ReportSummary s = ReportWriter.write(input, local);
      FileSystem fs = target.getFileSystem(conf);
      fs.mkdirs(target);
      try (var files = Files.walk(local)) {
        for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) files.filter(Files::isRegularFile)::iterator) {
          fs.copyFromLocalFile(false, true, new Path(f.toUri()), new Path(target, local.relativize(f).toString()));
        }
      }
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException("copying the report to " + to, e);
    }
  }

  private static String localOrUri(String root) {
    Path p = new Path(root);
    String scheme = p.toUri().getScheme();
    if (scheme == null || scheme.equals("file")) {
      return new File(p.toUri().getPath()).getAbsolutePath();
    }
    return root;
  }
}
