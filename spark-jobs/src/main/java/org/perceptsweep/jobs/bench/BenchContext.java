package org.perceptsweep.jobs.bench;

import java.nio.file.Path;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;

/**
 * What every benchmark gets: where the shared models and data are, a scratch folder, how many
 * rounds, the thread count of the Spark master (the bare baselines use the same), and a log for
 * progress (stderr), separate from the table (stdout).
 *
 * @param refs LIVE references ({@code --refs}; 0: not given)
 * @param shared the shared folder (models/, data/), or null when absent
 * @param python the interpreter for tools/bench_torch.py
 * @param torchScript tools/bench_torch.py, or null when not found
 * @param nets the shared nets the per-net benchmark runs (empty: all; {@code --nets})
 */
public record BenchContext(Path shared, Path work, int runs, int warmups, boolean quick, int refs, int threads,
    String master, Configuration hadoopConf, String python, Path torchScript, Consumer<String> log,
    java.util.List<String> nets) {

  /** LIVE references the LIVE benchmarks use (0: all); {@code --refs} wins over {@code --quick}'s 1. */
  public int liveRefs() {
    return refs > 0 ? refs : quick ? 1 : 0;
  }

  /** How the LIVE subset is named in the tables: " (quick)", " (--refs N)" or "" for the whole set. */
  public String liveLabel() {
    return refs > 0 ? " (--refs " + refs + ")" : quick ? " (quick)" : "";
  }

  public Path model(String file) {
    return shared.resolve("models").resolve(file);
  }

  public Path data(String relative) {
    return shared.resolve("data").resolve(relative);
  }

  /** Null when the shared inputs this benchmark needs are here, else why not. */
  public String missingShared(String... relatives) {
    if (shared == null) {
      return "the shared models and data folder (../shared next to the project, or --shared) is not there";
    }
    for (String r : relatives) {
      if (!java.nio.file.Files.exists(shared.resolve(r))) {
        return shared.resolve(r) + " is missing";
      }
    }
    return null;
  }
}
