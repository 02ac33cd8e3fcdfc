package org.perceptsweep.jobs.extract;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.perceptsweep.core.UserInputException;
import org.perceptsweep.jobs.HadoopConf;
import org.perceptsweep.jobs.manifest.ManifestTable;
import org.perceptsweep.jobs.tables.CellHashes;
import org.perceptsweep.jobs.tables.FileHashes;
import org.perceptsweep.jobs.tables.NetsTable;
import org.perceptsweep.jobs.tables.OutputLayout;
import org.perceptsweep.jobs.tables.RejectsTable;
import org.perceptsweep.jobs.tables.TableWriter;
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
  /**
   * @param activationRows rows of this run's cells in {@code activations} (0 without --activations)
   * @param activationMapRows rows of this run's cells in {@code activation_maps} (0 without --activation-maps)
   */
  /**
   * @param timings the call's wall time and where its task time went, per stage and net
   */
  public record Summary(long distanceRows, long rejectedRows, long forwardPasses, List<String> nets,
      Map<String, Integer> modelLoads, long channelTermRows, long activationRows, long activationMapRows,
      ExtractTimings timings) {}

  /** The table of per-channel terms (with {@code --channel-terms} or readout channel_norm_l2). */
  public static final String CHANNEL_TERMS = OutputLayout.CHANNEL_TERMS;

  /**
   * One extract run.
   *
   * @param readouts comma list of readouts (may include channel_norm_l2)
   * @param weightsUri channel-weights JSON for weighted, or null
   * @param taps comma list of taps (null or blank = all taps of each net)
   * @param combine comma list of tap combinations: sum, concat (null or blank = none)
   * @param channelTerms comma list of channel-term kinds to store: unit_l2, mse (null or blank = none)
   * @param datasets only these datasets of the manifest (empty = all)
   * @param activations write each image's per-channel descriptors of the chosen taps to {@code activations}
   * @param activationMaps comma list of taps whose full maps go to {@code activation_maps} (null or blank = none)
   */
  public record Request(List<String> netSpecs, String readouts, String weightsUri, String taps, String combine,
      String channelTerms, int batchSize, List<String> datasets, boolean activations, String activationMaps) {
    public Request(List<String> netSpecs, String readouts, String weightsUri, String taps, String combine,
        String channelTerms, int batchSize, List<String> datasets) {
      this(netSpecs, readouts, weightsUri, taps, combine, channelTerms, batchSize, datasets, false, null);
    }
  }

  /** Spark conf key: the most pairs one task forwards against one reference (default 64). */
  public static final String MAX_GROUP_SIZE_KEY = "spark.perceptsweep.extract.maxGroupSize";
  static final String REF_CHUNK = "ref_chunk";

  private ExtractJob() {}

  static int maxGroupSize(SparkSession spark) {
    String value = spark.conf().get(MAX_GROUP_SIZE_KEY, "64");
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UserInputException(MAX_GROUP_SIZE_KEY + " is '" + value + "': give a whole number of pairs, at least 1");
  }

  public static Summary run(SparkSession spark, OutputLayout out, List<String> netSpecs, String readouts,
      String weightsUri, int batchSize, List<String> datasets) {
    return run(spark, out, new Request(netSpecs, readouts, weightsUri, null, null, null, batchSize, datasets));
  }

  public static Summary run(SparkSession spark, OutputLayout out, Request request) {
    long started = System.nanoTime();
    List<String> netSpecs = request.netSpecs();
    String readouts = request.readouts();
    String weightsUri = request.weightsUri();
    int batchSize = request.batchSize();
    List<String> datasets = request.datasets();
    if (netSpecs.isEmpty()) {
      throw new UserInputException("no --net given: name at least one net (psnr, ssim, ms_ssim, pixels, "
          + "builtin:random-convnet, or a model file NAME.pt with NAME.json beside it)");
    }
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    Dataset<Row> manifest = ManifestTable.read(spark, out);
    if (!datasets.isEmpty()) {
      manifest = manifest.filter(col("dataset").isin(datasets.toArray()));
    }

    // Fail fast on the driver: every net loads, every readout, tap and weight is known before any work starts.
    ReadoutSet readoutSet = ExtractPlan.readoutSet(readouts, weightsUri, request.taps(), request.combine(),
        request.channelTerms(), hadoopConf)
        .withActivations(request.activations(), ReadoutSet.parseTaps(request.activationMaps()));
    List<String> classic = new ArrayList<>();
    List<ExtractPlan.NetPlan> nets = new ArrayList<>();
    Map<String, String> netIdentity = new LinkedHashMap<>();
    List<org.perceptsweep.udf.net.NetCard> netCards = new ArrayList<>();
    List<String> driverTimes = new ArrayList<>();
    List<org.perceptsweep.udf.net.NetFacts> netFacts = new ArrayList<>();
    for (String spec : netSpecs) {
      if (ExtractPlan.CLASSIC.contains(spec)) {
        classic.add(spec);
        netIdentity.put(spec, "classic:" + spec);
      } else {
        long loadStarted = System.nanoTime();
        FeatureNet net = Nets.get(spec, hadoopConf);
        String name = net.card().name();
        driverTimes.add(ExtractTimings.entry(ExtractTimings.LOAD, name, System.nanoTime() - loadStarted));
        if (netIdentity.containsKey(name)) {
          throw new UserInputException("two --net arguments are both named '" + name + "' (" + spec
              + "): every net in one run needs a distinct card name");
        }
        readoutSet.resolveTaps(name, net.card().tapChannels());
        nets.add(new ExtractPlan.NetPlan(spec, name));
        netCards.add(net.card());
        netFacts.add(net.facts());
        netIdentity.put(name, net.card().sha256());
      }
    }
    String weightsHash = weightsUri == null ? "-" : FileHashes.sha256(weightsUri, hadoopConf);
    // One small job brings every row's keys to the driver; the input hashes, the reference chunks
    // and the partitioning are planned from them here, not by a Spark job each.
    List<ReferenceGroups.PairKey> keys = new ArrayList<>();
    Map<String, String> manifestHashes = new java.util.TreeMap<>();
    for (Row r : manifest.select("dataset", "ref_id", "pair_id", "manifest_hash").collectAsList()) {
      keys.add(new ReferenceGroups.PairKey(r.getString(0), r.getString(1), r.getString(2)));
      manifestHashes.put(r.getString(0), r.getString(3));
    }
    Map<String, String> inputHash = new LinkedHashMap<>();
    for (Map.Entry<String, String> dataset : manifestHashes.entrySet()) {
      for (Map.Entry<String, String> net : netIdentity.entrySet()) {
        inputHash.put(dataset.getKey() + "/" + net.getKey(),
            CellHashes.extract(dataset.getValue(), net.getValue(), readoutSet.describe(), weightsHash));
      }
    }
    ExtractPlan plan = new ExtractPlan(List.copyOf(classic), List.copyOf(nets), readouts, weightsUri,
        request.taps(), request.combine(), request.channelTerms(), batchSize, inputHash, request.activations(),
        request.activationMaps());

    // A reference with many distorted images (KADID-10k: 125) is split into chunks of at most
    // maxGroupSize pairs, so partitions stay balanced; each chunk forwards its reference once.
    ReferenceGroups refGroups = ReferenceGroups.plan(keys, maxGroupSize(spark));
    Dataset<Row> chunked = manifest.withColumn(REF_CHUNK, udf(
        (UDF3<String, String, String, Integer>) refGroups::chunk, DataTypes.IntegerType)
        .apply(col("dataset"), col("ref_id"), col("pair_id")));
    int partitions = (int) Math.max(1, Math.min(refGroups.groups(), 3L * spark.sparkContext().defaultParallelism()));
    JavaRDD<Row> sorted = GroupPartitions.balanced(chunked, partitions, refGroups);

    HadoopConf shippedConf = new HadoopConf(hadoopConf);
    LongAccumulator forwardPasses = spark.sparkContext().longAccumulator("forward_passes");
    CollectionAccumulator<String> modelLoads = spark.sparkContext().collectionAccumulator("model_loads");
    CollectionAccumulator<String> timings = spark.sparkContext().collectionAccumulator("extract_timings");
    ExtractProgress progress = ExtractProgress.start(spark.sparkContext(), List.copyOf(netIdentity.keySet()),
        keys.size(), String.join(", ", manifestHashes.keySet()));
    JavaRDD<Row> rows = sorted.mapPartitions(it -> new PairGroupExtractor(plan, shippedConf.get(), forwardPasses,
        modelLoads, timings).withProgress(progress).processPartition(it).iterator());
    Dataset<Row> all = spark.createDataFrame(rows, PairGroupExtractor.SCHEMA).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Dataset<Row> distances = all.filter(col("kind").equalTo(PairGroupExtractor.KIND_DISTANCE))
          .select(DerivedReadoutsJob.columns());
      Dataset<Row> terms = all.filter(col("kind").equalTo(PairGroupExtractor.KIND_TERMS));
      if (readoutSet.channelNormL2() && !nets.isEmpty()) {
        // A dataset-wide pass over the channel terms just measured (the rows written to channel_terms).
        Map<String, Integer> sumIndex = null;
        if (readoutSet.combine().contains(org.perceptsweep.udf.readout.TapCombine.SUM)) {
          sumIndex = new LinkedHashMap<>();
          for (org.perceptsweep.udf.net.NetCard card : netCards) {
            sumIndex.put(card.name(), card.taps().size() + 1);
          }
        }
        distances = distances.unionByName(DerivedReadoutsJob.channelNormL2(spark,
            terms.filter(col("readout").equalTo(org.perceptsweep.udf.readout.ChannelTermKind.MSE.key())), sumIndex));
      }
      TableWriter.overwritePartitions(distances, out.table(OutputLayout.DISTANCES), "dataset", "net");
      long termRows = writeChannelTerms(spark, out, terms, !readoutSet.channelTerms().isEmpty(), inputHash.keySet(),
          netIdentity);
      long activationRows = ActivationTables.write(spark, out, OutputLayout.ACTIVATIONS,
          ActivationTables.descriptors(all), readoutSet.descriptors(), inputHash.keySet(), netIdentity);
      long mapRows = ActivationTables.write(spark, out, OutputLayout.ACTIVATION_MAPS, ActivationTables.maps(all),
          !readoutSet.mapTaps().isEmpty(), inputHash.keySet(), netIdentity);
      Dataset<Row> rejects = all.filter(col("kind").equalTo(PairGroupExtractor.KIND_REJECT))
          .selectExpr("dataset", "'extract' AS stage", "net", "pair_id AS item", "reason");
      long rejected = RejectsTable.replace(spark, out, rejects, List.of("extract"), inputHash.keySet());
      NetsTable.write(spark, out, classic, nets, netCards, netFacts);
      long distanceRows = spark.read().parquet(out.table(OutputLayout.DISTANCES)).count();
      Map<String, Integer> loads = new java.util.TreeMap<>();
      for (String entry : modelLoads.value()) {
        String[] f = entry.split("\t");
        loads.merge(f[0] + "/" + f[1], Integer.parseInt(f[2]), Math::max);
      }
      List<String> timeEntries = new ArrayList<>(driverTimes);
      timeEntries.addAll(timings.value());
      ExtractTimings times = ExtractTimings.of((System.nanoTime() - started) / 1e9, timeEntries,
          nets.stream().map(ExtractPlan.NetPlan::name).toList());
      return new Summary(distanceRows, rejected, forwardPasses.value(), List.copyOf(netIdentity.keySet()), loads,
          termRows, activationRows, mapRows, times);
    } finally {
      all.unpersist();
      ExtractProgress.end(spark.sparkContext());
    }
  }

  /**
   * Writes the channel terms of this run's (dataset, net) cells, or, when none were asked for,
   * removes those cells' old terms so that no stale terms outlive a rerun.
   */
  private static long writeChannelTerms(SparkSession spark, OutputLayout out, Dataset<Row> terms, boolean asked,
      java.util.Set<String> cells, Map<String, String> netIdentity) {
    String table = out.table(CHANNEL_TERMS);
    if (asked) {
      Dataset<Row> rows = terms.selectExpr("dataset", "net", "pair_id", "ref_id", "tap", "readout AS kind", "values",
          "input_hash");
      TableWriter.overwritePartitions(rows, table, "dataset", "net");
      return spark.read().parquet(table).count();
    }
    removeNetCells(spark, table, cells, netIdentity, "channel terms");
    return 0;
  }

  /**
   * Removes the (dataset, net) partitions of this run's net cells (classic metrics have none) from a
   * table this run did not write, so that no stale rows outlive a rerun.
   */
  static void removeNetCells(SparkSession spark, String table, java.util.Set<String> cells,
      Map<String, String> netIdentity, String what) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    try {
      for (String cell : cells) {
        int slash = cell.lastIndexOf('/');
        String dataset = cell.substring(0, slash);
        String net = cell.substring(slash + 1);
        if (netIdentity.getOrDefault(net, "").startsWith("classic:")) {
          continue;
        }
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(
            TableWriter.partitionPath(table, "dataset", dataset, "net", net));
        org.apache.hadoop.fs.FileSystem fs = p.getFileSystem(conf);
        if (fs.exists(p)) {
          fs.delete(p, true);
        }
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot remove stale " + what + " under " + table + ": " + e.getMessage(), e);
    }
  }
}
