package org.perceptsweep.jobs.fit;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.perceptsweep.core.UserInputException;
import org.perceptsweep.core.stats.Agreement;
import org.perceptsweep.core.stats.CorrelationResult;
import org.perceptsweep.core.stats.Correlations;
import org.perceptsweep.core.util.Hashing;
import org.perceptsweep.jobs.aggregate.AggregateJob;
import org.perceptsweep.jobs.extract.DerivedReadoutsJob;
import org.perceptsweep.jobs.extract.ExtractJob;
import org.perceptsweep.jobs.manifest.ManifestTable;
import org.perceptsweep.jobs.tables.FileHashes;
import org.perceptsweep.jobs.tables.OutputLayout;
import org.perceptsweep.udf.readout.ChannelTermKind;
import org.perceptsweep.udf.readout.ChannelWeightFit;
import org.perceptsweep.udf.readout.ReadoutSet;
import org.perceptsweep.udf.readout.ReferenceFolds;

/**
 * The {@code fit} subcommand: learns non-negative channel weights from the {@code unit_l2} channel
 * terms that {@code extract --channel-terms} stored, with the method of {@link ChannelWeightFit}.
 *
 * <ul>
 *   <li>Cross-validation (per {@code --dataset}): reference-disjoint k-fold ({@link ReferenceFolds});
 *       each pair's out-of-fold distance goes to {@code distances} as readout {@value #FITTED}.
 *   <li>Transfer ({@code --train-dataset A --test-dataset B}): weights fitted on all of A give the
 *       distances of B's pairs, readout {@value #FITTED}{@code _from_A}.
 * </ul>
 * The taps are fitted jointly (one weight vector over their channels; rows on pseudo-tap
 * {@code sum}) or, with {@code --per-tap}, each alone (rows on that tap). Weights fitted on all pairs
 * of the training dataset are written in the LPIPS JSON format ({@code {"taps": {tap: [w...]}}}),
 * so {@code extract --readouts weighted --weights FILE} reproduces the fitted distances. Then the
 * correlations of the touched datasets are recomputed.
 */
public final class FitJob {
  public static final String FITTED = "fitted_weighted";

  /**
   * @param nets net names as in the tables (card names)
   * @param datasets datasets to cross-validate on (empty with no train/test = every dataset with terms)
   * @param taps comma list of taps (blank = every tap with terms, in card order)
   * @param weightsOut where to write the weights JSON (only with one net and one training dataset;
   *     default {@code OUT/weights/DATASET/NET.json})
   */
  public record Request(List<String> nets, List<String> datasets, String trainDataset, String testDataset,
      String taps, boolean perTap, int folds, long seed, double ridge, String weightsOut) {}

  /** One fitted cell: agreement (positive = agrees with humans) of the fitted and the uniform weights. */
  public record Cell(String mode, String trainDataset, String testDataset, String net, String tap, int n,
      Double fittedSrocc, Double unitSrocc, Double fittedPlcc, long nonZeroWeights, int channels,
      Map<String, Integer> foldOfReference) {}

  public record Summary(List<Cell> cells, List<String> weightsFiles, long distanceRows) {}

  private FitJob() {}

