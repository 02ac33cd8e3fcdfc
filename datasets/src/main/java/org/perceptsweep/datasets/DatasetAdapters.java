package org.perceptsweep.datasets;

import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.perceptsweep.core.UserInputException;

/**
 * Every adapter by name, all emitting the same manifest. What {@code rootUri} means per name:
 *
 * <table>
 *   <caption>Adapters</caption>
 *   <tr><th>name</th><th>rootUri</th><th>reads</th></tr>
 *   <tr><td>tid2013, tid2008</td><td>the dataset folder</td><td>{@link TidAdapter}: mos_with_names.txt,
 *       mos_std.txt, reference_images/, distorted_images/</td></tr>
 *   <tr><td>kadid10k</td><td>the dataset folder</td><td>{@link KadidAdapter}: dmos.csv, images/</td></tr>
 *   <tr><td>csiq, live, pipal</td><td>the folder holding CSIQ/, LIVE/, PIPAL/</td><td>{@link ScoresCsvAdapter}
 *       on ROOT/CSIQ.csv, ROOT/LIVE.csv, ROOT/PIPAL.csv unless {@link Options#scoresFile()} names another
 *       file. Their native score files are .xlsx (CSIQ), .mat (LIVE) and split label folders (PIPAL), so
 *       the IQA-Dataset CSV form is the one read here.</td></tr>
 *   <tr><td>scores-csv</td><td>the folder the file's paths are relative to</td><td>{@link ScoresCsvAdapter}
 *       on {@link Options#scoresFile()} (required); dataset recognised from the file name or
 *       {@link Options#datasetName()}</td></tr>
 *   <tr><td>csv</td><td>the CSV file itself</td><td>{@link CsvPairsAdapter}; {@link Options#higherIsBetter()}
 *       required, columns from {@link Options#columns()}, dataset name from {@link Options#datasetName()}
 *       or the CSV's folder name</td></tr>
 *   <tr><td>synthetic</td><td>the output folder</td><td>{@link SyntheticDataset#generate}: writes the images,
 *       spec from {@link Options#synthetic()} or {@link SyntheticSpec#defaults()}</td></tr>
 * </table>
 */
public final class DatasetAdapters {
  public static final List<String> NAMES =
      List.of("tid2013", "tid2008", "kadid10k", "csiq", "live", "pipal", "scores-csv", "csv", "synthetic");

  private DatasetAdapters() {}

  /**
   * Optional settings; null fields mean "not given".
   *
   * @param scoresFile score file URI for csiq/live/pipal (overrides the default) and scores-csv
   * @param columns column names for csv; null = {@link CsvColumns#auto()}
   * @param higherIsBetter score direction for csv and unknown scores-csv datasets
   * @param datasetName manifest dataset name for csv / scores-csv
   * @param synthetic spec for synthetic
   */
  public record Options(String scoresFile, CsvColumns columns, Boolean higherIsBetter, String datasetName,
      SyntheticSpec synthetic) {
    public static Options defaults() {
      return new Options(null, null, null, null, null);
    }

    public Options withScoresFile(String uri) {
      return new Options(uri, columns, higherIsBetter, datasetName, synthetic);
    }

    public Options withColumns(CsvColumns c) {
      return new Options(scoresFile, c, higherIsBetter, datasetName, synthetic);
    }

    public Options withHigherIsBetter(Boolean h) {
      return new Options(scoresFile, columns, h, datasetName, synthetic);
    }

    public Options withDatasetName(String n) {
      return new Options(scoresFile, columns, higherIsBetter, n, synthetic);
    }

    public Options withSynthetic(SyntheticSpec s) {
      return new Options(scoresFile, columns, higherIsBetter, datasetName, s);
    }
  }

  public static ManifestResult read(String name, String rootUri, Options options, Configuration conf) {
    Options o = options == null ? Options.defaults() : options;
    if (rootUri == null || rootUri.isBlank()) {
      throw new UserInputException("dataset '" + name + "' needs a root folder or file URI");
    }
    return switch (name == null ? "" : name) {
      case "tid2013" -> TidAdapter.read(rootUri, TidAdapter.Version.TID2013, conf);
      case "tid2008" -> TidAdapter.read(rootUri, TidAdapter.Version.TID2008, conf);
      case "kadid10k" -> KadidAdapter.read(rootUri, conf);
      case "csiq" -> scoresCsv(KnownDataset.CSIQ, rootUri, o, conf);
      case "live" -> scoresCsv(KnownDataset.LIVE, rootUri, o, conf);
      case "pipal" -> scoresCsv(KnownDataset.PIPAL, rootUri, o, conf);
      case "scores-csv" -> {
        if (o.scoresFile() == null) {
          throw new UserInputException("dataset 'scores-csv' needs the scores file: give its URI"
              + " (a dis_img_path,dis_type,ref_img_path,score CSV)");
        }
        yield ScoresCsvAdapter.read(o.scoresFile(), rootUri, o.datasetName(), o.higherIsBetter(), conf);
      }
      case "csv" -> {
        if (o.higherIsBetter() == null) {
          throw new UserInputException("dataset 'csv' " + rootUri
              + " needs the score direction: state whether higher scores are better (MOS) or worse (DMOS)");
        }
        yield CsvPairsAdapter.read(rootUri, o.columns() == null ? CsvColumns.auto() : o.columns(),
            o.higherIsBetter(), o.datasetName(), conf);
      }
      case "synthetic" -> SyntheticDataset.generate(
          o.synthetic() == null ? SyntheticSpec.defaults() : o.synthetic(), rootUri, conf);
      default -> throw new UserInputException("unknown dataset '" + name + "': use one of " + NAMES);
    };
  }

  private static ManifestResult scoresCsv(KnownDataset d, String rootUri, Options o, Configuration conf) {
    String file = o.scoresFile() != null ? o.scoresFile()
        : new Path(HadoopFiles.qualify(rootUri, conf), d.scoresFileName()).toString();
    return ScoresCsvAdapter.read(file, rootUri, d.id(), null, conf);
  }
}
