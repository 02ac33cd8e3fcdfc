package org.perceptsweep.jobs;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.perceptsweep.core.UserInputException;
import org.perceptsweep.core.util.Hashing;
import org.perceptsweep.udf.net.FeatureNet;
import org.perceptsweep.udf.net.Nets;
import org.perceptsweep.udf.readout.ReadoutSet;

/**
 * Runs nets and classic metrics over the manifest's pairs and writes the {@code distances} table
 * (one row per pair x net x tap x readout) and the pairs it could not measure to {@code rejects}.
 *
 * <p>Pairs are partitioned and sorted by reference so that each reference image is forwarded once
 * per group; each executor JVM loads each net once (see {@link Nets}).
 */
public final class ExtractJob {
  /** What one run did, for the console and the run record. */
  /**
   * @param modelLoads per "executorId/net": how many times that executor JVM loaded the net (1 is
   *     the goal: one load per JVM, whatever the number of tasks)
   */
  public record Summary(long distanceRows, long rejectedRows, long forwardPasses, List<String> nets,
      Map<String, Integer> modelLoads) {}

  private ExtractJob() {}

  public static Summary run(SparkSession spark, OutputLayout out, List<String> netSpecs, String readouts,
      String weightsUri, int batchSize, List<String> datasets) {
    if (netSpecs.isEmpty()) {
      throw new UserInputException("no --net given: name at least one net (psnr, ssim, ms_ssim, pixels, "
          + "builtin:random-convnet, or a model file NAME.pt with NAME.json beside it)");
    }
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    Dataset<Row> manifest = readManifest(spark, out);
    if (!datasets.isEmpty()) {
      manifest = manifest.filter(col("dataset").isin(datasets.toArray()));
    }

    // Fail fast on the driver: every net loads and every readout is known before any work starts.
    ReadoutSet.parse(readouts, weightsUri, hadoopConf);
    List<String> classic = new ArrayList<>();
    List<ExtractPlan.NetPlan> nets = new ArrayList<>();
    Map<String, String> netIdentity = new LinkedHashMap<>();
    List<org.perceptsweep.udf.net.NetCard> netCards = new ArrayList<>();
    for (String spec : netSpecs) {
      if (ExtractPlan.CLASSIC.contains(spec)) {
        classic.add(spec);
        netIdentity.put(spec, "classic:" + spec);
      } else {
        FeatureNet net = Nets.get(spec, hadoopConf);
        String name = net.card().name();
        if (netIdentity.containsKey(name)) {
          throw new UserInputException("two --net arguments are both named '" + name + "' (" + spec
              + "): every net in one run needs a distinct card name");
        }
        nets.add(new ExtractPlan.NetPlan(spec, name));
        netCards.add(net.card());
        netIdentity.put(name, net.card().sha256());
      }
    }
    String weightsHash = weightsUri == null ? "-" : FileHashes.sha256(weightsUri, hadoopConf);
    Map<String, String> inputHash = new LinkedHashMap<>();
    for (Row r : manifest.select("dataset", "manifest_hash").distinct().collectAsList()) {
      String dataset = r.getString(0);
      for (Map.Entry<String, String> net : netIdentity.entrySet()) {
        String readoutPart = net.getValue().startsWith("classic:") ? "-" : readouts + "|" + weightsHash;
        inputHash.put(dataset + "/" + net.getKey(),
            Hashing.sha256Hex("extract/v1", r.getString(1), net.getValue(), readoutPart));
      }
    }
    ExtractPlan plan = new ExtractPlan(List.copyOf(classic), List.copyOf(nets), readouts, weightsUri,
        batchSize, inputHash);

    long groups = manifest.select("dataset", "ref_id").distinct().count();
    int partitions = (int) Math.max(1, Math.min(groups, 3L * spark.sparkContext().defaultParallelism()));
    Dataset<Row> sorted = manifest
        .repartition(partitions, col("dataset"), col("ref_id"))
        .sortWithinPartitions("dataset", "ref_id", "pair_id");

    HadoopConf shippedConf = new HadoopConf(hadoopConf);
    LongAccumulator forwardPasses = spark.sparkContext().longAccumulator("forward_passes");
    CollectionAccumulator<String> modelLoads = spark.sparkContext().collectionAccumulator("model_loads");
    JavaRDD<Row> rows = sorted.javaRDD().mapPartitions(it ->
        new PairGroupExtractor(plan, shippedConf.get(), forwardPasses, modelLoads).processPartition(it).iterator());
    Dataset<Row> all = spark.createDataFrame(rows, PairGroupExtractor.SCHEMA).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Dataset<Row> distances = all.filter(col("kind").equalTo(PairGroupExtractor.KIND_DISTANCE))
          .select("dataset", "net", "pair_id", "ref_id", "dist_path", "tap", "tap_index", "readout",
              "distance", "input_hash");
      TableWriter.overwritePartitions(distances, out.table(OutputLayout.DISTANCES), "dataset", "net");
      Dataset<Row> rejects = all.filter(col("kind").equalTo(PairGroupExtractor.KIND_REJECT))
          .selectExpr("dataset", "'extract' AS stage", "net", "pair_id AS item", "reason");
      long rejected = RejectsTable.replace(spark, out, rejects, List.of("extract"), inputHash.keySet());
      NetsTable.write(spark, out, classic, nets, netCards);
      long distanceRows = spark.read().parquet(out.table(OutputLayout.DISTANCES)).count();
      Map<String, Integer> loads = new java.util.TreeMap<>();
      for (String entry : modelLoads.value()) {
        String[] f = entry.split("\t");
        loads.merge(f[0] + "/" + f[1], Integer.parseInt(f[2]), Math::max);
      }
      return new Summary(distanceRows, rejected, forwardPasses.value(), List.copyOf(netIdentity.keySet()), loads);
    } finally {
      all.unpersist();
    }
  }

  static Dataset<Row> readManifest(SparkSession spark, OutputLayout out) {
    String path = out.table(OutputLayout.MANIFEST);
    if (!FileHashes.exists(path, spark.sparkContext().hadoopConfiguration())) {
      throw new UserInputException("no manifest at " + path
          + ": run 'percept-sweep manifest ... --out " + out.root() + "' first");
    }
    return spark.read().parquet(path);
  }
}