  public static Summary run(SparkSession spark, OutputLayout out, Request req) {
    if (req.nets() == null || req.nets().isEmpty()) {
      throw new UserInputException("no --net given: name the net (its card name, e.g. alexnet-imagenet) whose "
          + "channel terms to fit");
    }
    boolean transfer = req.trainDataset() != null || req.testDataset() != null;
    if (transfer && (req.trainDataset() == null || req.testDataset() == null)) {
      throw new UserInputException("--train-dataset and --test-dataset go together: give both");
    }
    if (transfer && !req.datasets().isEmpty()) {
      throw new UserInputException("give either --dataset (cross-validation) or --train-dataset/--test-dataset "
          + "(transfer), not both");
    }
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    String termsPath = out.table(ExtractJob.CHANNEL_TERMS);
    // No folder, or one whose cells a later extract without --channel-terms removed.
    if (!FileHashes.hasDataFiles(termsPath, conf)) {
      throw new UserInputException("no channel terms at " + termsPath + ": run 'percept-sweep extract --out "
          + out.root() + " --net ... --channel-terms unit_l2' first");
    }
    Dataset<Row> terms = spark.read().parquet(termsPath)
        .filter(col("kind").equalTo(ChannelTermKind.UNIT_L2.key()));
    Dataset<Row> manifest = ManifestTable.read(spark, out)
        .select("dataset", "pair_id", "dist_path", "score", "higher_is_better");
    List<Cell> cells = new ArrayList<>();
    List<String> weightsFiles = new ArrayList<>();
    List<Row> rows = new ArrayList<>();
    Set<String> readouts = new LinkedHashSet<>();
    for (String net : req.nets()) {
      List<String> cardTaps = cardTaps(spark, out, net);
      if (transfer) {
        CellData train = load(terms, manifest, req.trainDataset(), net, req.taps(), cardTaps);
        CellData test = load(terms, manifest, req.testDataset(), net, String.join(",", train.taps), cardTaps);
        String readout = FITTED + "_from_" + req.trainDataset();
        readouts.add(readout);
        Map<String, double[]> weights = new LinkedHashMap<>();
        for (List<String> group : groups(train.taps, req.perTap())) {
          double[] w = ChannelWeightFit.fit(train.x(group), train.worse, req.ridge());
          double[] d = ChannelWeightFit.predict(test.x(group), w);
          String hash = Hashing.sha256Hex("fit/v1", "transfer", train.hash(), test.hash(), String.join(",", group),
              Double.toString(req.ridge()));
          addRows(rows, test, net, group, cardTaps, readout, d, hash);
          cells.add(cell("transfer", req.trainDataset(), req.testDataset(), net, group, test, d, w, Map.of()));
          split(train, group, w, weights);
        }
        weightsFiles.add(writeWeights(conf, weightsPath(out, req, net, req.trainDataset()), weights, net,
            req.trainDataset(), req, "all pairs of " + req.trainDataset()));
      } else {
        List<String> datasets = req.datasets().isEmpty() ? datasetsWithTerms(terms, net) : req.datasets();
        readouts.add(FITTED);
        for (String dataset : datasets) {
          CellData data = load(terms, manifest, dataset, net, req.taps(), cardTaps);
          Map<String, double[]> weights = new LinkedHashMap<>();
          for (List<String> group : groups(data.taps, req.perTap())) {
            float[][] x = data.x(group);
            ChannelWeightFit.CrossValidation cv = ChannelWeightFit.crossValidate(x, data.worse, data.refs,
                req.folds(), req.seed(), req.ridge());
            double[] full = ChannelWeightFit.fit(x, data.worse, req.ridge());
            String hash = Hashing.sha256Hex("fit/v1", "cv", data.hash(), String.join(",", group),
                Integer.toString(req.folds()), Long.toString(req.seed()), Double.toString(req.ridge()));
            addRows(rows, data, net, group, cardTaps, FITTED, cv.outOfFold(), hash);
            cells.add(cell("cv" + req.folds(), dataset, dataset, net, group, data, cv.outOfFold(), full,
                ReferenceFolds.assign(List.of(data.refs), req.folds(), req.seed())));
            split(data, group, full, weights);
          }
          weightsFiles.add(writeWeights(conf, weightsPath(out, req, net, dataset), weights, net, dataset, req,
              "all pairs of " + dataset + " (out-of-fold distances: " + req.folds() + " reference-disjoint folds, seed "
                  + req.seed() + ")"));
        }
      }
    }
    Dataset<Row> fitted = spark.createDataFrame(rows, DerivedReadoutsJob.DISTANCES);
    long written = DerivedReadoutsJob.replaceReadouts(spark, out, fitted, List.copyOf(readouts));
    List<String> touched = fitted.select("dataset").distinct().as(org.apache.spark.sql.Encoders.STRING())
        .collectAsList();
    AggregateJob.run(spark, out, touched);
    return new Summary(cells, weightsFiles, written);
  }

  /** The pairs of one dataset x net with their concatenated terms per tap. */
  private static final class CellData {
    final String dataset;
    final List<String> taps;
    final String[] pairs;
    final String[] refs;
    final String[] distPaths;
    final double[] worse;
    final boolean higherIsBetter;
    final double[] score;
    final List<Map<String, float[]>> byTap;
    final Set<String> inputHashes;

