package org.perceptsweep.jobs.manifest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.perceptsweep.core.UserInputException;
import org.perceptsweep.core.manifest.ManifestRow;
import org.perceptsweep.core.manifest.Reject;
import org.perceptsweep.core.util.Hashing;
import org.perceptsweep.jobs.tables.FileHashes;
import org.perceptsweep.jobs.tables.OutputLayout;

/** The manifest and rejects schemas as Spark rows, and the manifest's content hash. */
public final class ManifestTable {
  public static final StructType SCHEMA = new StructType()
      .add("dataset", DataTypes.StringType, false)
      .add("pair_id", DataTypes.StringType, false)
      .add("ref_id", DataTypes.StringType, false)
      .add("ref_path", DataTypes.StringType, false)
      .add("dist_path", DataTypes.StringType, false)
      .add("distortion", DataTypes.StringType, false)
      .add("level", DataTypes.IntegerType, true)
      .add("score", DataTypes.DoubleType, false)
      .add("score_std", DataTypes.DoubleType, true)
      .add("higher_is_better", DataTypes.BooleanType, false)
      .add("score_kind", DataTypes.StringType, false)
      .add("manifest_hash", DataTypes.StringType, false);

  public static final StructType REJECTS_SCHEMA = new StructType()
      .add("dataset", DataTypes.StringType, false)
      .add("stage", DataTypes.StringType, false)
      .add("net", DataTypes.StringType, false)
      .add("item", DataTypes.StringType, false)
      .add("reason", DataTypes.StringType, false);

  private ManifestTable() {}

  /** Hash of a dataset's manifest content, independent of row order. */
  public static String contentHash(List<ManifestRow> rows) {
    List<String> lines = new ArrayList<>();
    for (ManifestRow r : rows) {
      lines.add(String.join("\t", r.dataset(), r.pairId(), r.refId(), r.refPath(), r.distPath(),
          r.distortion(), String.valueOf(r.level()), Double.toString(r.score()),
          String.valueOf(r.scoreStd()), Boolean.toString(r.higherIsBetter()), r.scoreKind()));
    }
    lines.sort(Comparator.naturalOrder());
    return Hashing.sha256Hex(String.join("\n", lines));
  }

  public static Dataset<Row> toDataFrame(SparkSession spark, List<ManifestRow> rows) {
    String hash = contentHash(rows);
    List<Row> out = new ArrayList<>(rows.size());
    for (ManifestRow r : rows) {
      out.add(RowFactory.create(r.dataset(), r.pairId(), r.refId(), r.refPath(), r.distPath(),
          r.distortion(), r.level(), r.score(), r.scoreStd(), r.higherIsBetter(), r.scoreKind(), hash));
    }
    return spark.createDataFrame(out, SCHEMA);
  }

  public static Dataset<Row> rejectsDataFrame(SparkSession spark, List<Reject> rejects) {
    List<Row> out = new ArrayList<>(rejects.size());
    for (Reject r : rejects) {
      out.add(RowFactory.create(r.dataset(), r.stage(), "-", r.where(), r.reason()));
    }
    return spark.createDataFrame(out, REJECTS_SCHEMA);
  }

  /** The manifest table of a study, or a clear error naming the step to run first. */
  public static Dataset<Row> read(SparkSession spark, OutputLayout out) {
    String path = out.table(OutputLayout.MANIFEST);
    if (!FileHashes.exists(path, spark.sparkContext().hadoopConfiguration())) {
      throw new UserInputException("no manifest at " + path
          + ": run 'percept-sweep manifest ... --out " + out.root() + "' first");
    }
    return spark.read().parquet(path);
  }
}
