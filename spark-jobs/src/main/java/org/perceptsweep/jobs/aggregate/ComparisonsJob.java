package org.perceptsweep.jobs.aggregate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.struct;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.perceptsweep.core.MetricDirection;
import org.perceptsweep.core.UserInputException;
import org.perceptsweep.core.stats.Agreement;
import org.perceptsweep.core.stats.CorrelationResult;
import org.perceptsweep.core.stats.Correlations;
import org.perceptsweep.core.stats.PairedComparison;
import org.perceptsweep.core.stats.PairedComparisonResult;
import org.perceptsweep.core.stats.ReferenceGroups;
import org.perceptsweep.core.stats.ReferenceResamples;
import org.perceptsweep.core.util.Hashing;
import org.perceptsweep.jobs.aggregate.ComparisonPlan.CellKey;
import org.perceptsweep.jobs.aggregate.ComparisonPlan.Planned;
import org.perceptsweep.jobs.tables.OutputLayout;
import org.perceptsweep.jobs.tables.TableWriter;

/**
 * The {@code comparisons} table: for the pairs of cells planned by {@link ComparisonPlan}, on the
 * pairs both cells measured, the difference of agreement-signed SROCC (A - B) with its 95%
 * reference-bootstrap interval (the same resamples for A and B: a paired test) and the fraction of
 * resamples in which A's agreement is strictly higher. One row per comparison and distortion subset
 * ({@code all} and each type), partitioned by dataset. The statistics are {@link PairedComparison}.
 */
public final class ComparisonsJob {
  public static final StructType SCHEMA = new StructType()
      .add("dataset", DataTypes.StringType, false)
      .add("distortion", DataTypes.StringType, false)
      .add("net_a", DataTypes.StringType, false)
      .add("tap_a", DataTypes.StringType, false)
      .add("readout_a", DataTypes.StringType, false)
      .add("net_b", DataTypes.StringType, false)
      .add("tap_b", DataTypes.StringType, false)
      .add("readout_b", DataTypes.StringType, false)
      .add("origin", DataTypes.StringType, false)
      .add("n", DataTypes.IntegerType, false)
      .add("references", DataTypes.IntegerType, false)
      .add("srocc_a", DataTypes.DoubleType, true)
      .add("srocc_b", DataTypes.DoubleType, true)
      .add("srocc_diff", DataTypes.DoubleType, true)
      .add("diff_ci_low", DataTypes.DoubleType, true)
      .add("diff_ci_high", DataTypes.DoubleType, true)
      .add("fraction_a_beats_b", DataTypes.DoubleType, true)
      .add("bootstrap_resamples", DataTypes.IntegerType, false)
      .add("bootstrap_undefined", DataTypes.IntegerType, false)
      .add("bootstrap_seed", DataTypes.LongType, false)
      .add("undefined_reason", DataTypes.StringType, true)
      .add("input_hash", DataTypes.StringType, false);

  private ComparisonsJob() {}

