package org.perceptsweep.datasets;

import java.util.Locale;
import org.perceptsweep.core.manifest.ManifestRow;
import org.perceptsweep.core.manifest.ScoreKind;
import org.perceptsweep.datasets.CsvPairsAdapter.BadRow;

/**
 * What is known about each standard dataset whose scores come in the
 * {@code dis_img_path,dis_type,ref_img_path,score} files of icbcbicc/IQA-Dataset: its manifest
 * name, its score file's name, the score direction, and the score range where the rating scale has
 * hard bounds (used by {@link Validation}; null where it has none or it is not documented).
 *
 * <table>
 *   <caption>Directions and ranges</caption>
 *   <tr><th>dataset</th><th>score</th><th>higher is</th><th>range</th><th>source</th></tr>
 *   <tr><td>tid2013, tid2008</td><td>MOS</td><td>better</td><td>0..9</td><td>TID papers; pyiqa mos_range</td></tr>
 *   <tr><td>kadid10k</td><td>"dmos" that is a MOS</td><td>better</td><td>1..5</td><td>KADID-10k paper; pyiqa</td></tr>
 *   <tr><td>csiq</td><td>DMOS</td><td>worse</td><td>0..1</td><td>CSIQ; pyiqa lower_better</td></tr>
 *   <tr><td>live</td><td>realigned DMOS</td><td>worse</td><td>none: realignment spills past 0..100
 *       (the file runs from -2.6 to 111.8)</td><td>LIVE Release 2</td></tr>
 *   <tr><td>pipal</td><td>Elo-based MOS</td><td>better</td><td>none (Elo is unbounded)</td><td>PIPAL paper</td></tr>
 *   <tr><td>a57</td><td>DMOS</td><td>worse</td><td>not documented</td><td>IQA-Dataset README</td></tr>
 *   <tr><td>mdid2013</td><td>DMOS</td><td>worse</td><td>not documented</td><td>IQA-Dataset README</td></tr>
 *   <tr><td>toyama</td><td>MOS, 5-point scale</td><td>better</td><td>1..5</td><td>IQA-Dataset README</td></tr>
 *   <tr><td>vclfer</td><td>MOS</td><td>better</td><td>0..100</td><td>IQA-Dataset README</td></tr>
 * </table>
 *
 * The directions agree with the file names' levels in the shared score files: Spearman of score
 * against level is -0.71 (TID2013), -0.59 (TID2008), -0.68 (KADID-10k), -0.92 (VCLFER) and +0.91
 * (CSIQ). Type and level are read from file names for TID (24/17 types, 5/4 levels), KADID-10k
 * (25 types, 5 levels), CSIQ (level) and VCLFER (level); elsewhere the file's dis_type is kept.
 */
public enum KnownDataset {
  TID2013("tid2013", "TID2013.csv", true, 0.0, 9.0),
  TID2008("tid2008", "TID2008.csv", true, 0.0, 9.0),
  KADID10K("kadid10k", "KADID-10k.csv", true, 1.0, 5.0),
  CSIQ("csiq", "CSIQ.csv", false, 0.0, 1.0),
  LIVE("live", "LIVE.csv", false, null, null),
  PIPAL("pipal", "PIPAL.csv", true, null, null),
  A57("a57", "A57.csv", false, null, null),
  MDID2013("mdid2013", "MDID2013.csv", false, null, null),
  TOYAMA("toyama", "Toyama.csv", true, 1.0, 5.0),
  VCLFER("vclfer", "VCLFER.csv", true, 0.0, 100.0);

  private final String id;
  private final String scoresFileName;
  private final boolean higherIsBetter;
  private final Double min;
  private final Double max;

  KnownDataset(String id, String scoresFileName, boolean higherIsBetter, Double min, Double max) {
    this.id = id;
    this.scoresFileName = scoresFileName;
    this.higherIsBetter = higherIsBetter;
    this.min = min;
    this.max = max;
  }

  /** The manifest's dataset name. */
  public String id() {
    return id;
  }

  public String scoresFileName() {
    return scoresFileName;
  }

  public boolean higherIsBetter() {
    return higherIsBetter;
  }

  public ScoreKind scoreKind() {
    return ScoreKind.ofOpinion(higherIsBetter);
  }

  /** Lowest possible score, or null when the scale has no documented bound. */
  public Double min() {
    return min;
  }

  public Double max() {
    return max;
  }

  /** Finds a dataset by a name written any way ("KADID-10k", "kadid10k", "TID2013.csv"); null if none. */
  public static KnownDataset find(String name) {
    if (name == null) {
      return null;
    }
    String key = normalise(name.replaceFirst("(?i)\\.csv$", ""));
    for (KnownDataset d : values()) {
      if (normalise(d.id).equals(key) || normalise(d.scoresFileName.replaceFirst("\\.csv$", "")).equals(key)) {
        return d;
      }
    }
    return null;
  }

  private static String normalise(String s) {
    return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
  }

  /** Type and level from the distorted file's name, where this dataset codes them there. */
  ManifestRow refine(ManifestRow row) throws BadRow {
    String name = FileNameCodes.fileName(row.pairId());
    return switch (this) {
      case TID2013 -> coded(row, FileNameCodes.tid(name, DistortionTypes.TID2013, 5));
      case TID2008 -> coded(row, FileNameCodes.tid(name, DistortionTypes.TID2008, 4));
      case KADID10K -> coded(row, FileNameCodes.kadid(name));
      case CSIQ -> KadidAdapter.withCode(row, row.distortion(), FileNameCodes.csiqLevel(name), row.scoreStd());
      case VCLFER -> KadidAdapter.withCode(row, row.distortion(), vclferLevel(name), row.scoreStd());
      default -> row;
    };
  }

  private static ManifestRow coded(ManifestRow row, FileNameCodes.Code code) {
    return KadidAdapter.withCode(row, code.distortion(), code.level(), row.scoreStd());
  }

  /** VCLFER names end in _LEVEL before the extension: IMG_01_AWGN_1.bmp. */
  private static int vclferLevel(String name) throws BadRow {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(".+_(\\d+)\\.[A-Za-z]+").matcher(name);
    if (!m.matches()) {
      throw new BadRow("file name " + name + " does not end in _LEVEL.ext");
    }
    return Integer.parseInt(m.group(1));
  }
}
