package org.perceptsweep.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a net learned its weights, the fact the study's claims about LPIPS and training turn on:
 * {@code supervised} (labels of a task: classification, segmentation, ...), {@code self-supervised}
 * (a pretext task without labels: jigsaw, contrastive, ...), {@code perceptual} (fitted to human
 * similarity judgements, as LPIPS) or {@code none} (untrained, random weights).
 */
public enum Learning {
  SUPERVISED("supervised"),
  SELF_SUPERVISED("self-supervised"),
  PERCEPTUAL("perceptual"),
  NONE("none");

  private final String key;

  Learning(String key) {
    this.key = key;
  }

  public String key() {
    return key;
  }

  /** Whether the weights were learned from data (supervised or self-supervised). */
  public boolean trained() {
    return this == SUPERVISED || this == SELF_SUPERVISED;
  }

  /**
   * Parses a stored or user-given value; {@code where} names the card or key for the error.
   *
   * @throws UserInputException naming {@code where} and the known values
   */
  public static Learning parse(String value, String where) {
    if (value != null) {
      String v = value.trim().toLowerCase(Locale.ROOT).replace('_', '-');
      for (Learning l : values()) {
        if (l.key.equals(v)) {
          return l;
        }
      }
    }
    throw new UserInputException(where + ": learning '" + value + "' is not one of " + keys());
  }

  /** The stored value, or null when {@code value} is null or unknown (old or hand-made tables). */
  public static Learning ofKey(String value) {
    if (value == null) {
      return null;
    }
    for (Learning l : values()) {
      if (l.key.equals(value)) {
        return l;
      }
    }
    return null;
  }

  public static String keys() {
    return Arrays.stream(values()).map(Learning::key).collect(Collectors.joining(", "));
  }

  /**
   * The learning kind a card's goal implies when the card does not say: {@code none} for an
   * untrained net (goal or training data "none ..."), {@code self-supervised} when the goal says so
   * or names a pretext task (jigsaw, contrastive, colourisation, rotation, MoCo, SimCLR, BYOL, DINO),
   * {@code perceptual} for goals of human-judgement fits (perceptual, lpips, similarity judgements),
   * {@code supervised} for labelled tasks (classification, segmentation, detection, recognition,
   * depth, captioning, pose). Null when the goal names none of these: the card or the sweep file must say.
   */
  public static Learning fromGoal(String goal, String trainingData) {
    String g = goal == null ? "" : goal.trim().toLowerCase(Locale.ROOT);
    String t = trainingData == null ? "" : trainingData.trim().toLowerCase(Locale.ROOT);
    if (g.equals("none") || g.startsWith("none ") || g.startsWith("none(") || g.startsWith("untrained")
        || g.startsWith("random") || t.equals("none")) {
      return NONE;
    }
    for (String pretext : new String[] {"self-supervised", "self supervised", "selfsupervised", "unsupervised",
        "jigsaw", "contrastive", "colorization", "colourisation", "colorisation", "rotation", "moco", "simclr",
        "byol", "dino", "barlow"}) {
      if (g.contains(pretext)) {
        return SELF_SUPERVISED;
      }
    }
    if (g.contains("perceptual") || g.contains("lpips") || g.contains("human judgement")
        || g.contains("human judgment") || g.contains("similarity judgement")) {
      return PERCEPTUAL;
    }
    for (String task : new String[] {"classification", "segmentation", "detection", "recognition", "depth",
        "captioning", "pose", "supervised"}) {
      if (g.contains(task)) {
        return SUPERVISED;
      }
    }
    return null;
  }
}
