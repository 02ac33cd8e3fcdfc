package org.perceptsweep.jobs.cli;

import java.util.ArrayList;
import java.util.List;
import org.perceptsweep.jobs.DemoJob;
import org.perceptsweep.jobs.tables.OutputLayout;
import picocli.CommandLine.Option;

/**
 * The options several subcommands share, each defined once (picocli mixins): the same name, meaning,
 * default and help text wherever it appears. Options that share a name but not a meaning stay with
 * their command ({@code aggregate --seed} seeds the bootstrap, {@code fit --seed} the folds,
 * {@code sweep --out} overrides the sweep file's folder, {@code bench --out} is a scratch folder).
 */
final class CliOptions {
  private CliOptions() {}

  /** {@code --out}: the study's output folder. */
  static final class StudyOut {
    @Option(names = "--out", required = true, description = "Output folder of the study (path or URI).")
    String out;

    OutputLayout layout() {
      return new OutputLayout(out);
    }
  }

  /** {@code --dataset}, repeatable: which datasets of a study a command works on. */
  static final class Datasets {
    @Option(names = "--dataset", description = "Only these datasets of the study (repeatable; default: all).")
    List<String> datasets = new ArrayList<>();
  }

  /** {@code --net}, repeatable: nets and classic metrics to run. */
  static final class NetSpecs {
    @Option(names = "--net", description = "Net to run (repeatable): a model file NAME.pt (NAME.json beside it), "
        + "builtin:random-convnet, or a classic metric: psnr, ssim, ms_ssim, pixels. demo's default: psnr, ssim, "
        + "ms_ssim, pixels, builtin:random-convnet; extract needs at least one.")
    List<String> nets = new ArrayList<>();
  }

  /** {@code --readouts}: the readouts per tap. */
  static final class Readouts {
    @Option(names = "--readouts", defaultValue = DemoJob.DEFAULT_READOUTS, split = ",",
        description = "Readouts per tap (default ${DEFAULT-VALUE}): l2, mse, unit_l2, weighted, mean_std, gram, "
            + "dists, cosine, and channel_norm_l2 (dataset-wide, from the mse channel terms, which it stores).")
    List<String> readouts = new ArrayList<>();

    String joined() {
      return String.join(",", readouts);
    }
  }

  /** {@code --taps}: which taps of each net. */
  static final class Taps {
    @Option(names = "--taps", description = "Comma list of taps, e.g. relu1,relu3 (default: every tap; an unknown "
        + "tap is an error naming the net's taps).")
    String taps;
  }

  /** {@code --seed} of the built-in synthetic dataset. */
  static final class SyntheticSeed {
    @Option(names = "--seed", defaultValue = "2302",
        description = "Seed of the built-in synthetic dataset (default ${DEFAULT-VALUE}).")
    long seed;
  }

  /** The correlation statistics' settings, as aggregate and its benchmark take them. */
  static final class Statistics {
    @Option(names = "--resamples", defaultValue = "1000", description = "Bootstrap resamples of reference images "
        + "per cell (default ${DEFAULT-VALUE}; 0 = no intervals).")
    int resamples;

    @Option(names = "--fit-iterations", defaultValue = "100",
        description = "Iteration limit of the logistic fit (default ${DEFAULT-VALUE}); a fit that reaches it is "
            + "reported as not converged (no numbers). Goes into input_hash.")
    int fitIterations;
  }

  /** {@code --quiet}: no progress output (commands that run Spark jobs for long). */
  static final class Progress {
    @Option(names = "--quiet", description = "No progress output (a bar on a terminal, plain lines otherwise).")
    boolean quiet;
  }
}
