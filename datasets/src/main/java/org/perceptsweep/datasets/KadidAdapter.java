package org.perceptsweep.datasets;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.perceptsweep.core.UserInputException;
import org.perceptsweep.core.manifest.ManifestRow;
import org.perceptsweep.core.manifest.ScoreKind;
import org.perceptsweep.datasets.CsvPairsAdapter.BadRow;
import org.perceptsweep.datasets.CsvPairsAdapter.PathResolver;

/**
 * KADID-10k in its published layout:
 *
 * <pre>
 * ROOT/dmos.csv        dist_img,ref_img,dmos,var   e.g. I01_01_01.png,I01.png,4.57,0.496
 * ROOT/images/I01.png, ROOT/images/I01_01_01.png ...
 * </pre>
 *
 * Distorted names code {@code IXX_YY_ZZ}: reference XX, type YY (25 names in
 * {@link DistortionTypes#KADID10K}), level ZZ (1..5). Despite its column name, KADID-10k's "dmos"
 * is a mean opinion score on 1..5 with higher = better, so score_kind is mos. {@code var} is the
 * variance of the ratings: score_std = sqrt(var). pair_id and ref_id are the names as written.
 */
public final class KadidAdapter {
  public static final String DATASET = "kadid10k";

  private KadidAdapter() {}

  public static ManifestResult read(String rootUri, Configuration conf) {
    Path root = HadoopFiles.qualify(rootUri, conf);
    Path csv = new Path(root, "dmos.csv");
    if (!HadoopFiles.exists(csv, conf)) {
      throw new UserInputException("kadid10k root " + root + " has no dmos.csv: point it at the folder"
          + " that holds dmos.csv and images/");
    }
    CsvColumns columns = CsvColumns.auto().withDist("dist_img").withRef("ref_img").withScore("dmos");
    return CsvPairsAdapter.parse(CsvPairsAdapter.readText(csv, "KADID-10k score file", conf), csv.toString(),
        new PathResolver(new Path(root, "images"), true, conf), columns, ScoreKind.MOS, DATASET,
        (row, rec) -> {
          FileNameCodes.Code code = FileNameCodes.kadid(FileNameCodes.fileName(row.pairId()));
          Double std = null;
          if (rec.isMapped("var") && !rec.get("var").isEmpty()) {
            double var = TidAdapter.parseFinite(rec.get("var"), "var");
            if (var < 0) {
              throw new BadRow("var " + rec.get("var") + " is negative");
            }
            std = Math.sqrt(var);
          }
          return withCode(row, code.distortion(), code.level(), std);
        });
  }

  static ManifestRow withCode(ManifestRow r, String distortion, Integer level, Double std) {
    return new ManifestRow(r.dataset(), r.pairId(), r.refId(), r.refPath(), r.distPath(), distortion, level,
        r.score(), std, r.higherIsBetter(), r.scoreKind());
  }
}
