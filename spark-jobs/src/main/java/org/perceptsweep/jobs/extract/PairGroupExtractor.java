package org.perceptsweep.jobs.extract;

import ai.djl.Device;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.perceptsweep.core.UserInputException;
import org.perceptsweep.core.image.ImageDecoder;
import org.perceptsweep.core.image.RgbImage;
import org.perceptsweep.core.util.StageClock;
import org.perceptsweep.udf.metrics.ClassicMetrics;
import org.perceptsweep.udf.net.DeviceSelection;
import org.perceptsweep.udf.net.FeatureNet;
import org.perceptsweep.udf.net.ImageActivations;
import org.perceptsweep.udf.net.NetCard;
import org.perceptsweep.udf.net.NetSession;
import org.perceptsweep.udf.net.Nets;
import org.perceptsweep.udf.net.PairReadouts;
import org.perceptsweep.udf.net.ReferenceActivations;
import org.perceptsweep.udf.net.TapActivation;
import org.perceptsweep.udf.net.TapDescriptor;
import org.perceptsweep.udf.net.TapInfo;
import org.perceptsweep.udf.readout.ReadoutSet;

/**
 * Executor side of the extract job, for one partition of manifest rows sorted by reference: each
 * reference image is decoded and forwarded once per group, each distorted image once, and only
 * the readout values leave the engine. A bad pair becomes a reject row and the rest go on.
 */
final class PairGroupExtractor {
  static final String KIND_DISTANCE = "distance";
  static final String KIND_REJECT = "reject";
  /** Per-channel terms of one tap: {@code readout} holds the term kind, {@code values} the terms. */
  static final String KIND_TERMS = "terms";
  /**
   * One image's descriptors of one tap: {@code dist_path} holds the image, {@code values} the
   * per-channel means, {@code std} the standard deviations.
   */
  static final String KIND_ACTIVATION = "activation";
  /** One image's full map of one tap: {@code dist_path} holds the image, {@code values} the map. */
  static final String KIND_ACTIVATION_MAP = "activation_map";
  static final String ROLE_REFERENCE = "reference";
  static final String ROLE_DISTORTED = "distorted";

  /** Distances, channel terms and rejects in one row type, so one pass over the images yields all tables. */
  static final StructType SCHEMA = new StructType()
      .add("kind", DataTypes.StringType, false)
      .add("dataset", DataTypes.StringType, false)
      .add("pair_id", DataTypes.StringType, false)
      .add("ref_id", DataTypes.StringType, false)
      .add("dist_path", DataTypes.StringType, false)
      .add("net", DataTypes.StringType, false)
      .add("tap", DataTypes.StringType, true)
      .add("tap_index", DataTypes.IntegerType, true)
      .add("readout", DataTypes.StringType, true)
      .add("distance", DataTypes.DoubleType, true)
      .add("reason", DataTypes.StringType, true)
      .add("input_hash", DataTypes.StringType, false)
      .add("values", DataTypes.createArrayType(DataTypes.FloatType, false), true)
      .add("image_role", DataTypes.StringType, true)
      .add(ExtractJob.REF_CHUNK, DataTypes.IntegerType, true)
      .add("channels", DataTypes.IntegerType, true)
      .add("height", DataTypes.IntegerType, true)
      .add("width", DataTypes.IntegerType, true)
      .add("std", DataTypes.createArrayType(DataTypes.FloatType, false), true)
      .add("shape", DataTypes.createArrayType(DataTypes.IntegerType, false), true);

