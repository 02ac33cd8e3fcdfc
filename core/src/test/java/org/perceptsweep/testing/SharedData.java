package org.perceptsweep.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the read-only shared inputs (../shared: real nets, LIVE subset, calibration pairs).
 * When they are missing, a test skips with a message, except under CI=true, where it fails:
 * in CI they are always there, so their absence is a broken set-up, not a reason to go green.
 */
public final class SharedData {
  private SharedData() {}

  /** The shared folder, or a skip (fail under CI=true) when it is absent. */
  public static Path root() {
    Path root = candidate();
    if (!Files.isDirectory(root.resolve("models")) || !Files.isDirectory(root.resolve("data"))) {
      String msg = "shared inputs not found at " + root
          + " (set -Dperceptsweep.shared=DIR or check out ../shared beside the project)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        Assertions.fail(msg + "; CI=true requires them");
      }
      Assumptions.abort(msg + "; skipping");
    }
    return root;
  }

  public static Path model(String fileName) {
    return require(root().resolve("models").resolve(fileName));
  }

  public static Path data(String relative) {
    return require(root().resolve("data").resolve(relative));
  }

  private static Path require(Path p) {
    Assertions.assertTrue(Files.exists(p), "shared input missing: " + p);
    return p;
  }

  private static Path candidate() {
    String prop = System.getProperty("perceptsweep.shared");
    if (prop != null && !prop.isBlank()) {
      return Paths.get(prop).toAbsolutePath().normalize();
    }
    // Walk up from the working directory (module dir under Maven) to find a sibling "shared".
    Path dir = Paths.get("").toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      Path s = d.resolveSibling("shared");
      if (Files.isDirectory(s.resolve("models"))) {
        return s.normalize();
      }
    }
    return dir.resolveSibling("shared");
  }
}
