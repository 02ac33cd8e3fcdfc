package org.perceptsweep.datasets;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.perceptsweep.core.UserInputException;
import org.perceptsweep.core.manifest.ManifestRow;
import org.perceptsweep.core.manifest.Reject;
import org.perceptsweep.core.manifest.ScoreKind;

/**
 * Generic CSV of pairs: one row per distorted image with its reference and its score. Column names
 * are found as described in {@link CsvColumns} or given explicitly. Paths are relative to the CSV
 * file's folder (or to a base folder given by the caller), or absolute paths / URIs.
 *
 * <p>Each row becomes a {@link ManifestRow} with
 * <ul>
 *   <li>{@code pair_id} = the dist path exactly as written in the CSV (it is unique per file);
 *   <li>{@code ref_id} = the ref path exactly as written;
 *   <li>{@code distortion} = the optional distortion column, or {@value #UNKNOWN_DISTORTION} when
 *       the column is absent or the cell empty ("all" is not used: the correlation job adds its own
 *       {@code all} subset, and a dataset-level "all" would be counted twice);
 *   <li>{@code level}, {@code score_std} = the optional columns, null when absent or empty;
 *   <li>{@code score_kind} = mos when higher is better, else dmos.
 * </ul>
 *
 * <p>A row that cannot be used (wrong number of fields, empty path, non-numeric, NaN or infinite
 * score, non-integer level, bad score_std, a dist path already listed) becomes a {@link Reject}
 * naming the file and line; the other rows go on. A file that cannot be used at all (missing,
 * empty, no dist/ref/score column, malformed quoting) is one {@link UserInputException}.
 */
public final class CsvPairsAdapter {
  /** Distortion name when a CSV has no distortion column. */
  public static final String UNKNOWN_DISTORTION = "unknown";

  static final String STAGE = "manifest";

  private CsvPairsAdapter() {}

  /** Columns found by their usual names; paths relative to the CSV's folder. */
  public static ManifestResult read(
      String csvUri, boolean higherIsBetter, String datasetName, Configuration conf) {
    return read(csvUri, CsvColumns.auto(), higherIsBetter, datasetName, conf);
  }

  /** Paths relative to the CSV's folder. */
  public static ManifestResult read(String csvUri, CsvColumns columns, boolean higherIsBetter,
      String datasetName, Configuration conf) {
    return read(csvUri, null, columns, higherIsBetter, datasetName, conf);
  }

  /**
   * The general form.
   *
   * @param pathBaseUri folder that relative paths are resolved against; null = the CSV's folder
   * @param datasetName dataset column; null = the name of the CSV's folder
   */
  public static ManifestResult read(String csvUri, String pathBaseUri, CsvColumns columns,
      boolean higherIsBetter, String datasetName, Configuration conf) {
    Path csv = HadoopFiles.qualify(csvUri, conf);
    Path base = pathBaseUri == null ? csv.getParent() : HadoopFiles.qualify(pathBaseUri, conf);
    String dataset = datasetName == null || datasetName.isBlank()
        ? csv.getParent().getName() : datasetName;
    String text = readText(csv, "CSV file", conf);
    return parse(text, csv.toString(), new PathResolver(base, false, conf), columns,
        ScoreKind.ofOpinion(higherIsBetter), dataset, RowRefiner.NONE);
  }