  // Column positions in SCHEMA, so rows are built by name and a new column touches no builder.
  private static final int KIND = SCHEMA.fieldIndex("kind");
  private static final int DATASET = SCHEMA.fieldIndex("dataset");
  private static final int PAIR_ID = SCHEMA.fieldIndex("pair_id");
  private static final int REF_ID = SCHEMA.fieldIndex("ref_id");
  private static final int DIST_PATH = SCHEMA.fieldIndex("dist_path");
  private static final int NET = SCHEMA.fieldIndex("net");
  private static final int TAP = SCHEMA.fieldIndex("tap");
  private static final int TAP_INDEX = SCHEMA.fieldIndex("tap_index");
  private static final int READOUT = SCHEMA.fieldIndex("readout");
  private static final int DISTANCE = SCHEMA.fieldIndex("distance");
  private static final int REASON = SCHEMA.fieldIndex("reason");
  private static final int INPUT_HASH = SCHEMA.fieldIndex("input_hash");
  private static final int VALUES = SCHEMA.fieldIndex("values");
  private static final int IMAGE_ROLE = SCHEMA.fieldIndex("image_role");
  private static final int CHUNK = SCHEMA.fieldIndex(ExtractJob.REF_CHUNK);
  private static final int CHANNELS = SCHEMA.fieldIndex("channels");
  private static final int HEIGHT = SCHEMA.fieldIndex("height");
  private static final int WIDTH = SCHEMA.fieldIndex("width");
  private static final int STD = SCHEMA.fieldIndex("std");
  private static final int SHAPE = SCHEMA.fieldIndex("shape");

  private final ExtractPlan plan;
  private final Configuration conf;
  private final LongAccumulator forwardPasses;
  private final CollectionAccumulator<String> modelLoads;
  /** "stage\tname\tnanos" entries of this task's thread time (see {@link ExtractTimings}). */
  private final CollectionAccumulator<String> timings;
  private final Map<String, Long> taskNanos = new java.util.LinkedHashMap<>();
  private final List<FeatureNet> nets = new ArrayList<>();
  private final List<NetSession> sessions = new ArrayList<>();
  private final List<ReadoutSet> readoutSets = new ArrayList<>();
  /** Pairs done per net, for the console's progress; null: not counted. */
  private ExtractProgress progress;

  PairGroupExtractor(ExtractPlan plan, Configuration conf, LongAccumulator forwardPasses,
      CollectionAccumulator<String> modelLoads, CollectionAccumulator<String> timings) {
    this.plan = plan;
    this.conf = conf;
    this.forwardPasses = forwardPasses;
    this.modelLoads = modelLoads;
    this.timings = timings;
  }

  PairGroupExtractor withProgress(ExtractProgress progress) {
    this.progress = progress;
    return this;
  }

  /** Processes a partition sorted by (dataset, ref_id); returns all output rows of it. */
  List<Row> processPartition(Iterator<Row> manifestRows) {
    List<Row> out = new ArrayList<>();
    long started = System.nanoTime();
    try {
      openSessions();
      List<Row> group = new ArrayList<>();
      while (manifestRows.hasNext()) {
        Row r = manifestRows.next();
        if (!group.isEmpty() && !sameReference(group.get(0), r)) {
          processGroup(group, out);
          group = new ArrayList<>();
        }
        group.add(r);
      }
      if (!group.isEmpty()) {
        processGroup(group, out);
      }
    } finally {
      closeSessions();
      StageClock.since(StageClock.EXTRACT_TASK, started);
    }
    return out;
  }

  private void openSessions() {
    Device device = plan.nets().isEmpty() ? Device.cpu() : taskDevice();
    Nets.reserve(plan.nets().size());
    for (ExtractPlan.NetPlan np : plan.nets()) {
      long t = System.nanoTime();
      FeatureNet net = Nets.get(np.spec(), conf, device);
      time(ExtractTimings.LOAD, np.name(), System.nanoTime() - t);
      nets.add(net);
      // How many times this JVM has loaded the net so far: the job reports the maximum per executor.
      modelLoads.add(executorId() + "\t" + np.name() + "\t" + Nets.loadCount(np.spec()));
      sessions.add(net.newSession(plan.batchSize()));
      readoutSets.add(plan.readoutSet(conf));
    }
  }

