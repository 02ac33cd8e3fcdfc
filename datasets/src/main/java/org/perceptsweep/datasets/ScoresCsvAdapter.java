package org.perceptsweep.datasets;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.perceptsweep.core.UserInputException;
import org.perceptsweep.core.manifest.ScoreKind;
import org.perceptsweep.datasets.CsvPairsAdapter.PathResolver;

/**
 * The {@code dis_img_path,dis_type,ref_img_path,score} score files of icbcbicc/IQA-Dataset (one
 * per dataset, e.g. {@code TID2013.csv}), with paths relative to a root folder that holds the
 * datasets' folders ({@code ROOT/TID2013/distorted_images/...}). The dataset is recognised from
 * the given name or else the file name, and its score direction, kind and type/level coding come
 * from {@link KnownDataset}. For other datasets in this format the direction must be given.
 * Names that differ only in case from the stored files are matched (see {@link CaseInsensitiveNames}).
 * pair_id and ref_id are the paths as written; distortion is the coded type where the dataset
 * codes it in file names, else dis_type.
 */
public final class ScoresCsvAdapter {
  private ScoresCsvAdapter() {}

  /**
   * @param datasetName known name or any name; null = recognise it from the file name
   * @param higherIsBetter required for datasets not in {@link KnownDataset}; for known ones it must
   *     agree with the known direction or be null
   */
  public static ManifestResult read(String scoresCsvUri, String rootUri, String datasetName,
      Boolean higherIsBetter, Configuration conf) {
    Path csv = HadoopFiles.qualify(scoresCsvUri, conf);
    KnownDataset known = KnownDataset.find(datasetName != null ? datasetName : csv.getName());
    String dataset;
    boolean direction;
    if (known != null) {
      if (higherIsBetter != null && higherIsBetter != known.higherIsBetter()) {
        throw new UserInputException("scores file " + csv + " is " + known.id() + ", whose scores are "
            + (known.higherIsBetter() ? "higher = better" : "higher = worse")
            + ": drop the stated direction or name another dataset");
      }
      dataset = known.id();
      direction = known.higherIsBetter();
    } else {
      if (higherIsBetter == null) {
        throw new UserInputException("scores file " + csv + " is not one of the known datasets "
            + java.util.Arrays.toString(KnownDataset.values()).toLowerCase(java.util.Locale.ROOT)
            + ": state whether higher scores are better");
      }
      dataset = datasetName != null ? datasetName : csv.getName().replaceFirst("(?i)\\.csv$", "");
      direction = higherIsBetter;
    }
    CsvColumns columns = CsvColumns.auto().withDist("dis_img_path").withRef("ref_img_path")
        .withScore("score").withDistortion("dis_type");
    PathResolver paths = new PathResolver(HadoopFiles.qualify(rootUri, conf), true, conf);
    return CsvPairsAdapter.parse(CsvPairsAdapter.readText(csv, "scores file", conf), csv.toString(), paths,
        columns, ScoreKind.ofOpinion(direction), dataset,
        known == null ? CsvPairsAdapter.RowRefiner.NONE : (row, rec) -> known.refine(row));
  }
}
