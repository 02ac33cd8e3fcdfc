package org.perceptsweep.core.manifest;

/** What a manifest's {@code score} column holds. */
public enum ScoreKind {
  /** Mean opinion score: higher = better. */
  MOS("mos", true),
  /** Differential mean opinion score: higher = worse. */
  DMOS("dmos", false),
  /** Generated sets without human scores: the distortion level, higher = worse. */
  DISTORTION_LEVEL("distortion_level", false);

  private final String id;
  private final boolean higherIsBetter;

  ScoreKind(String id, boolean higherIsBetter) {
    this.id = id;
    this.higherIsBetter = higherIsBetter;
  }

  public String id() {
    return id;
  }

  public boolean higherIsBetter() {
    return higherIsBetter;
  }

  /** The human-opinion kind for a stated direction. */
  public static ScoreKind ofOpinion(boolean higherIsBetter) {
    return higherIsBetter ? MOS : DMOS;
  }
}