  private void closeSessions() {
    for (int i = 0; i < sessions.size(); i++) {
      NetSession s = sessions.get(i);
      forwardPasses.add(s.forwardPasses());
      String name = plan.nets().get(i).name();
      time(ExtractTimings.FORWARD, name, s.times().forwardNanos());
      time(ExtractTimings.READOUTS, name, s.times().readoutNanos());
      s.close();
    }
    sessions.clear();
    taskNanos.forEach((key, nanos) -> timings.add(key + "\t" + nanos));
    taskNanos.clear();
  }

  private void time(String stage, String name, long nanos) {
    taskNanos.merge(stage + "\t" + name, nanos, Long::sum);
  }

  /**
   * The device for this task's nets: {@code spark.perceptsweep.device} (cpu by default, gpu, auto)
   * and the GPU addresses Spark assigned to this task (spark.task.resource.gpu.amount).
   */
  private static Device taskDevice() {
    SparkEnv env = SparkEnv.get();
    String mode = env == null ? System.getProperty(DeviceSelection.SPARK_DEVICE_KEY)
        : env.conf().get(DeviceSelection.SPARK_DEVICE_KEY, System.getProperty(DeviceSelection.SPARK_DEVICE_KEY, "cpu"));
    List<String> gpus = new ArrayList<>();
    TaskContext task = TaskContext.get();
    if (task != null) {
      ResourceInformation info = task.resourcesJMap().get(DeviceSelection.SPARK_GPU_RESOURCE);
      if (info != null) {
        gpus.addAll(List.of(info.addresses()));
      }
    }
    return DeviceSelection.select(DeviceSelection.Mode.parse(mode), gpus).device();
  }

  private static String executorId() {
    SparkEnv env = SparkEnv.get();
    return env == null ? "driver" : env.executorId();
  }

  /** Same reference and the same chunk of it (see ExtractJob's maxGroupSize). */
  private static boolean sameReference(Row a, Row b) {
    return a.getAs("dataset").equals(b.getAs("dataset")) && a.getAs("ref_id").equals(b.getAs("ref_id"))
        && a.getAs(ExtractJob.REF_CHUNK).equals(b.getAs(ExtractJob.REF_CHUNK));
  }

  private void processGroup(List<Row> group, List<Row> out) {
    long t0 = System.nanoTime();
    Row first = group.get(0);
    String refPath = first.getAs("ref_path");
    RgbImage ref;
    try {
      ref = read(refPath);
    } catch (UserInputException e) {
      for (Row r : group) {
        rejectAll(r, "reference " + refPath + ": " + e.getMessage(), out);
      }
      counted(plan.classicMetrics(), group.size());
      counted(netNames(), group.size());
      return;
    }
    List<Row> good = new ArrayList<>();
    List<RgbImage> images = new ArrayList<>();
    for (Row r : group) {
      String distPath = r.getAs("dist_path");
      try {
        RgbImage dist = read(distPath);
        if (!dist.sameSize(ref)) {
          throw new UserInputException("size mismatch: distorted " + distPath + " is " + dist.sizeString()
              + " but reference " + refPath + " is " + ref.sizeString());
        }
        good.add(r);
        images.add(dist);
      } catch (UserInputException e) {
        rejectAll(r, e.getMessage(), out);
      }
    }
    long t1 = System.nanoTime();
    StageClock.add(StageClock.EXTRACT_DECODE, t1 - t0);
    time(ExtractTimings.DECODE, ExtractTimings.ALL, t1 - t0);
    for (String metric : plan.classicMetrics()) {
      long m0 = System.nanoTime();
      for (int i = 0; i < good.size(); i++) {
        Row r = good.get(i);
        try {
          for (Map.Entry<String, Double> e : classic(metric, ref, images.get(i)).entrySet()) {
            out.add(distance(r, metric, "image", 0, e.getKey(), e.getValue()));
          }
        } catch (UserInputException e) {
          out.add(reject(r, metric, e.getMessage()));
        }
      }
      time(ExtractTimings.CLASSIC, metric, System.nanoTime() - m0);
    }
    long t2 = System.nanoTime();
    StageClock.add(StageClock.EXTRACT_CLASSIC, t2 - t1);
    counted(plan.classicMetrics(), group.size());
    counted(netNames(), group.size() - good.size()); // rejected before any net saw them
    if (good.isEmpty()) {
      return;
    }
    processNets(first, refPath, ref, good, images, out);
    StageClock.since(StageClock.EXTRACT_NETS, t2);
  }