  /** Plans, computes and writes the comparisons; returns the rows written. */
  static long run(SparkSession spark, OutputLayout out, AggregateJob.Options options,
      List<ComparisonPlan.Request> requested) {
    Dataset<Row> correlations = spark.read().parquet(out.table(OutputLayout.CORRELATIONS))
        .filter(col("distortion").equalTo(AggregateJob.ALL));
    if (!options.datasets().isEmpty()) {
      correlations = correlations.filter(col("dataset").isin(options.datasets().toArray()));
    }
    Map<String, List<ComparisonPlan.Candidate>> candidates = new TreeMap<>();
    Map<List<String>, String> cellHash = new HashMap<>();
    for (Row r : correlations.select("dataset", "net", "tap", "readout", "tap_index", "srocc", "input_hash")
        .collectAsList()) {
      CellKey key = new CellKey(r.getString(1), r.getString(2), r.getString(3));
      candidates.computeIfAbsent(r.getString(0), d -> new ArrayList<>())
          .add(new ComparisonPlan.Candidate(key, r.getInt(4), r.isNullAt(5) ? null : r.getDouble(5)));
      cellHash.put(List.of(r.getString(0), key.label()), r.getString(6));
    }
    requireKnown(requested, candidates);

    Map<String, List<Planned>> plans = new LinkedHashMap<>();
    List<Row> needed = new ArrayList<>();
    for (Map.Entry<String, List<ComparisonPlan.Candidate>> e : candidates.entrySet()) {
      List<Planned> p = ComparisonPlan.plan(e.getValue(), requested);
      if (p.isEmpty()) {
        continue;
      }
      plans.put(e.getKey(), p);
      TreeSet<String> cells = new TreeSet<>();
      for (Planned planned : p) {
        cells.add(planned.a().label());
        cells.add(planned.b().label());
      }
      for (String label : cells) {
        String[] k = label.split("/", -1);
        needed.add(RowFactory.create(e.getKey(), k[0], k[1], k[2]));
      }
    }
    if (plans.isEmpty()) {
      return 0;
    }
    StructType keySchema = new StructType().add("dataset", DataTypes.StringType).add("net", DataTypes.StringType)
        .add("tap", DataTypes.StringType).add("readout", DataTypes.StringType);
    Dataset<Row> keys = spark.createDataFrame(needed, keySchema);
    Dataset<Row> points = AggregateJob.pointsWithScores(spark, out, new ArrayList<>(plans.keySet()))
        .join(org.apache.spark.sql.functions.broadcast(keys), new String[] {"dataset", "net", "tap", "readout"});
    Dataset<Row> perDataset = points.groupBy("dataset")
        .agg(collect_list(struct(col("net"), col("tap"), col("readout"), col("pair_id"), col("ref_id"),
                col("distortion"), col("distance"), col("score"))).as("points"),
            first("higher_is_better").as("higher_is_better"));
    int resamples = options.resamples();
    long seed = options.seed();
    JavaRDD<Row> rows = perDataset.javaRDD().flatMap(d -> {
      String dataset = d.getString(0);
      List<Row> out1 = new ArrayList<>();
      compare(dataset, d.getList(1), d.getBoolean(2), plans.get(dataset), cellHash, resamples, seed, out1);
      return out1.iterator();
    });
    Dataset<Row> table = spark.createDataFrame(rows, SCHEMA);
    TableWriter.overwritePartitions(table, out.table(OutputLayout.COMPARISONS), "dataset");
    return spark.read().parquet(out.table(OutputLayout.COMPARISONS))
        .filter(col("dataset").isin(plans.keySet().toArray())).count();
  }

  /** A requested cell that no selected dataset has is a typo: one clear line, before any work. */
  static void requireKnown(List<ComparisonPlan.Request> requested,
      Map<String, List<ComparisonPlan.Candidate>> candidates) {
    for (ComparisonPlan.Request r : requested) {
      for (CellKey k : List.of(r.a(), r.b())) {
        boolean found = candidates.values().stream().anyMatch(l -> l.stream().anyMatch(c -> c.key().equals(k)));
        if (!found) {
          TreeSet<String> ofNet = new TreeSet<>();
          candidates.values().forEach(l -> l.stream().filter(c -> c.key().net().equals(k.net()))
              .forEach(c -> ofNet.add(c.key().tap() + "/" + c.key().readout())));
          throw new UserInputException("--compare " + r.text() + ": no cell " + k.label() + " in the distances"
              + (ofNet.isEmpty() ? "; no net '" + k.net() + "' was aggregated (run extract with it first)"
                  : "; net " + k.net() + " has tap/readout " + String.join(", ", ofNet)));
        }
      }
    }
  }

  /** One measured pair of one cell. */
  private record Point(String refId, String distortion, double metric, double score) {}

