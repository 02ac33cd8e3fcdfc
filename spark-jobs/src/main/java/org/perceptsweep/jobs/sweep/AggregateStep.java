package org.perceptsweep.jobs.sweep;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.catalyst.catalog.ExternalCatalogUtils;
import org.perceptsweep.core.util.Hashing;
import org.perceptsweep.jobs.aggregate.AggregateJob;

/**
 * The aggregate step of a sweep as an incremental step of its own: its input hash covers the
 * statistics settings (resamples, seed, fit iterations, comparisons, the findings' equivalence
 * delta and depth threshold), the input hashes of the dataset's distance cells and the sweep's
 * catalogue overrides (they feed the factor tables and the findings). The
 * hash of the last completed aggregate of a dataset is kept in {@code OUT/state/aggregate/DATASET},
 * written (through a temporary file and a rename) only after the aggregate's tables are committed,
 * so a run that dies during aggregate re-runs it.
 */
final class AggregateStep {
  static final String STATE_DIR = "state/aggregate";

  private AggregateStep() {}

  /**
   * @param options the statistics settings (resamples, seed, fit iterations, comparisons, and the
   *     findings' equivalence delta and depth threshold)
   * @param cellHashes the dataset's distance cells: net name to its rows' input hash(es)
   * @param catalogue each net's factor and fact overrides from the sweep file (net name to
   *     "goal|training|arch|learning|depth|parameters")
   */
  static String hash(String manifestHash, AggregateJob.Options options, Map<String, String> cellHashes,
      Map<String, String> catalogue) {
    // v2: aggregate also writes the findings.
    List<String> parts = new ArrayList<>(List.of("aggregate/v2", manifestHash, "resamples=" + options.resamples(),
        "seed=" + options.seed(), "fit_iterations=" + options.fitIterations(),
        "equivalence_delta=" + options.equivalenceDelta(), "depth_threshold=" + options.depthThreshold()));
    options.compares().stream().sorted().forEach(c -> parts.add("compare=" + c));
    new TreeMap<>(cellHashes).forEach((net, h) -> parts.add("cell=" + net + "@" + h));
    new TreeMap<>(catalogue).forEach((net, tags) -> parts.add("catalogue=" + net + "@" + tags));
    return Hashing.sha256Hex(parts.toArray(String[]::new));
  }

  static Path statePath(String outRoot, String dataset) {
    return new Path(new Path(outRoot, STATE_DIR), ExternalCatalogUtils.escapePathName(dataset));
  }

  /** The hash of the dataset's last completed aggregate, or null when there is none. */
  static String stored(String outRoot, String dataset, Configuration conf) {
    Path p = statePath(outRoot, dataset);
    try (InputStream in = p.getFileSystem(conf).open(p)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (FileNotFoundException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the aggregate state " + p, e);
    }
  }

  static void store(String outRoot, String dataset, String hash, Configuration conf) {
    Path p = statePath(outRoot, dataset);
    Path tmp = new Path(p.getParent(), "." + p.getName() + ".tmp");
    try {
      FileSystem fs = p.getFileSystem(conf);
      fs.mkdirs(p.getParent());
      try (OutputStream o = fs.create(tmp, true)) {
        o.write((hash + "\n").getBytes(StandardCharsets.UTF_8));
      }
      fs.delete(p, false);
      if (!fs.rename(tmp, p)) {
        throw new IOException("rename " + tmp + " -> " + p + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the aggregate state " + p, e);
    }
  }
}
