package org.perceptsweep.jobs.sweep;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.perceptsweep.core.Learning;
import org.perceptsweep.core.UserInputException;
import org.perceptsweep.datasets.DatasetAdapters;
import org.perceptsweep.jobs.extract.ExtractPlan;

/**
 * A sweep file (YAML): the datasets, the nets with their readouts, and the statistics settings.
 * Relative paths are resolved against the sweep file's folder. Unknown keys are errors (a typo must
 * not silently fall back to a default). See conf/*.yaml for documented examples.
 */
public record SweepConfig(
    String out,
    List<DatasetEntry> datasets,
    List<NetEntry> nets,
    List<String> readouts,
    @JsonProperty("batch_size") Integer batchSize,
    AggregateSettings aggregate) {

  /** One dataset: the adapter and its root, as {@code manifest} takes them. */
  public record DatasetEntry(
      String adapter,
      String root,
      String name,
      String scores,
      @JsonProperty("higher_is_better") Boolean higherIsBetter,
      Long seed,
      Boolean validate,
      Integer references,
      Integer size,
      Integer levels,
      List<String> distortions) {
    /** The synthetic set's spec: the default one with this entry's seed and sizes (synthetic only). */
    public org.perceptsweep.datasets.SyntheticSpec syntheticSpec() {
      org.perceptsweep.datasets.SyntheticSpec d = org.perceptsweep.datasets.SyntheticSpec.defaults();
      return new org.perceptsweep.datasets.SyntheticSpec(seed == null ? d.seed() : seed,
          references == null ? d.references() : references, size == null ? d.size() : size,
          distortions == null ? d.distortions() : distortions, levels == null ? d.levels() : levels);
    }
  }

  /**
   * One net (a model file, builtin:NAME, or a classic metric) with optional readouts and weights of
   * its own, and optional overrides of the card's factor tags and net facts (the net catalogue):
   * learning ({@link Learning}), depth (weight layers) and parameters.
   */
  public record NetEntry(
      String spec,
      List<String> readouts,
      String weights,
      String goal,
      @JsonProperty("training_data") String trainingData,
      String architecture,
      String learning,
      Integer depth,
      Long parameters) {
    public NetEntry(String spec, List<String> readouts, String weights, String goal, String trainingData,
        String architecture) {
      this(spec, readouts, weights, goal, trainingData, architecture, null, null, null);
    }

    /** Whether the entry overrides any tag or fact of the card. */
    boolean overridesCatalogue() {
      return goal != null || trainingData != null || architecture != null || learning != null || depth != null
          || parameters != null;
    }

    /** The overrides as one text, for the aggregate step's input hash. */
    String catalogueTags() {
      return goal + "|" + trainingData + "|" + architecture + "|" + learning + "|" + depth + "|" + parameters;
    }
  }

  /**
   * The statistics settings; all of them are part of the aggregate step's input hash, so changing
   * one re-runs aggregate (and nothing else).
   *
   * @param compare extra comparisons, each {@code net/tap/readout=net/tap/readout}
   */
  public record AggregateSettings(Integer resamples, Long seed,
      @JsonProperty("fit_iterations") Integer fitIterations, List<String> compare,
      @JsonProperty("equivalence_delta") Double equivalenceDelta,
      @JsonProperty("depth_threshold") Integer depthThreshold) {
    public AggregateSettings(Integer resamples, Long seed, Integer fitIterations, List<String> compare) {
      this(resamples, seed, fitIterations, compare, null, null);
    }
  }

  public static SweepConfig parse(InputStream in, String file) {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    SweepConfig c;
    try {
      c = yaml.readValue(in, SweepConfig.class);
    } catch (UnrecognizedPropertyException e) {
      throw new UserInputException("sweep file " + file + ": unknown key '" + e.getPropertyName() + "' at "
          + path(e) + "; known keys there: " + e.getKnownPropertyIds());
    } catch (JsonMappingException e) {
      throw new UserInputException("sweep file " + file + ": bad value at " + path(e) + ": "
          + e.getOriginalMessage().replaceAll("\\s+", " "));
    } catch (IOException e) {
      throw new UserInputException("sweep file " + file + " is not valid YAML: "
          + String.valueOf(e.getMessage()).replaceAll("\\s+", " "), e);
    }
    if (c == null) {
      throw new UserInputException("sweep file " + file + " is empty; see conf/demo.yaml for the keys");
    }
    c.validate(file);
    return c;
  }

  private static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining(".")).replace(".[", "[");
  }

  /** Checks everything that can be checked without touching files, naming the key at fault. */
  void validate(String file) {
    if (datasets == null || datasets.isEmpty()) {
      throw new UserInputException("sweep file " + file + ": 'datasets' is missing or empty; list at least one");
    }
    if (nets == null || nets.isEmpty()) {
      throw new UserInputException("sweep file " + file + ": 'nets' is missing or empty; list at least one");
    }
    for (int i = 0; i < datasets.size(); i++) {
      DatasetEntry d = datasets.get(i);
      String key = "datasets[" + i + "]";
      if (d.adapter() == null || !DatasetAdapters.NAMES.contains(d.adapter())) {
        throw new UserInputException("sweep file " + file + ": " + key + ".adapter is '" + d.adapter()
            + "'; use one of " + DatasetAdapters.NAMES);
      }
      if (d.root() == null && !"synthetic".equals(d.adapter())) {
        throw new UserInputException("sweep file " + file + ": " + key + ".root is missing; give the dataset's folder"
            + " (for csv: the CSV file)");
      }
      boolean synthetic = "synthetic".equals(d.adapter());
      if (!synthetic && (d.references() != null || d.size() != null || d.levels() != null || d.distortions() != null)) {
        throw new UserInputException("sweep file " + file + ": " + key + ": references, size, levels and distortions"
            + " are keys of the synthetic adapter only; remove them");
      }
      if (synthetic) {
        try {
          d.syntheticSpec();
        } catch (UserInputException e) {
          throw new UserInputException("sweep file " + file + ": " + key + ": " + e.getMessage());
        }
      }
      if ("csv".equals(d.adapter()) && d.higherIsBetter() == null) {
        throw new UserInputException("sweep file " + file + ": " + key
            + ".higher_is_better is missing; state the score direction (true for MOS, false for DMOS)");
      }
    }
    Set<String> specs = new HashSet<>();
    for (int i = 0; i < nets.size(); i++) {
      NetEntry n = nets.get(i);
      String key = "nets[" + i + "]";
      if (n.spec() == null || n.spec().isBlank()) {
        throw new UserInputException("sweep file " + file + ": " + key + ".spec is missing; give a model file"
            + " NAME.pt, builtin:random-convnet or one of " + ExtractPlan.CLASSIC);
      }
      if (!specs.add(n.spec())) {
        throw new UserInputException("sweep file " + file + ": " + key + ".spec '" + n.spec()
            + "' is listed twice; list each net once with all its readouts");
      }
      if (effectiveReadouts(n).contains("weighted") && n.weights() == null) {
        throw new UserInputException("sweep file " + file + ": " + key
            + " selects readout 'weighted' without 'weights'; give a channel-weights JSON");
      }
      if (n.learning() != null) {
        Learning.parse(n.learning(), "sweep file " + file + ": " + key + ".learning");
      }
      if (n.depth() != null && n.depth() < 1) {
        throw new UserInputException("sweep file " + file + ": " + key + ".depth must be a positive number of weight"
            + " layers, got " + n.depth());
      }
      if (n.parameters() != null && n.parameters() < 1) {
        throw new UserInputException("sweep file " + file + ": " + key + ".parameters must be positive, got "
            + n.parameters());
      }
    }
    if (batchSize != null && batchSize < 1) {
      throw new UserInputException("sweep file " + file + ": batch_size must be at least 1 (or leave it out: "
          + "the batch is then chosen from each net's activation memory)");
    }
    if (aggregate != null && aggregate.resamples() != null && aggregate.resamples() < 1) {
      throw new UserInputException("sweep file " + file + ": aggregate.resamples must be at least 1");
    }
    if (aggregate != null && aggregate.fitIterations() != null && aggregate.fitIterations() < 1) {
      throw new UserInputException("sweep file " + file + ": aggregate.fit_iterations must be at least 1");
    }
    if (aggregate != null && aggregate.equivalenceDelta() != null
        && !(aggregate.equivalenceDelta() > 0 && aggregate.equivalenceDelta() < 2)) {
      throw new UserInputException("sweep file " + file + ": aggregate.equivalence_delta must be above 0 and below 2"
          + " (a difference of agreement SROCC), got " + aggregate.equivalenceDelta());
    }
    if (aggregate != null && aggregate.depthThreshold() != null && aggregate.depthThreshold() < 1) {
      throw new UserInputException("sweep file " + file + ": aggregate.depth_threshold must be a positive number of"
          + " weight layers, got " + aggregate.depthThreshold());
    }
  }

  public List<String> effectiveReadouts(NetEntry n) {
    if (n.readouts() != null && !n.readouts().isEmpty()) {
      return n.readouts();
    }
    return readouts == null || readouts.isEmpty() ? List.of("l2", "unit_l2") : readouts;
  }

  /** The sweep's batch size, or {@link org.perceptsweep.udf.net.NetSession#AUTO_BATCH} when the file gives none. */
  public int effectiveBatchSize() {
    return batchSize == null ? org.perceptsweep.udf.net.NetSession.AUTO_BATCH : batchSize;
  }
}
