package org.perceptsweep.jobs.tables;

import java.util.List;
import org.apache.hadoop.fs.Path;
import org.perceptsweep.core.UserInputException;

/**
 * The folders of one study under its output folder (any Hadoop URI). Every table is Parquet with
 * hive-style partitions, written with dynamic partition overwrite.
 */
public final class OutputLayout {
  public static final String MANIFEST = "manifest";
  public static final String DISTANCES = "distances";
  public static final String REJECTS = "rejects";
  public static final String CORRELATIONS = "correlations";
  public static final String NETS = "nets";
  public static final String COMPARISONS = "comparisons";
  public static final String FACTORS = "factors";
  public static final String DEPTH = "depth";
  /** Per dataset: the study's claims tested, with verdicts (aggregate). */
  public static final String FINDINGS = "findings";
  public static final String CHANNEL_TERMS = "channel_terms";
  public static final String RUNS = "runs";
  /** Per image x net x tap: per-channel spatial mean and sd (extract --activations). */
  public static final String ACTIVATIONS = "activations";
  /** Per image x net x chosen tap: the full activation map (extract --activation-maps). */
  public static final String ACTIVATION_MAPS = "activation_maps";
  public static final List<String> TABLES = List.of(MANIFEST, DISTANCES, REJECTS, CORRELATIONS, NETS, COMPARISONS,
      FACTORS, DEPTH, FINDINGS, CHANNEL_TERMS, RUNS, ACTIVATIONS, ACTIVATION_MAPS);

  private final String root;

  public OutputLayout(String root) {
    if (root == null || root.isBlank()) {
      throw new UserInputException("--out is empty: give the study's output folder (a path or URI)");
    }
    this.root = new Path(root).toString();
  }

  public String root() {
    return root;
  }

  public String table(String name) {
    return new Path(root, name).toString();
  }

  /** Where generated datasets (the synthetic set) put their images. */
  public String datasetImages(String dataset) {
    return new Path(new Path(root, "datasets"), dataset).toString();
  }

  public static String requireKnownTable(String name) {
    if (!TABLES.contains(name)) {
      throw new UserInputException("unknown table '" + name + "': use one of " + String.join(", ", TABLES));
    }
    return name;
  }
}
