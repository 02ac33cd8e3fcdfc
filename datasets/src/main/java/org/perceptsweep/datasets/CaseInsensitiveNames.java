package org.perceptsweep.datasets;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Finds files whose names are written in a different case than they are stored (datasets made on
 * case-insensitive file systems: TID lists {@code i25_...} beside {@code I25.BMP}). Each folder is
 * listed once; a path is replaced only when its exact name is absent and exactly one file of the
 * folder matches ignoring case. Paths in missing folders stay as written (validation reports them).
 */
final class CaseInsensitiveNames {
  private final Configuration conf;
  private final Map<Path, Folder> folders = new HashMap<>();

  private record Folder(Map<String, String> exact, Map<String, String> byLowerCase) {}

  CaseInsensitiveNames(Configuration conf) {
    this.conf = conf;
  }

  /** The stored path of a qualified path. */
  Path resolve(Path path) {
    Path parent = path.getParent();
    if (parent == null) {
      return path;
    }
    Folder folder = folders.computeIfAbsent(parent, this::list);
    String name = path.getName();
    if (folder.exact().containsKey(name)) {
      return path;
    }
    String actual = folder.byLowerCase().get(name.toLowerCase(Locale.ROOT));
    return actual == null ? path : new Path(parent, actual);
  }

  private Folder list(Path dir) {
    Map<String, String> exact = new HashMap<>();
    Map<String, String> lower = new HashMap<>();
    if (HadoopFiles.isDirectory(dir, conf)) {
      List<Path> files = HadoopFiles.listFiles(dir, "folder", conf);
      for (Path f : files) {
        String n = f.getName();
        exact.put(n, n);
        // two files equal but for case: ambiguous, so neither is picked
        lower.merge(n.toLowerCase(Locale.ROOT), n, (a, b) -> "");
      }
      lower.values().removeIf(String::isEmpty);
    }
    return new Folder(exact, lower);
  }
}
