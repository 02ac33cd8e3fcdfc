package org.perceptsweep.jobs.aggregate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.perceptsweep.core.Learning;
import org.perceptsweep.core.stats.findings.FindingCell;
import org.perceptsweep.core.stats.findings.FindingNet;
import org.perceptsweep.core.stats.findings.FindingRow;
import org.perceptsweep.core.stats.findings.Findings;
import org.perceptsweep.core.stats.findings.FindingsData;
import org.perceptsweep.core.stats.findings.FindingsSettings;
import org.perceptsweep.core.util.Hashing;
import org.perceptsweep.jobs.tables.FileHashes;
import org.perceptsweep.jobs.tables.NetsTable;
import org.perceptsweep.jobs.tables.OutputLayout;
import org.perceptsweep.jobs.tables.TableWriter;

/**
 * Spark glue of the findings ({@link Findings}): reads the distances with the manifest's scores and
 * the {@code nets} table, hands each dataset's points to the plain-Java claims on an executor, and
 * writes the {@code findings} table partitioned by dataset. Its {@code input_hash} covers the
 * dataset's distance hashes, the manifest, the nets' facts and every setting (resamples, seed,
 * equivalence delta, depth threshold).
 */
public final class FindingsJob {
  public static final StructType SCHEMA = new StructType()
      .add("dataset", DataTypes.StringType, false)
      .add("claim_no", DataTypes.IntegerType, false)
      .add("claim", DataTypes.StringType, false)
      .add("statement", DataTypes.StringType, false)
      .add("subject", DataTypes.StringType, false)
      .add("subject_kind", DataTypes.StringType, false)
      .add("statistic", DataTypes.StringType, false)
      .add("estimate", DataTypes.DoubleType, true)
      .add("ci_low", DataTypes.DoubleType, true)
      .add("ci_high", DataTypes.DoubleType, true)
      .add("verdict", DataTypes.StringType, false)
      .add("reason", DataTypes.StringType, false)
      .add("cells", DataTypes.StringType, true)
      .add("n", DataTypes.IntegerType, false)
      .add("references", DataTypes.IntegerType, false)
      .add("bootstrap_resamples", DataTypes.IntegerType, false)
      .add("bootstrap_undefined", DataTypes.IntegerType, false)
      .add("bootstrap_seed", DataTypes.LongType, false)
      .add("equivalence_delta", DataTypes.DoubleType, false)
      .add("depth_threshold", DataTypes.IntegerType, false)
      .add("input_hash", DataTypes.StringType, false);

  /** Rows written, and why nothing was written when so. */
  public record Summary(long rows, String note) {}

  private FindingsJob() {}

  static Summary run(SparkSession spark, OutputLayout out, AggregateJob.Options options) {
    String netsPath = out.table(OutputLayout.NETS);
    if (!FileHashes.exists(netsPath, spark.sparkContext().hadoopConfiguration())) {
      return new Summary(0, "findings: skipped, no nets table at " + netsPath
          + " (written by extract; rerun extract to get it)");
    }
    List<FindingNet> nets = new ArrayList<>();
    StringBuilder facts = new StringBuilder();
    for (Row r : NetsTable.read(spark, out).orderBy("net").collectAsList()) {
      String learning = r.getAs("learning");
      if (learning == null && r.getAs("learning_source") == null && "net".equals(r.getAs("kind"))) {
        // A row written before the nets table had facts: the goal still says how the net learned.
        Learning fromGoal = Learning.fromGoal(r.getAs("goal"), r.getAs("training_data"));
        learning = fromGoal == null ? null : fromGoal.key();
      }
      Integer depth = r.getAs("depth");
      nets.add(new FindingNet(r.getAs("net"), "classic".equals(r.getAs("kind")), r.getAs("architecture"),
          r.getAs("goal"), r.getAs("training_data"), Learning.ofKey(learning), depth, r.<Integer>getAs("tap_count")));
      facts.append(r.<String>getAs("net")).append('|').append(r.<String>getAs("kind")).append('|')
          .append(r.<String>getAs("architecture")).append('|').append(r.<String>getAs("goal")).append('|')
          .append(r.<String>getAs("training_data")).append('|').append(learning).append('|').append(depth)
          .append('|').append(r.<Integer>getAs("tap_count")).append(';');
    }
    FindingsSettings settings = new FindingsSettings(options.resamples(), options.seed(), options.equivalenceDelta(),
        options.depthThreshold());
    String netFacts = facts.toString();
    Dataset<Row> perDataset = AggregateJob.pointsWithScores(spark, out, options.datasets())
        .groupBy("dataset")
        .agg(collect_list(struct(col("net"), col("tap"), col("tap_index"), col("readout"), col("pair_id"),
                col("ref_id"), col("distance"), col("score"))).as("points"),
            first("higher_is_better").as("higher_is_better"),
            sort_array(collect_set(col("input_hash"))).as("distance_hashes"),
            first("manifest_hash").as("manifest_hash"));
    JavaRDD<Row> rows = perDataset.javaRDD().flatMap(d -> evaluate(d, nets, settings, netFacts).iterator());
    Dataset<Row> table = spark.createDataFrame(rows, SCHEMA).persist();
    try {
      long n = table.count();
      if (n == 0) {
        return new Summary(0, "findings: no dataset to test");
      }
      TableWriter.overwritePartitions(table, out.table(OutputLayout.FINDINGS), "dataset");
      return new Summary(n, null);
    } finally {
      table.unpersist();
    }
  }

  /** One dataset's findings rows (plain Java on the collected points). */
  static List<Row> evaluate(Row d, List<FindingNet> nets, FindingsSettings settings, String netFacts) {
    String dataset = d.getAs("dataset");
    FindingsData data = new FindingsData(dataset, d.<Boolean>getAs("higher_is_better"));
    for (Row p : d.<Row>getList(d.fieldIndex("points"))) {
      String pair = p.getString(4);
      data.pair(pair, p.getString(5), p.isNullAt(7) ? Double.NaN : p.getDouble(7));
      data.distance(new FindingCell(p.getString(0), p.getString(1), p.getInt(2), p.getString(3)), pair,
          p.isNullAt(6) ? Double.NaN : p.getDouble(6));
    }
    List<String> hashes = d.getList(d.fieldIndex("distance_hashes"));
    String hash = Hashing.sha256Hex("findings/v1", String.join(",", hashes), d.getAs("manifest_hash"), netFacts,
        "resamples=" + settings.resamples(), "seed=" + settings.seed(), "delta=" + settings.delta(),
        "depth_threshold=" + settings.depthThreshold());
    List<Row> out = new ArrayList<>();
    for (FindingRow r : Findings.evaluate(data, nets, settings)) {
      out.add(RowFactory.create(dataset, r.claim().number(), r.claim().id(), r.claim().statement(), r.subject(),
          r.subjectKind(), r.statistic(), r.estimate(), r.ciLow(), r.ciHigh(), r.verdict().key(), r.reason(),
          r.cells(), r.pairs(), r.references(), r.resamples(), r.undefinedResamples(), settings.seed(),
          settings.delta(), settings.depthThreshold(), hash));
    }
    return out;
  }
}
