package org.perceptsweep.datasets;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.perceptsweep.datasets.CsvPairsAdapter.BadRow;

/**
 * Reference number, distortion type and level coded in distorted-image file names:
 * TID {@code i01_08_3.bmp} (case varies), KADID-10k {@code I01_08_03.png}, CSIQ
 * {@code 1600.AWGN.3.png}.
 */
final class FileNameCodes {
  private FileNameCodes() {}

  /** What a name codes; {@code reference} is the reference number (0 when the name has none). */
  record Code(int reference, String distortion, int level) {}

  private static final Pattern TID = Pattern.compile("i(\\d{2})_(\\d{2})_(\\d)\\.bmp", Pattern.CASE_INSENSITIVE);
  private static final Pattern KADID = Pattern.compile("i(\\d{2})_(\\d{2})_(\\d{2})\\.png", Pattern.CASE_INSENSITIVE);
  private static final Pattern CSIQ = Pattern.compile(".+\\.([^.]+)\\.(\\d)\\.png", Pattern.CASE_INSENSITIVE);

  static Code tid(String fileName, List<String> types, int levels) throws BadRow {
    return numbered(TID, "iXX_YY_Z.bmp", fileName, types, levels);
  }

  static Code kadid(String fileName) throws BadRow {
    return numbered(KADID, "IXX_YY_ZZ.png", fileName, DistortionTypes.KADID10K, 5);
  }

  /** CSIQ names code the type folder and level; the type name itself comes from the score file. */
  static int csiqLevel(String fileName) throws BadRow {
    Matcher m = CSIQ.matcher(fileName);
    if (!m.matches()) {
      throw new BadRow("file name " + fileName + " is not NAME.TYPE.LEVEL.png");
    }
    return Integer.parseInt(m.group(2));
  }

  private static Code numbered(Pattern p, String form, String fileName, List<String> types, int levels)
      throws BadRow {
    Matcher m = p.matcher(fileName);
    if (!m.matches()) {
      throw new BadRow("file name " + fileName + " is not of the form " + form);
    }
    int ref = Integer.parseInt(m.group(1));
    int type = Integer.parseInt(m.group(2));
    int level = Integer.parseInt(m.group(3));
    if (type < 1 || type > types.size()) {
      throw new BadRow("file name " + fileName + " has distortion type " + type + ", expected 1.." + types.size());
    }
    if (level < 1 || level > levels) {
      throw new BadRow("file name " + fileName + " has level " + level + ", expected 1.." + levels);
    }
    return new Code(ref, types.get(type - 1), level);
  }

  /** The last path segment of a path as written (either slash). */
  static String fileName(String written) {
    int i = Math.max(written.lastIndexOf('/'), written.lastIndexOf('\\'));
    return written.substring(i + 1);
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
