package org.perceptsweep.jobs.aggregate;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.perceptsweep.jobs.manifest.ManifestTable;
import org.perceptsweep.jobs.tables.NetsTable;
import org.perceptsweep.jobs.tables.OutputLayout;
import org.perceptsweep.jobs.tables.TableWriter;

/**
 * Writes hand-made manifest, distances and nets tables in the layout extract leaves behind, so
 * that the aggregate tests control every number that goes in.
 */
final class AggregateFixture {
  static final StructType DISTANCES = new StructType()
      .add("dataset", DataTypes.StringType, false)
      .add("pair_id", DataTypes.StringType, false)
      .add("ref_id", DataTypes.StringType, false)
      .add("dist_path", DataTypes.StringType, false)
      .add("net", DataTypes.StringType, false)
      .add("tap", DataTypes.StringType, true)
      .add("tap_index", DataTypes.IntegerType, true)
      .add("readout", DataTypes.StringType, true)
      .add("distance", DataTypes.DoubleType, true)
      .add("input_hash", DataTypes.StringType, false);

  private final List<Row> manifest = new ArrayList<>();
  private final List<Row> distances = new ArrayList<>();
  private final List<Row> nets = new ArrayList<>();

  /** A pair of a dataset: its reference, distortion type and human score. */
  AggregateFixture pair(String dataset, String pairId, String refId, String distortion, double score,
      boolean higherIsBetter) {
    manifest.add(RowFactory.create(dataset, pairId, refId, "file:/refs/" + refId + ".png",
        "file:/dist/" + pairId + ".png", distortion, null, score, null, higherIsBetter,
        higherIsBetter ? "mos" : "dmos", "manifest-hash-" + dataset));
    return this;
  }

  /** The distance of one pair for one cell. */
  AggregateFixture distance(String dataset, String pairId, String refId, String net, String tap, int tapIndex,
      String readout, double value) {
    distances.add(RowFactory.create(dataset, pairId, refId, "file:/dist/" + pairId + ".png", net, tap, tapIndex,
        readout, value, "distance-hash-" + net));
    return this;
  }

  /** A row of the nets table (kind net), learning from the goal, depth and parameters unknown. */
  AggregateFixture net(String name, String architecture, String goal, String trainingData, List<String> taps) {
    org.perceptsweep.core.Learning l = org.perceptsweep.core.Learning.fromGoal(goal, trainingData);
    return net(name, architecture, goal, trainingData, taps, l == null ? null : l.key(), null);
  }

  /** A row of the nets table (kind net) with its learning kind and depth in weight layers. */
  AggregateFixture net(String name, String architecture, String goal, String trainingData, List<String> taps,
      String learning, Integer depth) {
    nets.add(RowFactory.create(name, "net", architecture, goal, trainingData, taps.size(),
        scala.jdk.javaapi.CollectionConverters.asScala(taps).toSeq(), "sha-" + name, name + ".pt",
        learning, "card", depth, "card", depth == null ? null : 1000L * depth, "card"));
    return this;
  }

  /** A row of the nets table for a classic metric. */
  AggregateFixture classic(String metric) {
    nets.add(RowFactory.create(metric, "classic", metric, "hand-crafted", "none", 1,
        scala.jdk.javaapi.CollectionConverters.asScala(List.of("image")).toSeq(), "classic:" + metric, metric,
        "none", "classic", 0, "classic", 0L, "classic"));
    return this;
  }

  void write(SparkSession spark, OutputLayout out) {
    TableWriter.overwritePartitions(spark.createDataFrame(manifest, ManifestTable.SCHEMA),
        out.table(OutputLayout.MANIFEST), "dataset");
    TableWriter.overwritePartitions(spark.createDataFrame(distances, DISTANCES),
        out.table(OutputLayout.DISTANCES), "dataset", "net");
    if (!nets.isEmpty()) {
      TableWriter.overwritePartitions(spark.createDataFrame(nets, NetsTable.SCHEMA),
          out.table(OutputLayout.NETS), "net");
    }
  }
}
