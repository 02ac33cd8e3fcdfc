package org.perceptsweep.datasets;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.perceptsweep.core.UserInputException;
import org.perceptsweep.core.image.ImageDecoder;
import org.perceptsweep.core.image.RgbImage;
import org.perceptsweep.core.manifest.ManifestRow;
import org.perceptsweep.core.manifest.Reject;

/**
 * Checks a manifest against the files it names, before any job spends time on it. Each bad row
 * becomes a {@link Reject} (stage {@value #STAGE}, where = the pair id) and leaves the rows; each
 * kind of problem also gives one {@link Finding} with a count and the first few examples.
 *
 * <ol>
 *   <li>score NaN or infinite; score outside the dataset's known range ({@link KnownDataset});
 *   <li>duplicate pairs: a pair id, or a (reference, distorted) file pair, listed twice;
 *   <li>missing images: each folder is listed once (cheap on object stores), not one call per file;
 *   <li>with {@link Options#decodeImages()}: unreadable or truncated images (each file decoded
 *       once) and reference/distorted size mismatch;
 *   <li>references with no distorted images: image files in a reference folder that no row uses,
 *       and references all of whose rows were rejected (findings only: there is no row to reject).
 * </ol>
 */
public final class Validation {
  public static final String STAGE = "validate";

  private static final Set<String> IMAGE_EXTENSIONS =
      Set.of("bmp", "png", "jpg", "jpeg", "tif", "tiff", "gif");

  private Validation() {}

  /**
   * @param decodeImages decode every image (finds truncated files and size mismatches; costs a
   *     full read of the dataset), or only check that files exist
   * @param examples how many example paths or pair ids a finding names
   */
  public record Options(boolean decodeImages, int examples) {
    public static Options defaults() {
      return new Options(true, 5);
    }

    public static Options filesOnly() {
      return new Options(false, 5);
    }
  }

  /** One kind of problem: {@code check} is a stable key, {@code where} the dataset or file. */
  public record Finding(String check, String where, String message) {}

  /** The rows that passed, every reject (the input's first), and the findings. */
  public record Report(List<ManifestRow> rows, List<Reject> rejects, List<Finding> findings) {
    public Report {
      rows = List.copyOf(rows);
      rejects = List.copyOf(rejects);
      findings = List.copyOf(findings);
    }

    public ManifestResult result() {
      return new ManifestResult(rows, rejects);
    }

    public Finding finding(String check) {
      return findings.stream().filter(f -> f.check().equals(check)).findFirst().orElse(null);
    }
  }

  public static Report check(ManifestResult manifest, Configuration conf) {
    return check(manifest, Options.defaults(), conf);
  }

  public static Report check(ManifestResult manifest, Options options, Configuration conf) {
    Run run = new Run(options, conf);
    return run.check(manifest);
  }

  private static final class Run {
    private final Options options;
    private final Configuration conf;
    private final Map<Path, Set<String>> folders = new HashMap<>();
    private final Map<String, Object> decoded = new HashMap<>(); // path -> size string or failure message
    private final List<Reject> rejects = new ArrayList<>();
    private final Map<String, Problem> problems = new LinkedHashMap<>();

    Run(Options options, Configuration conf) {
      this.options = options;
      this.conf = conf;
    }

    /** Count and first examples of one check, per dataset. */
    private static final class Problem {
      final String check;
      final String dataset;
      final Set<String> examples = new LinkedHashSet<>();
      int count;

      Problem(String check, String dataset) {
        this.check = check;
        this.dataset = dataset;
      }
    }

    private void note(String check, String dataset, String example) {
      Problem p = problems.computeIfAbsent(check + "\u0000" + dataset, k -> new Problem(check, dataset));
      p.examples.add(example); // distinct, in first-seen order
      p.count++;
    }

    Report check(ManifestResult manifest) {
      rejects.addAll(manifest.rejects());
      List<ManifestRow> kept = new ArrayList<>();
      Set<String> seenIds = new HashSet<>();
      Set<String> seenFiles = new HashSet<>();
      Map<String, Integer> missingFiles = new LinkedHashMap<>();
      for (ManifestRow row : manifest.rows()) {
        String reason = rowProblem(row, seenIds, seenFiles, missingFiles);
        if (reason == null) {
          kept.add(row);
        } else {
          rejects.add(new Reject(row.dataset(), row.pairId(), STAGE, reason));
        }
      }
      unusedReferences(manifest.rows(), kept);
      List<Finding> findings = new ArrayList<>();
      for (Problem p : problems.values()) {
        findings.add(new Finding(p.check, p.dataset, message(p)));
      }
      return new Report(kept, rejects, findings);
    }

    private String message(Problem p) {
      List<String> ex = p.examples.stream().limit(options.examples()).toList();
      String what = switch (p.check) {
        case "missing_images" -> p.examples.size() + " image files not found (named " + p.count + " times)";
        case "unreadable_images" -> p.examples.size() + " image files unreadable (" + p.count + " rows)";
        case "size_mismatch" -> p.count + " pairs whose reference and distorted sizes differ";
        case "bad_score" -> p.count + " rows with a NaN, infinite or out-of-range score";
        case "duplicate_pair" -> p.count + " rows repeating a pair";
        case "unused_reference" -> p.count + " references with no usable distorted image";
        default -> p.count + " problems";
      };
      return what + ", e.g. " + String.join(", ", ex);
    }

