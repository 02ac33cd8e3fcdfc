package org.perceptsweep.jobs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.perceptsweep.core.UserInputException;
import org.perceptsweep.core.manifest.ManifestRow;
import org.perceptsweep.core.manifest.Reject;
import org.perceptsweep.datasets.CsvPairsAdapter;
import org.perceptsweep.datasets.ManifestResult;
import org.perceptsweep.datasets.SyntheticDataset;
import org.perceptsweep.datasets.SyntheticSpec;

/**
 * Turns a dataset into the {@code manifest} table (one row per reference/distorted pair) on the
 * driver, checks that every image exists, and writes the rows it could not use to {@code rejects}.
 */
public final class ManifestJob {
  /** How to read one dataset. {@code higherIsBetter} is null when the user stated no direction. */
  public record Request(String kind, String root, String name, Boolean higherIsBetter, long seed) {}

  public record Summary(String dataset, int pairs, int references, List<Reject> rejects) {}

  private ManifestJob() {}

  public static Summary run(SparkSession spark, OutputLayout out, Request request) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    ManifestResult result = read(request, out, conf);
    List<ManifestRow> rows = new ArrayList<>();
    List<Reject> rejects = new ArrayList<>(result.rejects());
    Set<String> missing = missingFiles(result.rows(), conf);
    for (ManifestRow r : result.rows()) {
      if (missing.contains(r.refPath())) {
        rejects.add(new Reject(r.dataset(), r.pairId(), "manifest", "missing reference image " + r.refPath()));
      } else if (missing.contains(r.distPath())) {
        rejects.add(new Reject(r.dataset(), r.pairId(), "manifest", "missing distorted image " + r.distPath()));
      } else {
        rows.add(r);
      }
    }
    String dataset = datasetName(request, result);
    if (rows.isEmpty()) {
      throw new UserInputException("dataset " + dataset + " from " + request.root() + " has no usable pairs ("
          + rejects.size() + " rejected" + (rejects.isEmpty() ? "" : ", first: " + rejects.get(0).where()
          + ": " + rejects.get(0).reason()) + ")");
    }
    TableWriter.overwritePartitions(ManifestTable.toDataFrame(spark, rows), out.table(OutputLayout.MANIFEST), "dataset");
    RejectsTable.replace(spark, out, ManifestTable.rejectsDataFrame(spark, rejects), "manifest",
        Set.of(dataset + "/" + RejectsTable.NO_NET));
    Set<String> refs = new HashSet<>();
    rows.forEach(r -> refs.add(r.refId()));
    return new Summary(dataset, rows.size(), refs.size(), List.copyOf(rejects));
  }

  private static ManifestResult read(Request request, OutputLayout out, Configuration conf) {
    switch (request.kind()) {
      case "csv" -> {
        if (request.root() == null) {
          throw new UserInputException("--root is required for --dataset csv: the CSV file of pairs (dist,ref,score)");
        }
        if (request.higherIsBetter() == null) {
          throw new UserInputException("score direction of " + request.root() + " is not stated: pass "
              + "--higher-is-better (MOS) or --lower-is-better (DMOS)");
        }
        String name = request.name() != null ? request.name() : new Path(request.root()).getParent().getName();
        return CsvPairsAdapter.read(request.root(), request.higherIsBetter(), name, conf);
      }
      case "synthetic" -> {
        SyntheticSpec defaults = SyntheticSpec.defaults();
        SyntheticSpec spec = new SyntheticSpec(request.seed(), defaults.references(), defaults.size(),
            defaults.distortions(), defaults.levels());
        String root = request.root() != null ? request.root() : out.datasetImages("synthetic");
        return SyntheticDataset.generate(spec, root, conf);
      }
      default -> throw new UserInputException("unknown --dataset '" + request.kind() + "': use csv or synthetic");
    }
  }

  private static String datasetName(Request request, ManifestResult result) {
    if (!result.rows().isEmpty()) {
      return result.rows().get(0).dataset();
    }
    if (request.name() != null) {
      return request.name();
    }
    return request.kind();
  }

  /** Images referenced by the rows that do not exist; one listing per folder, not one call per file. */
  static Set<String> missingFiles(List<ManifestRow> rows, Configuration conf) {
    Map<Path, Set<String>> byFolder = new HashMap<>();
    for (ManifestRow r : rows) {
      for (String uri : List.of(r.refPath(), r.distPath())) {
        Path p = new Path(uri);
        byFolder.computeIfAbsent(p.getParent(), k -> new LinkedHashSet<>()).add(uri);
      }
    }
    Set<String> missing = new HashSet<>();
    for (Map.Entry<Path, Set<String>> e : byFolder.entrySet()) {
      Set<String> present = new HashSet<>();
      try {
        FileSystem fs = e.getKey().getFileSystem(conf);
        if (fs.exists(e.getKey())) {
          for (FileStatus st : fs.listStatus(e.getKey())) {
            present.add(st.getPath().getName());
          }
        }
      } catch (IOException ex) {
        throw new UserInputException("cannot list " + e.getKey() + ": " + ex.getMessage(), ex);
      }
      for (String uri : e.getValue()) {
        if (!present.contains(new Path(uri).getName())) {
          missing.add(uri);
        }
      }
    }
    return missing;
  }
}