  private void processNets(Row first, String refPath, RgbImage ref, List<Row> good, List<RgbImage> images,
      List<Row> out) {
    for (int n = 0; n < sessions.size(); n++) {
      String netName = plan.nets().get(n).name();
      NetCard card = nets.get(n).card();
      Map<String, Integer> tapIndex = tapIndex(card);
      try (ReferenceActivations refActs = sessions.get(n).forwardReference(ref)) {
        List<PairReadouts> results = sessions.get(n).measure(refActs, images, readoutSets.get(n));
        // The reference's own descriptors from the activations it holds (no extra forward pass).
        activations(first, refPath, ROLE_REFERENCE, netName, tapIndex, refActs.activations(readoutSets.get(n)), out);
        for (int i = 0; i < good.size(); i++) {
          activations(good.get(i), good.get(i).getAs("dist_path"), ROLE_DISTORTED, netName, tapIndex,
              results.get(i).activations(), out);
        }
        for (int i = 0; i < good.size(); i++) {
          for (Map.Entry<String, Map<String, Double>> tap : results.get(i).distances().entrySet()) {
            int idx = tapIndex.getOrDefault(tap.getKey(), pseudoTapIndex(card, tap.getKey()));
            for (Map.Entry<String, Double> ro : tap.getValue().entrySet()) {
              out.add(distance(good.get(i), netName, tap.getKey(), idx, ro.getKey(), ro.getValue()));
            }
          }
          for (Map.Entry<String, Map<String, float[]>> tap : results.get(i).channelTerms().entrySet()) {
            for (Map.Entry<String, float[]> kind : tap.getValue().entrySet()) {
              out.add(terms(good.get(i), netName, tap.getKey(), tapIndex.get(tap.getKey()), kind.getKey(),
                  kind.getValue()));
            }
          }
        }
      } catch (UserInputException e) {
        for (Row r : good) {
          out.add(reject(r, netName, e.getMessage()));
        }
      }
      counted(List.of(netName), good.size());
    }
  }

  private void counted(List<String> names, int pairs) {
    if (progress != null) {
      progress.done(names, pairs);
    }
  }

  private List<String> netNames() {
    return plan.nets().stream().map(ExtractPlan.NetPlan::name).toList();
  }

  /** Pseudo-taps come after the card's taps: sum at taps+1, concat at taps+2. */
  static int pseudoTapIndex(NetCard card, String pseudoTap) {
    return card.taps().size() + (ReadoutSet.CONCAT_TAP.equals(pseudoTap) ? 2 : 1);
  }

  private static Map<String, Integer> tapIndex(NetCard card) {
    Map<String, Integer> idx = new HashMap<>();
    List<TapInfo> taps = card.taps();
    for (int i = 0; i < taps.size(); i++) {
      idx.put(taps.get(i).name(), i + 1);
    }
    return idx;
  }

  static Map<String, Double> classic(String metric, RgbImage ref, RgbImage dist) {
    return switch (metric) {
      case "psnr" -> Map.of("psnr", ClassicMetrics.psnr(ref, dist));
      case "ssim" -> Map.of("ssim", ClassicMetrics.ssim(ref, dist));
      case "ms_ssim" -> Map.of("ms_ssim", ClassicMetrics.msSsim(ref, dist));
      case "pixels" -> Map.of("l2", ClassicMetrics.pixelL2(ref, dist), "mse", ClassicMetrics.pixelMse(ref, dist));
      default -> throw new IllegalArgumentException("not a classic metric: " + metric);
    };
  }