    private String rowProblem(ManifestRow row, Set<String> seenIds, Set<String> seenFiles,
        Map<String, Integer> missingFiles) {
      if (!Double.isFinite(row.score())) {
        note("bad_score", row.dataset(), row.pairId());
        return "score is " + row.score() + ", not a finite number";
      }
      KnownDataset known = KnownDataset.find(row.dataset());
      if (known != null && known.min() != null
          && (row.score() < known.min() || row.score() > known.max())) {
        note("bad_score", row.dataset(), row.pairId());
        return "score " + row.score() + " outside " + known.id() + "'s range [" + fmt(known.min()) + ", "
            + fmt(known.max()) + "]";
      }
      if (!seenIds.add(row.dataset() + "\u0000" + row.pairId())) {
        note("duplicate_pair", row.dataset(), row.pairId());
        return "duplicate pair id " + row.pairId();
      }
      if (!seenFiles.add(row.dataset() + "\u0000" + row.refPath() + "\u0000" + row.distPath())) {
        note("duplicate_pair", row.dataset(), row.pairId());
        return "duplicate pair: " + row.refPath() + " with " + row.distPath() + " is already listed";
      }
      List<String> missing = new ArrayList<>();
      for (String p : List.of(row.refPath(), row.distPath())) {
        if (!exists(p)) {
          missing.add(p);
          note("missing_images", row.dataset(), p);
        }
      }
      if (!missing.isEmpty()) {
        return "missing image" + (missing.size() > 1 ? "s " : " ") + String.join(" and ", missing);
      }
      if (options.decodeImages()) {
        Object ref = decode(row.refPath());
        Object dist = decode(row.distPath());
        for (String p : List.of(row.refPath(), row.distPath())) {
          if (decoded.get(p) instanceof Failure f) {
            note("unreadable_images", row.dataset(), p);
            return f.message();
          }
        }
        if (!ref.equals(dist)) {
          note("size_mismatch", row.dataset(), row.pairId());
          return "size mismatch: reference " + row.refPath() + " is " + ref + " but distorted "
              + row.distPath() + " is " + dist;
        }
      }
      return null;
    }

    private record Failure(String message) {}

    private Object decode(String uri) {
      return decoded.computeIfAbsent(uri, u -> {
        try {
          RgbImage img = ImageDecoder.decode(HadoopFiles.readAll(new Path(u), "image", conf), u);
          return img.sizeString();
        } catch (UserInputException e) {
          return new Failure(e.getMessage());
        }
      });
    }

    private boolean exists(String uri) {
      Path p = new Path(uri);
      return folder(p.getParent()).contains(p.getName());
    }

    private Set<String> folder(Path dir) {
      return folders.computeIfAbsent(dir, d -> {
        Set<String> names = new HashSet<>();
        if (d != null && HadoopFiles.isDirectory(d, conf)) {
          for (Path f : HadoopFiles.listFiles(d, "folder", conf)) {
            names.add(f.getName());
          }
        }
        return names;
      });
    }

    private void unusedReferences(List<ManifestRow> all, List<ManifestRow> kept) {
      Map<String, String> datasetOfRef = new LinkedHashMap<>();
      Set<String> usedFiles = new HashSet<>();
      for (ManifestRow r : all) {
        datasetOfRef.putIfAbsent(r.refPath(), r.dataset());
        usedFiles.add(r.refPath());
        usedFiles.add(r.distPath());
      }
      Set<String> keptRefs = new HashSet<>();
      for (ManifestRow r : kept) {
        keptRefs.add(r.refPath());
      }
      // references named by rows, all of which were rejected (and whose file exists: missing
      // files are reported as such)
      for (Map.Entry<String, String> e : datasetOfRef.entrySet()) {
        if (!keptRefs.contains(e.getKey()) && exists(e.getKey())) {
          note("unused_reference", e.getValue(), e.getKey());
        }
      }
      // image files in reference folders that no row names at all
      Map<Path, String> refFolders = new LinkedHashMap<>();
      for (Map.Entry<String, String> e : datasetOfRef.entrySet()) {
        refFolders.putIfAbsent(new Path(e.getKey()).getParent(), e.getValue());
      }
      for (Map.Entry<Path, String> e : refFolders.entrySet()) {
        List<String> names = new ArrayList<>(folder(e.getKey()));
        names.sort(null);
        for (String name : names) {
          String uri = new Path(e.getKey(), name).toString();
          if (isImage(name) && !usedFiles.contains(uri)) {
            note("unused_reference", e.getValue(), uri);
          }
        }
      }
    }
  }

  private static boolean isImage(String name) {
    int dot = name.lastIndexOf('.');
    return dot > 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
