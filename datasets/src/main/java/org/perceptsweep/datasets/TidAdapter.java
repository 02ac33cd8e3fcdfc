package org.perceptsweep.datasets;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.perceptsweep.core.UserInputException;
import org.perceptsweep.core.manifest.ManifestRow;
import org.perceptsweep.core.manifest.Reject;
import org.perceptsweep.core.manifest.ScoreKind;
import org.perceptsweep.datasets.CsvPairsAdapter.BadRow;

/**
 * TID2013 and TID2008 in their published layout:
 *
 * <pre>
 * ROOT/mos_with_names.txt     lines "MOS filename", e.g. "5.51429 i01_01_1.bmp"
 * ROOT/mos_std.txt            optional: one standard deviation per line, same order
 * ROOT/reference_images/I01.BMP ...
 * ROOT/distorted_images/i01_01_1.bmp ...
 * </pre>
 *
 * Distorted names code {@code iXX_YY_Z}: reference XX, type YY (names in {@link DistortionTypes}),
 * level Z (TID2013 1..5, TID2008 1..4). Reference and distorted names differ in case
 * ({@code I25.BMP} vs {@code i25_...}); on case-sensitive file systems the folders are listed and
 * names matched ignoring case. Manifest: pair_id = the name as written in mos_with_names.txt,
 * ref_id = {@code I01}..{@code I25}, score = MOS (0..9, higher = better), score_kind mos. A
 * reference that is not found keeps its published name {@code IXX.BMP} so that validation reports
 * it as missing.
 */
public final class TidAdapter {
  /** The two releases: manifest dataset name, type names and number of levels. */
  public enum Version {
    TID2013("tid2013", DistortionTypes.TID2013, 5),
    TID2008("tid2008", DistortionTypes.TID2008, 4);

    private final String dataset;
    private final List<String> types;
    private final int levels;

    Version(String dataset, List<String> types, int levels) {
      this.dataset = dataset;
      this.types = types;
      this.levels = levels;
    }

    public String dataset() {
      return dataset;
    }

    public List<String> types() {
      return types;
    }

    public int levels() {
      return levels;
    }
  }

  private TidAdapter() {}

  public static ManifestResult read(String rootUri, Version version, Configuration conf) {
    Path root = HadoopFiles.qualify(rootUri, conf);
    Path mosFile = new Path(root, "mos_with_names.txt");
    if (!HadoopFiles.exists(mosFile, conf)) {
      throw new UserInputException(version.dataset() + " root " + root + " has no mos_with_names.txt: point it at"
          + " the folder that holds mos_with_names.txt, reference_images/ and distorted_images/");
    }
    List<String> lines = CsvPairsAdapter.readText(mosFile, "TID score file", conf).lines().toList();
    Path stdFile = new Path(root, "mos_std.txt");
    List<String> stds = HadoopFiles.exists(stdFile, conf) ? nonEmpty(
        CsvPairsAdapter.readText(stdFile, "TID score file", conf).lines().toList()) : null;
    if (stds != null && stds.size() != nonEmpty(lines).size()) {
      throw new UserInputException(stdFile + " has " + stds.size() + " values but " + mosFile + " has "
          + nonEmpty(lines).size() + " lines: they must align line by line (remove or fix mos_std.txt)");
    }

    Path refDir = new Path(root, "reference_images");
    Path distDir = new Path(root, "distorted_images");
    CaseInsensitiveNames names = new CaseInsensitiveNames(conf);
    List<ManifestRow> rows = new ArrayList<>();
    List<Reject> rejects = new ArrayList<>();
    Map<String, Integer> firstLine = new HashMap<>();
    int entry = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).trim();
      if (line.isEmpty()) {
        continue;
      }
      String std = stds == null ? null : stds.get(entry);
      entry++;
      int lineNo = i + 1;
      try {
        String[] parts = line.split("\\s+");
        if (parts.length != 2) {
          throw new BadRow("expected 'MOS filename', got '" + line + "'");
        }
        double mos = parseFinite(parts[0], "MOS");
        String name = parts[1];
        FileNameCodes.Code code = FileNameCodes.tid(name, version.types(), version.levels());
        Integer first = firstLine.putIfAbsent(name.toLowerCase(Locale.ROOT), lineNo);
        if (first != null) {
          throw new BadRow("duplicate pair: " + name + " is already listed at line " + first);
        }
        Double scoreStd = std == null ? null : parseFinite(std.trim(), "mos_std.txt value");
        String refId = String.format(Locale.ROOT, "I%02d", code.reference());
        Path ref = names.resolve(new Path(refDir, refId + ".BMP"));
        Path dist = names.resolve(new Path(distDir, name));
        rows.add(new ManifestRow(version.dataset(), name, refId, ref.toString(), dist.toString(),
            code.distortion(), code.level(), mos, scoreStd, true, ScoreKind.MOS.id()));
      } catch (BadRow e) {
        rejects.add(new Reject(version.dataset(), mosFile + " line " + lineNo, CsvPairsAdapter.STAGE, e.getMessage()));
      }
    }
    return new ManifestResult(rows, rejects);
  }

  private static List<String> nonEmpty(List<String> lines) {
    return lines.stream().filter(l -> !l.isBlank()).toList();
  }

  static double parseFinite(String s, String what) throws BadRow {
    double v;
    try {
      v = Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw new BadRow(what + " '" + s + "' is not a number");
    }
    if (!Double.isFinite(v)) {
      throw new BadRow(what + " is " + s + ", not a finite number");
    }
    return v;
  }
}