    CellData(String dataset, List<String> taps, TreeMap<String, Object[]> pairs, Set<String> inputHashes) {
      this.dataset = dataset;
      this.taps = taps;
      int n = pairs.size();
      this.pairs = new String[n];
      this.refs = new String[n];
      this.distPaths = new String[n];
      this.worse = new double[n];
      this.score = new double[n];
      this.byTap = new ArrayList<>(n);
      boolean hib = true;
      int i = 0;
      for (Map.Entry<String, Object[]> e : pairs.entrySet()) {
        Object[] p = e.getValue();
        this.pairs[i] = e.getKey();
        this.refs[i] = (String) p[0];
        this.distPaths[i] = (String) p[1];
        this.score[i] = (Double) p[2];
        hib = (Boolean) p[3];
        this.worse[i] = hib ? -score[i] : score[i];
        @SuppressWarnings("unchecked")
        Map<String, float[]> t = (Map<String, float[]>) p[4];
        this.byTap.add(t);
        i++;
      }
      this.higherIsBetter = hib;
      this.inputHashes = inputHashes;
    }

    float[][] x(List<String> group) {
      float[][] x = new float[pairs.length][];
      for (int i = 0; i < pairs.length; i++) {
        int len = 0;
        for (String tap : group) {
          len += byTap.get(i).get(tap).length;
        }
        float[] row = new float[len];
        int at = 0;
        for (String tap : group) {
          float[] v = byTap.get(i).get(tap);
          System.arraycopy(v, 0, row, at, v.length);
          at += v.length;
        }
        x[i] = row;
      }
      return x;
    }

    String hash() {
      return String.join(",", new TreeSet<>(inputHashes));
    }
  }

  private static CellData load(Dataset<Row> terms, Dataset<Row> manifest, String dataset, String net, String taps,
      List<String> cardTaps) {
    List<Row> rows = terms.filter(col("dataset").equalTo(dataset).and(col("net").equalTo(net)))
        .join(manifest, new String[] {"dataset", "pair_id"})
        .select("pair_id", "ref_id", "dist_path", "score", "higher_is_better", "tap", "values", "input_hash")
        .collectAsList();
    if (rows.isEmpty()) {
      throw new UserInputException("no unit_l2 channel terms for net " + net + " on dataset " + dataset
          + ": run 'percept-sweep extract --net ... --dataset " + dataset + " --channel-terms unit_l2' first");
    }
    Set<String> available = new TreeSet<>();
    for (Row r : rows) {
      available.add(r.getString(5));
    }
    List<String> chosen = ReadoutSet.parseTaps(taps);
    if (chosen.isEmpty()) {
      chosen = new ArrayList<>();
      for (String t : cardTaps) {
        if (available.contains(t)) {
          chosen.add(t);
        }
      }
      for (String t : available) {
        if (!chosen.contains(t)) {
          chosen.add(t);
        }
      }
    }
    for (String t : chosen) {
      if (!available.contains(t)) {
        throw new UserInputException("no unit_l2 channel terms for tap '" + t + "' of net " + net + " on dataset "
            + dataset + " (--taps): the stored taps are " + String.join(", ", available)
            + "; rerun extract with --channel-terms on that tap");
      }
    }
    TreeMap<String, Object[]> pairs = new TreeMap<>();
    Set<String> hashes = new TreeSet<>();
    for (Row r : rows) {
      String tap = r.getString(5);
      if (!chosen.contains(tap)) {
        continue;
      }
      Object[] p = pairs.computeIfAbsent(r.getString(0), k -> new Object[] {r.getString(1), r.getString(2),
          r.getDouble(3), r.getBoolean(4), new LinkedHashMap<String, float[]>()});
      @SuppressWarnings("unchecked")
      Map<String, float[]> byTap = (Map<String, float[]>) p[4];
      byTap.put(tap, DerivedReadoutsJob.values(r, 6));
      hashes.add(r.getString(7));
    }
    for (Map.Entry<String, Object[]> e : pairs.entrySet()) {
      @SuppressWarnings("unchecked")
      Map<String, float[]> byTap = (Map<String, float[]>) e.getValue()[4];
      for (String t : chosen) {
        if (!byTap.containsKey(t)) {
          throw new UserInputException("pair " + e.getKey() + " of dataset " + dataset + " has no unit_l2 channel "
              + "terms for tap " + t + " of net " + net + ": rerun extract with --channel-terms for all chosen taps");
        }
      }
    }
    return new CellData(dataset, List.copyOf(chosen), pairs, hashes);
  }

  private static List<List<String>> groups(List<String> taps, boolean perTap) {
    if (!perTap) {
      return List.of(taps);
    }
    List<List<String>> out = new ArrayList<>();
    for (String t : taps) {
      out.add(List.of(t));
    }
    return out;
  }

