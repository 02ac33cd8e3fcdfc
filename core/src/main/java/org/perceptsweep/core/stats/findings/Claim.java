package org.perceptsweep.core.stats.findings;

/**
 * The study's conclusions (Hernandez-Camara et al., arXiv 2302.13345) and one more the factor
 * tables point at, as claims the findings test on the user's data. Definitions (statistic,
 * subjects, rule) are in the README's Findings section and in {@link Findings}.
 */
public enum Claim {
  NETS_BEAT_SSIM(1, "nets_beat_ssim", "Every net correlates with human opinion better than SSIM"),
  ON_PAR_WITH_BEST_METRIC(2, "on_par_with_best_metric", "Some nets are on par with the best dedicated metric"),
  SUPERVISED_BEAT_LPIPS(3, "supervised_beat_lpips", "Nets trained for supervised tasks beat LPIPS"),
  SELF_SUPERVISED_BEAT_LPIPS(4, "self_supervised_beat_lpips", "Nets trained on self-supervised tasks beat LPIPS"),
  SIMPLE_BEAT_VERY_DEEP(5, "simple_beat_very_deep", "Simpler architectures beat very deep ones"),
  DEPTH_TREND(6, "depth_trend", "Agreement grows with depth in simple nets, not in very deep ones"),
  TRAINING_DATA_LITTLE_DIFFERENCE(7, "training_data_little_difference",
      "Small changes of the training data make little difference"),
  DESCRIPTORS_CONCAT_NO_EFFECT(8, "descriptors_concat_no_effect",
      "Statistical descriptors and layer concatenation have no major effect"),
  TRAINING_MATTERS(9, "training_matters", "Training matters: a trained net beats its untrained twin");

  private final int number;
  private final String id;
  private final String statement;

  Claim(int number, String id, String statement) {
    this.number = number;
    this.id = id;
    this.statement = statement;
  }

  public int number() {
    return number;
  }

  public String id() {
    return id;
  }

  public String statement() {
    return statement;
  }
}