  private RgbImage read(String uri) {
    Path path = new Path(uri);
    try {
      FileSystem fs = path.getFileSystem(conf);
      if (!fs.exists(path)) {
        throw new UserInputException("missing file " + uri + ": check the manifest's paths");
      }
      try (InputStream in = fs.open(path)) {
        return ImageDecoder.decode(in.readAllBytes(), uri);
      }
    } catch (IOException e) {
      throw new UserInputException("cannot read " + uri + ": " + e.getMessage(), e);
    }
  }

  private void rejectAll(Row r, String reason, List<Row> out) {
    for (String metric : plan.classicMetrics()) {
      out.add(reject(r, metric, reason));
    }
    for (ExtractPlan.NetPlan np : plan.nets()) {
      out.add(reject(r, np.name(), reason));
    }
  }

  private Row distance(Row r, String net, String tap, int tapIndex, String readout, double value) {
    Object[] v = base(KIND_DISTANCE, r, r.getAs("dist_path"), net);
    v[TAP] = tap;
    v[TAP_INDEX] = tapIndex;
    v[READOUT] = readout;
    v[DISTANCE] = value;
    return RowFactory.create(v);
  }

  private Row terms(Row r, String net, String tap, int tapIndex, String kind, float[] values) {
    Object[] v = base(KIND_TERMS, r, r.getAs("dist_path"), net);
    v[TAP] = tap;
    v[TAP_INDEX] = tapIndex;
    v[READOUT] = kind;
    v[VALUES] = values;
    return RowFactory.create(v);
  }

  private void activations(Row r, String imagePath, String role, String net, Map<String, Integer> tapIndex,
      ImageActivations acts, List<Row> out) {
    for (TapDescriptor d : acts.descriptors()) {
      Object[] v = activation(KIND_ACTIVATION, r, imagePath, role, net, d.tap(), tapIndex, d.channels(), d.height(),
          d.width());
      v[VALUES] = d.mean();
      v[STD] = d.std();
      out.add(RowFactory.create(v));
    }
    for (TapActivation m : acts.maps()) {
      Object[] v = activation(KIND_ACTIVATION_MAP, r, imagePath, role, net, m.tap(), tapIndex, m.channels(),
          m.height(), m.width());
      v[VALUES] = m.values();
      v[SHAPE] = new int[] {m.channels(), m.height(), m.width()};
      out.add(RowFactory.create(v));
    }
  }

  private Object[] activation(String kind, Row r, String imagePath, String role, String net, String tap,
      Map<String, Integer> tapIndex, int channels, int height, int width) {
    Object[] v = base(kind, r, imagePath, net);
    v[TAP] = tap;
    v[TAP_INDEX] = tapIndex.get(tap);
    v[IMAGE_ROLE] = role;
    v[CHUNK] = r.getAs(ExtractJob.REF_CHUNK);
    v[CHANNELS] = channels;
    v[HEIGHT] = height;
    v[WIDTH] = width;
    return v;
  }

  private Row reject(Row r, String net, String reason) {
    Object[] v = base(KIND_REJECT, r, r.getAs("dist_path"), net);
    v[REASON] = reason;
    return RowFactory.create(v);
  }

  /** The columns every kind of row has; the rest stay null until the caller sets its own. */
  private Object[] base(String kind, Row r, String path, String net) {
    String dataset = r.getAs("dataset");
    Object[] v = new Object[SCHEMA.size()];
    v[KIND] = kind;
    v[DATASET] = dataset;
    v[PAIR_ID] = r.getAs("pair_id");
    v[REF_ID] = r.getAs("ref_id");
    v[DIST_PATH] = path;
    v[NET] = net;
    v[INPUT_HASH] = plan.inputHash(dataset, net);
    return v;
  }
}