  /** Reads a CSV file's text (no byte-order mark) for the adapters built on this one. */
  static String readText(Path csv, String what, Configuration conf) {
    String text = new String(HadoopFiles.readAll(csv, what, conf), StandardCharsets.UTF_8);
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  /**
   * Dataset-specific finishing of a row (type and level from the file name, a variance column...):
   * returns the row to keep or throws {@link BadRow} to reject it.
   */
  interface RowRefiner {
    RowRefiner NONE = (row, rec) -> row;

    ManifestRow refine(ManifestRow row, CSVRecord rec) throws BadRow;
  }

  static ManifestResult parse(String text, String file, PathResolver paths, CsvColumns columns,
      ScoreKind kind, String dataset, RowRefiner refiner) {
    CSVFormat format = CSVFormat.DEFAULT.builder()
        .setHeader()
        .setSkipHeaderRecord(true)
        .setTrim(true)
        .setIgnoreEmptyLines(true)
        .setAllowMissingColumnNames(true)
        .setDuplicateHeaderMode(DuplicateHeaderMode.DISALLOW)
        .get();
    LineIndex lines = new LineIndex(text);
    List<ManifestRow> rows = new ArrayList<>();
    List<Reject> rejects = new ArrayList<>();
    try (CSVParser parser = CSVParser.parse(new StringReader(text), format)) {
      List<String> header = parser.getHeaderNames();
      if (header.isEmpty() || header.stream().allMatch(String::isBlank)) {
        throw new UserInputException("CSV file " + file
            + " is empty or has no header line: its first line must name the columns, e.g. dist,ref,score");
      }
      String distCol = column(file, header, columns.dist(), CsvColumns.DIST_NAMES, "dist", true);
      String refCol = column(file, header, columns.ref(), CsvColumns.REF_NAMES, "ref", true);
      String scoreCol = column(file, header, columns.score(), CsvColumns.SCORE_NAMES, "score", true);
      String distortionCol = column(file, header, columns.distortion(), CsvColumns.DISTORTION_NAMES,
          "distortion", false);
      String levelCol = column(file, header, columns.level(), CsvColumns.LEVEL_NAMES, "level", false);
      String stdCol = column(file, header, columns.scoreStd(), CsvColumns.SCORE_STD_NAMES, "score_std", false);

      Map<String, Integer> firstLineOfPair = new HashMap<>();
      for (CSVRecord rec : parser) {
        int line = lines.lineOf(firstContent(text, rec.getCharacterPosition()));
        String where = file + " line " + line;
        try {
          if (rec.size() != header.size()) {
            throw new BadRow("has " + rec.size() + " fields but the header has " + header.size());
          }
          String dist = rec.get(distCol);
          String ref = rec.get(refCol);
          if (dist.isEmpty()) {
            throw new BadRow("empty " + distCol + " path");
          }
          if (ref.isEmpty()) {
            throw new BadRow("empty " + refCol + " path");
          }
          double score = parseFinite(rec.get(scoreCol), scoreCol);
          Integer level = null;
          if (levelCol != null && !rec.get(levelCol).isEmpty()) {
            level = parseLevel(rec.get(levelCol), levelCol);
          }
          Double std = null;
          if (stdCol != null && !rec.get(stdCol).isEmpty()) {
            std = parseFinite(rec.get(stdCol), stdCol);
            if (std < 0) {
              throw new BadRow(stdCol + " " + rec.get(stdCol) + " is negative");
            }
          }
          String distortion = distortionCol == null || rec.get(distortionCol).isEmpty()
              ? UNKNOWN_DISTORTION : rec.get(distortionCol);
          Integer first = firstLineOfPair.putIfAbsent(dist, line);
          if (first != null) {
            throw new BadRow("duplicate pair: " + dist + " is already listed at line " + first);
          }
          rows.add(refiner.refine(new ManifestRow(dataset, dist, ref, paths.resolve(ref), paths.resolve(dist),
              distortion, level, score, std, kind.higherIsBetter(), kind.id()), rec));
        } catch (BadRow e) {
          rejects.add(new Reject(dataset, where, STAGE, e.getMessage()));
        }
      }
    } catch (IOException | UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
      // commons-csv reports malformed quoting and duplicate header names this way
      throw new UserInputException("cannot parse CSV file " + file + ": " + oneLine(e.getMessage())
          + " (fix the quoting or the header line)", e);
    }
    return new ManifestResult(rows, rejects);
  }

  private static String column(String file, List<String> header, String given, List<String> usual,
      String field, boolean required) {
    if (given != null) {
      for (String h : header) {
        if (h.trim().equalsIgnoreCase(given.trim())) {
          return h;
        }
      }
      throw new UserInputException("CSV file " + file + " has no column '" + given + "' (given for "
          + field + "); its header is " + header + ": check the column name");
    }
    List<String> found = new ArrayList<>();
    for (String name : usual) {
      for (String h : header) {
        if (h.trim().toLowerCase(Locale.ROOT).equals(name)) {
          found.add(h);
        }
      }
    }
    if (found.size() > 1) {
      throw new UserInputException("CSV file " + file + " has several " + field + " columns " + found
          + ": choose one by name");
    }
    if (found.isEmpty()) {
      if (required) {
        throw new UserInputException("CSV file " + file + " has no " + field + " column (header "
            + header + "): name it one of " + usual + " or give its name");
      }
      return null;
    }
    return found.get(0);
  }

  private static double parseFinite(String s, String col) throws BadRow {
    double v;
    try {
      v = Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw new BadRow(col + " '" + s + "' is not a number");
    }
    if (!Double.isFinite(v)) {
      throw new BadRow(col + " is " + s + ", not a finite number");
    }
    return v;
  }

  private static int parseLevel(String s, String col) throws BadRow {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new BadRow(col + " '" + s + "' is not an integer");
    }
  }

  /** A record's position is where the parser started, before any empty lines it skipped. */
  private static long firstContent(String text, long pos) {
    int i = (int) pos;
    while (i < text.length() && (text.charAt(i) == '\n' || text.charAt(i) == '\r')) {
      i++;
    }
    return i;
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s+", " ").trim();
  }

  /** A row-level problem: becomes a Reject, parsing goes on. */
  static final class BadRow extends Exception {
    BadRow(String reason) {
      super(reason, null, false, false);
    }
  }

  /**
   * Resolves paths as written in a file to qualified URIs: relative ones against a base folder.
   * With {@code matchCase}, a name that does not exist as written is replaced by the one file of
   * its folder whose name differs only in case (TID's {@code I01.BMP} listed as {@code i01.bmp}).
   */
  static final class PathResolver {
    private final Path base;
    private final FileSystem baseFs;
    private final CaseInsensitiveNames names;

    PathResolver(Path base, boolean matchCase, Configuration conf) {
      this.base = base;
      this.baseFs = HadoopFiles.fileSystem(base, conf);
      this.names = matchCase ? new CaseInsensitiveNames(conf) : null;
    }

    String resolve(String written) throws BadRow {
      Path p;
      try {
        p = new Path(written);
      } catch (IllegalArgumentException e) {
        throw new BadRow("path '" + written + "' is not a valid path or URI");
      }
      Path q = p.toUri().getScheme() != null ? p // a full URI: kept as written
          : baseFs.makeQualified(p.isAbsolute() ? p : new Path(base, p));
      return (names == null ? q : names.resolve(q)).toString();
    }
  }

  /** Maps a character offset of the text to its 1-based line number. */
  static final class LineIndex {
    private final int[] starts;

    LineIndex(String text) {
      int[] s = new int[16];
      int n = 0;
      s[n++] = 0;
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        boolean newline = c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'));
        if (newline) {
          if (n == s.length) {
            s = Arrays.copyOf(s, n * 2);
          }
          s[n++] = i + 1;
        }
      }
      starts = Arrays.copyOf(s, n);
    }

    int lineOf(long offset) {
      int i = Arrays.binarySearch(starts, (int) offset);
      return (i >= 0 ? i : -i - 2) + 1;
    }
  }
}
