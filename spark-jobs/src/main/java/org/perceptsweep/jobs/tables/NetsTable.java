package org.perceptsweep.jobs.tables;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.perceptsweep.jobs.extract.ExtractPlan;
import org.perceptsweep.udf.net.NetCard;
import org.perceptsweep.udf.net.TapInfo;

/**
 * The {@code nets} table: one row per net (and classic metric) that extract ran, with the factors a
 * sweep varies (architecture, goal, training data) and its taps in depth order, so that the
 * statistics and reports can group by factor and place each tap at its relative depth.
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
      .add("spec", DataTypes.StringType, false);

  private NetsTable() {}

  public static void write(SparkSession spark, OutputLayout out, List<String> classic, List<ExtractPlan.NetPlan> nets,
      List<NetCard> cards) {
    List<Row> rows = new ArrayList<>();
    for (String metric : classic) {
      rows.add(RowFactory.create(metric, "classic", metric, "hand-crafted", "none", 1,
          List.of("image"), "classic:" + metric, metric));
    }
    for (int i = 0; i < nets.size(); i++) {
      NetCard c = cards.get(i);
      List<String> taps = c.taps().stream().map(TapInfo::name).toList();
      rows.add(RowFactory.create(nets.get(i).name(), "net", c.architecture(), c.goal(), c.trainingData(),
          taps.size(), scala.jdk.javaapi.CollectionConverters.asScala(taps).toSeq(), c.sha256(), nets.get(i).spec()));
    }
    TableWriter.overwritePartitions(spark.createDataFrame(rows, SCHEMA), out.table(OutputLayout.NETS), "net");
  }
}
