package org.perceptsweep.jobs.manifest;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.perceptsweep.core.UserInputException;
import org.perceptsweep.core.manifest.Reject;
import org.perceptsweep.datasets.CsvColumns;
import org.perceptsweep.datasets.DatasetAdapters;
import org.perceptsweep.datasets.ManifestResult;
import org.perceptsweep.datasets.SyntheticDataset;
import org.perceptsweep.datasets.SyntheticSpec;
import org.perceptsweep.datasets.Validation;
import org.perceptsweep.jobs.tables.OutputLayout;
import org.perceptsweep.jobs.tables.RejectsTable;
import org.perceptsweep.jobs.tables.TableWriter;

/**
 * Turns a dataset into the {@code manifest} table (one row per reference/distorted pair) on the
 * driver, validates it against its images, and writes the rows it could not use to {@code rejects}.
 * By default only the existence of every image is checked (one listing per folder); with
 * {@code validate} every image is decoded (unreadable files, size mismatches).
 */
public final class ManifestJob {
  /** Stages whose rejects this step owns. */
  static final List<String> STAGES = List.of("manifest", Validation.STAGE);

  /**
   * How to read one dataset.
   *
   * @param kind adapter name (see {@link DatasetAdapters#NAMES})
   * @param root dataset root folder or CSV file; for synthetic the folder to write (null: under --out)
   * @param higherIsBetter stated score direction, null when not stated
   * @param columns column names for csv (null: auto)
   */
  public record Request(String kind, String root, String name, Boolean higherIsBetter, long seed,
      String scoresFile, CsvColumns columns, boolean validate, SyntheticSpec synthetic) {
    public Request(String kind, String root, String name, Boolean higherIsBetter, long seed, String scoresFile,
        CsvColumns columns, boolean validate) {
      this(kind, root, name, higherIsBetter, seed, scoresFile, columns, validate, null);
    }

    /** The synthetic spec to generate: the one given, or the default spec with {@code seed}. */
    public SyntheticSpec syntheticSpec() {
      return synthetic != null ? synthetic : SyntheticSpec.defaults().withSeed(seed);
    }

    public static Request synthetic(long seed) {
      return new Request("synthetic", null, null, null, seed, null, null, false);
    }
  }

  public record Summary(String dataset, int pairs, int references, List<Reject> rejects,
      List<Validation.Finding> findings) {}

  private ManifestJob() {}

  /** A dataset read and validated on the driver, not yet written. */
  public record Prepared(String dataset, Validation.Report report, String manifestHash) {}

  public static Summary run(SparkSession spark, OutputLayout out, Request request) {
    Prepared p = prepare(spark, out, request);
    write(spark, out, p);
    return summary(p);
  }

  /** Reads and validates the dataset; fails with one clear error when no pair is usable. */
  public static Prepared prepare(SparkSession spark, OutputLayout out, Request request) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    ManifestResult read = read(request, out, conf);
    Validation.Report report = Validation.check(read,
        request.validate() ? Validation.Options.defaults() : Validation.Options.filesOnly(), conf);
    String dataset = datasetName(request, read);
    if (report.rows().isEmpty()) {
      Reject first = report.rejects().isEmpty() ? null : report.rejects().get(0);
      throw new UserInputException("dataset " + dataset + " from " + request.root() + " has no usable pairs ("
          + report.rejects().size() + " rejected" + (first == null ? "" : ", first: " + first.where() + ": "
          + first.reason()) + ")");
    }
    return new Prepared(dataset, report, ManifestTable.contentHash(report.rows()));
  }

  /** Writes the dataset's manifest partition and replaces its manifest-stage rejects. */
  public static void write(SparkSession spark, OutputLayout out, Prepared p) {
    TableWriter.overwritePartitions(ManifestTable.toDataFrame(spark, p.report().rows()),
        out.table(OutputLayout.MANIFEST), "dataset");
    RejectsTable.replace(spark, out, ManifestTable.rejectsDataFrame(spark, p.report().rejects()), STAGES,
        Set.of(p.dataset() + "/" + RejectsTable.NO_NET));
  }

  public static Summary summary(Prepared p) {
    Set<String> refs = new HashSet<>();
    p.report().rows().forEach(r -> refs.add(r.refId()));
    return new Summary(p.dataset(), p.report().rows().size(), refs.size(), p.report().rejects(),
        p.report().findings());
  }

  private static ManifestResult read(Request request, OutputLayout out, Configuration conf) {
    String root = request.root();
    if ("synthetic".equals(request.kind()) && root == null) {
      // Under --out the set is cached by the content hash of its spec: a rerun (the nightly sweep)
      // reuses the images instead of rewriting them.
      return SyntheticDataset.cached(request.syntheticSpec(), out.datasetImages("synthetic"), conf);
    }
    if (root == null) {
      throw new UserInputException("--root is required for --dataset " + request.kind()
          + ": the dataset's folder (or, for csv, the CSV file of pairs)");
    }
    String name = request.name();
    if ("csv".equals(request.kind()) && name == null) {
      name = new Path(root).getParent().getName();
    }
    DatasetAdapters.Options options = DatasetAdapters.Options.defaults()
        .withHigherIsBetter(request.higherIsBetter())
        .withDatasetName(name)
        .withScoresFile(request.scoresFile())
        .withColumns(request.columns())
        .withSynthetic(request.syntheticSpec());
    if ("csv".equals(request.kind()) && request.higherIsBetter() == null) {
      throw new UserInputException("score direction of " + root + " is not stated: pass "
          + "--higher-is-better (MOS) or --lower-is-better (DMOS)");
    }
    return DatasetAdapters.read(request.kind(), root, options, conf);
  }

  private static String datasetName(Request request, ManifestResult result) {
    if (!result.rows().isEmpty()) {
      return result.rows().get(0).dataset();
    }
    return request.name() != null ? request.name() : request.kind();
  }
}