  /** The comparison rows of one dataset (plain Java on the collected points). */
  static void compare(String dataset, List<Row> rows, boolean higherIsBetter, List<Planned> plans,
      Map<List<String>, String> cellHash, int resamples, long seed, List<Row> out) {
    Map<String, TreeMap<String, Point>> byCell = new HashMap<>();
    for (Row r : rows) {
      String label = r.getString(0) + "/" + r.getString(1) + "/" + r.getString(2);
      double metric = r.isNullAt(6) ? Double.NaN : r.getDouble(6);
      double score = r.isNullAt(7) ? Double.NaN : r.getDouble(7);
      byCell.computeIfAbsent(label, k -> new TreeMap<>())
          .put(r.getString(3), new Point(r.getString(4), r.getString(5), metric, score));
    }
    Map<Integer, ReferenceResamples> cache = new HashMap<>();
    for (Planned p : plans) {
      String hash = Hashing.sha256Hex("comparisons/v1", p.a().label(), p.b().label(),
          cellHash.get(List.of(dataset, p.a().label())), cellHash.get(List.of(dataset, p.b().label())),
          "resamples=" + resamples, "seed=" + seed);
      if (p.missing() != null) {
        out.add(row(dataset, AggregateJob.ALL, p, 0, 0, null, resamples, resamples, seed, p.missing(), hash));
        continue;
      }
      TreeMap<String, Point> a = byCell.getOrDefault(p.a().label(), new TreeMap<>());
      TreeMap<String, Point> b = byCell.getOrDefault(p.b().label(), new TreeMap<>());
      List<String> common = new ArrayList<>();
      for (String pair : a.keySet()) {
        if (b.containsKey(pair)) {
          common.add(pair);
        }
      }
      int signA = Agreement.sign(MetricDirection.higherIsWorse(p.a().readout()), higherIsBetter);
      int signB = Agreement.sign(MetricDirection.higherIsWorse(p.b().readout()), higherIsBetter);
      TreeMap<String, List<String>> subsets = new TreeMap<>();
      subsets.put(AggregateJob.ALL, common);
      for (String pair : common) {
        subsets.computeIfAbsent(a.get(pair).distortion(), k -> new ArrayList<>()).add(pair);
      }
      // 'all' first, then the distortion types in name order
      List<String> order = new ArrayList<>();
      order.add(AggregateJob.ALL);
      subsets.keySet().stream().filter(k -> !k.equals(AggregateJob.ALL)).forEach(order::add);
      for (String distortion : order) {
        List<String> pairs = subsets.get(distortion);
        int n = pairs.size();
        double[] x = new double[n];
        double[] y = new double[n];
        double[] s = new double[n];
        String[] refs = new String[n];
        for (int i = 0; i < n; i++) {
          Point pa = a.get(pairs.get(i));
          x[i] = pa.metric();
          y[i] = b.get(pairs.get(i)).metric();
          s[i] = pa.score();
          refs[i] = pa.refId();
        }
        ReferenceGroups groups = ReferenceGroups.of(refs);
        if (resamples == 0 || n == 0) {
          CorrelationResult ca = Correlations.of(x, s);
          CorrelationResult cb = Correlations.of(y, s);
          Double sa = ca.srocc() == null ? null : signA * ca.srocc();
          Double sb = cb.srocc() == null ? null : signB * cb.srocc();
          String reason = n == 0 ? "the two cells share no pairs"
              : ca.srocc() == null ? "metric A: " + ca.undefinedReason()
              : cb.srocc() == null ? "metric B: " + cb.undefinedReason() : "bootstrap off (--resamples 0)";
          out.add(RowFactory.create(dataset, distortion, p.a().net(), p.a().tap(), p.a().readout(), p.b().net(),
              p.b().tap(), p.b().readout(), p.origin(), n, groups.referenceCount(), sa, sb,
              sa == null || sb == null ? null : sa - sb, null, null, null, resamples, resamples, seed, reason, hash));
          continue;
        }
        ReferenceResamples draws = cache.computeIfAbsent(groups.referenceCount(),
            refCount -> ReferenceResamples.draw(refCount, resamples, seed));
        PairedComparisonResult c = PairedComparison.compare(x, signA, y, signB, s, groups, draws);
        out.add(row(dataset, distortion, p, n, groups.referenceCount(), c, resamples, c.undefinedResamples(), seed,
            c.undefinedReason(), hash));
      }
    }
  }

  private static Row row(String dataset, String distortion, Planned p, int n, int refs, PairedComparisonResult c,
      int resamples, int undefined, long seed, String reason, String hash) {
    return RowFactory.create(dataset, distortion, p.a().net(), p.a().tap(), p.a().readout(), p.b().net(),
        p.b().tap(), p.b().readout(), p.origin(), n, refs,
        c == null ? null : c.sroccA(), c == null ? null : c.sroccB(), c == null ? null : c.difference(),
        c == null ? null : c.lower(), c == null ? null : c.upper(), c == null ? null : c.fractionABeatsB(),
        resamples, undefined, seed, reason, hash);
  }
}