  private static void addRows(List<Row> rows, CellData data, String net, List<String> group, List<String> cardTaps,
      String readout, double[] distances, String hash) {
    String tap = group.size() == 1 ? group.get(0) : ReadoutSet.SUM_TAP;
    int tapIndex = group.size() == 1 && cardTaps.contains(tap) ? cardTaps.indexOf(tap) + 1 : cardTaps.size() + 1;
    for (int i = 0; i < distances.length; i++) {
      rows.add(RowFactory.create(data.dataset, net, data.pairs[i], data.refs[i], data.distPaths[i], tap, tapIndex,
          readout, distances[i], hash));
    }
  }

  private static Cell cell(String mode, String train, String test, String net, List<String> group, CellData data,
      double[] distances, double[] weights, Map<String, Integer> folds) {
    int sign = Agreement.sign(true, data.higherIsBetter);
    float[][] x = data.x(group);
    double[] uniform = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      for (float v : x[i]) {
        uniform[i] += v;
      }
    }
    CorrelationResult fitted = Correlations.of(distances, data.score);
    CorrelationResult unit = Correlations.of(uniform, data.score);
    return new Cell(mode, train, test, net, group.size() == 1 ? group.get(0) : String.join("+", group),
        distances.length, times(fitted.srocc(), sign), times(unit.srocc(), sign), times(fitted.plcc(), sign),
        ChannelWeightFit.nonZero(weights), weights.length, folds);
  }

  private static Double times(Double v, int sign) {
    return v == null ? null : v * sign;
  }

  private static void split(CellData data, List<String> group, double[] w, Map<String, double[]> into) {
    int at = 0;
    for (String tap : group) {
      int len = data.byTap.get(0).get(tap).length;
      double[] part = new double[len];
      System.arraycopy(w, at, part, 0, len);
      into.put(tap, part);
      at += len;
    }
  }

  private static String weightsPath(OutputLayout out, Request req, String net, String dataset) {
    if (req.weightsOut() != null && !req.weightsOut().isBlank()) {
      if (req.nets().size() > 1 || req.datasets().size() > 1) {
        throw new UserInputException("--weights-out names one file: use it with one --net and one dataset, or leave"
            + " it out to get OUT/weights/DATASET/NET.json per cell");
      }
      return req.weightsOut();
    }
    return new Path(new Path(new Path(out.root(), "weights"), dataset), net + ".json").toString();
  }

  private static String writeWeights(Configuration conf, String uri, Map<String, double[]> weights, String net,
      String dataset, Request req, String trainedOn) {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("net", net);
    root.put("trained_on", trainedOn);
    root.put("dataset", dataset);
    root.put("method", "non-negative ridge least squares of the score (DMOS as is, MOS negated) on the unit_l2 "
        + "channel terms, free intercept, lambda = ridge * trace(Xc^T Xc) / channels");
    root.put("ridge", req.ridge());
    root.put("joint_taps", !req.perTap());
    ObjectNode taps = root.putObject("taps");
    for (Map.Entry<String, double[]> e : weights.entrySet()) {
      ArrayNode list = taps.putArray(e.getKey());
      for (double v : e.getValue()) {
        list.add(v);
      }
    }
    Path path = new Path(uri);
    try {
      FileSystem fs = path.getFileSystem(conf);
      try (OutputStream os = fs.create(path, true)) {
        os.write(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root).getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UserInputException("cannot write the weights file " + uri + ": " + e.getMessage()
          + " (check --weights-out and the file system's permissions)", e);
    }
    return path.toString();
  }

  private static List<String> cardTaps(SparkSession spark, OutputLayout out, String net) {
    String nets = out.table(OutputLayout.NETS);
    if (FileHashes.exists(nets, spark.sparkContext().hadoopConfiguration())) {
      List<Row> card = spark.read().parquet(nets).filter(col("net").equalTo(net)).select("taps").collectAsList();
      if (!card.isEmpty()) {
        return List.copyOf(card.get(0).getList(0));
      }
    }
    return List.of();
  }

  private static List<String> datasetsWithTerms(Dataset<Row> terms, String net) {
    List<String> out = terms.filter(col("net").equalTo(net)).select("dataset").distinct().orderBy("dataset")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    if (out.isEmpty()) {
      throw new UserInputException("no unit_l2 channel terms for net " + net + ": run 'percept-sweep extract --net "
          + "... --channel-terms unit_l2' first (the net is named by its card name, e.g. alexnet-imagenet)");
    }
    return out;
  }
}
