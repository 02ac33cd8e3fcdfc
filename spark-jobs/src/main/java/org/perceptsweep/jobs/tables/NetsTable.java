package org.perceptsweep.jobs.tables;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.perceptsweep.core.Learning;
import org.perceptsweep.jobs.extract.ExtractPlan;
import org.perceptsweep.udf.net.NetCard;
import org.perceptsweep.udf.net.NetFacts;
import org.perceptsweep.udf.net.TapInfo;

/**
 * The {@code nets} table: one row per net (and classic metric) that extract ran, with the factors a
 * sweep varies (architecture, goal, training data) and its taps in depth order, so that the
 * statistics and reports can group by factor and place each tap at its relative depth; and the net
 * facts the findings use (learning kind, depth in weight layers, parameter count, each with its
 * source: card, goal, model file, sweep; see {@link NetFacts}). Older tables lack the facts columns:
 * read them with {@link #read}, which merges the schemas.
 */
public final class NetsTable {
  public static final StructType SCHEMA = new StructType()
      .add("net", DataTypes.StringType, false)
      .add("kind", DataTypes.StringType, false)
      .add("architecture", DataTypes.StringType, false)
      .add("goal", DataTypes.StringType, false)
      .add("training_data", DataTypes.StringType, false)
      .add("tap_count", DataTypes.IntegerType, false)
      .add("taps", DataTypes.createArrayType(DataTypes.StringType, false), false)
      .add("sha256", DataTypes.StringType, false)
      .add("spec", DataTypes.StringType, false)
      .add("learning", DataTypes.StringType, true)
      .add("learning_source", DataTypes.StringType, true)
      .add("depth", DataTypes.IntegerType, true)
      .add("depth_source", DataTypes.StringType, true)
      .add("parameters", DataTypes.LongType, true)
      .add("parameters_source", DataTypes.StringType, true);
  /** Source of a classic metric's facts: hand-crafted, no learning, no weight layers. */
  public static final String CLASSIC_SOURCE = "classic";

  private NetsTable() {}

  public static void write(SparkSession spark, OutputLayout out, List<String> classic, List<ExtractPlan.NetPlan> nets,
      List<NetCard> cards, List<NetFacts> facts) {
    List<Row> rows = new ArrayList<>();
    for (String metric : classic) {
      rows.add(RowFactory.create(metric, "classic", metric, "hand-crafted", "none", 1,
          List.of("image"), "classic:" + metric, metric,
          Learning.NONE.key(), CLASSIC_SOURCE, 0, CLASSIC_SOURCE, 0L, CLASSIC_SOURCE));
    }
    for (int i = 0; i < nets.size(); i++) {
      NetCard c = cards.get(i);
      NetFacts f = facts.get(i);
      List<String> taps = c.taps().stream().map(TapInfo::name).toList();
      rows.add(RowFactory.create(nets.get(i).name(), "net", c.architecture(), c.goal(), c.trainingData(),
          taps.size(), scala.jdk.javaapi.CollectionConverters.asScala(taps).toSeq(), c.sha256(), nets.get(i).spec(),
          f.learning() == null ? null : f.learning().key(), f.learningSource(), f.depth(), f.depthSource(),
          f.parameters(), f.parametersSource()));
    }
    TableWriter.overwritePartitions(spark.createDataFrame(rows, SCHEMA), out.table(OutputLayout.NETS), "net");
  }

  /**
   * The nets table with every column of {@link #SCHEMA} in its order, also over partitions an older
   * version wrote (their missing facts are null).
   */
  public static Dataset<Row> read(SparkSession spark, OutputLayout out) {
    Dataset<Row> df = spark.read().option("mergeSchema", "true").parquet(out.table(OutputLayout.NETS));
    List<String> present = java.util.Arrays.asList(df.columns());
    List<Column> columns = new ArrayList<>();
    for (StructField f : SCHEMA.fields()) {
      columns.add(present.contains(f.name()) ? col(f.name())
          : functions.lit(null).cast(f.dataType()).as(f.name()));
    }
    return df.select(columns.toArray(Column[]::new));
  }
}
