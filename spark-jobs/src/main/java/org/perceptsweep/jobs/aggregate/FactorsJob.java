package org.perceptsweep.jobs.aggregate;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.perceptsweep.jobs.tables.FileHashes;
import org.perceptsweep.jobs.tables.OutputLayout;
import org.perceptsweep.jobs.tables.TableWriter;

/**
 * Spark glue of the factor analysis ({@link FactorTable}): reads the correlations (distortion
 * {@code all}) and the {@code nets} table that extract writes, and writes two tables partitioned by
 * dataset: {@code factors} (per factor and level, the distribution of best-tap agreement) and
 * {@code depth} (per net, readout and tap, agreement against relative depth). Both inputs are small
 * (one row per cell), so they are collected and analysed on the driver.
 */
public final class FactorsJob {
  public static final StructType FACTORS_SCHEMA = new StructType()
      .add("dataset", DataTypes.StringType, false)
      .add("factor", DataTypes.StringType, false)
      .add("level", DataTypes.StringType, false)
      .add("n", DataTypes.IntegerType, false)
      .add("undefined_units", DataTypes.IntegerType, false)
      .add("min", DataTypes.DoubleType, true)
      .add("median", DataTypes.DoubleType, true)
      .add("mean", DataTypes.DoubleType, true)
      .add("max", DataTypes.DoubleType, true)
      .add("best_cell", DataTypes.StringType, true)
      .add("cells", DataTypes.StringType, false)
      .add("input_hash", DataTypes.StringType, false);

  public static final StructType DEPTH_SCHEMA = new StructType()
      .add("dataset", DataTypes.StringType, false)
      .add("net", DataTypes.StringType, false)
      .add("readout", DataTypes.StringType, false)
      .add("tap", DataTypes.StringType, false)
      .add("tap_index", DataTypes.IntegerType, false)
      .add("tap_count", DataTypes.IntegerType, false)
      .add("relative_depth", DataTypes.DoubleType, false)
      .add("n", DataTypes.IntegerType, false)
      .add("srocc", DataTypes.DoubleType, true)
      .add("srocc_ci_low", DataTypes.DoubleType, true)
      .add("srocc_ci_high", DataTypes.DoubleType, true)
      .add("input_hash", DataTypes.StringType, false);

  /** Rows written, and why nothing was written when so. */
  public record Summary(long factorRows, long depthRows, String note) {}

  private FactorsJob() {}

  static Summary run(SparkSession spark, OutputLayout out, List<String> datasets) {
    String netsPath = out.table(OutputLayout.NETS);
    if (!FileHashes.exists(netsPath, spark.sparkContext().hadoopConfiguration())) {
      return new Summary(0, 0, "factors and depth: skipped, no nets table at " + netsPath
          + " (written by extract; rerun extract to get it)");
    }
    Map<String, FactorTable.Net> nets = new HashMap<>();
    for (Row r : spark.read().parquet(netsPath).filter(col("kind").equalTo("net"))
        .select("net", "architecture", "goal", "training_data", "taps", "sha256").collectAsList()) {
      nets.put(r.getString(0), new FactorTable.Net(r.getString(0), r.getString(1), r.getString(2), r.getString(3),
          r.getList(4), r.getString(5)));
    }
    Dataset<Row> correlations = spark.read().parquet(out.table(OutputLayout.CORRELATIONS))
        .filter(col("distortion").equalTo(AggregateJob.ALL));
    if (!datasets.isEmpty()) {
      correlations = correlations.filter(col("dataset").isin(datasets.toArray()));
    }
    List<FactorTable.Cell> cells = new ArrayList<>();
    for (Row r : correlations.select("dataset", "net", "tap", "tap_index", "readout", "n", "srocc",
        "srocc_ci_low", "srocc_ci_high", "input_hash").collectAsList()) {
      cells.add(new FactorTable.Cell(r.getString(0), r.getString(1), r.getString(2), r.getInt(3), r.getString(4),
          r.getInt(5), nullable(r, 6), nullable(r, 7), nullable(r, 8), r.getString(9)));
    }
    List<Row> factorRows = new ArrayList<>();
    for (FactorTable.FactorRow f : FactorTable.factors(FactorTable.units(cells, nets))) {
      factorRows.add(RowFactory.create(f.dataset(), f.factor(), f.level(), f.n(), f.undefinedUnits(), f.min(),
          f.median(), f.mean(), f.max(), f.bestCell(), String.join(";", f.cells()),
          f.inputHash()));
    }
    List<Row> depthRows = new ArrayList<>();
    for (FactorTable.DepthRow d : FactorTable.depth(cells, nets)) {
      depthRows.add(RowFactory.create(d.dataset(), d.net(), d.readout(), d.tap(), d.tapIndex(), d.tapCount(),
          d.relativeDepth(), d.n(), d.srocc(), d.ciLow(), d.ciHigh(), d.inputHash()));
    }
    if (factorRows.isEmpty()) {
      return new Summary(0, 0, "factors and depth: skipped, no net of the nets table has correlations"
          + " (classic metrics have no factors)");
    }
    TableWriter.overwritePartitions(spark.createDataFrame(factorRows, FACTORS_SCHEMA),
        out.table(OutputLayout.FACTORS), "dataset");
    TableWriter.overwritePartitions(spark.createDataFrame(depthRows, DEPTH_SCHEMA),
        out.table(OutputLayout.DEPTH), "dataset");
    return new Summary(factorRows.size(), depthRows.size(), null);
  }

  private static Double nullable(Row r, int i) {
    return r.isNullAt(i) ? null : r.getDouble(i);
  }
}
