package org.perceptsweep.core.manifest;

import java.util.Objects;

/**
 * One reference/distorted pair of a full-reference IQA dataset, in the one schema every dataset
 * adapter emits (pyiqa style). Paths are Hadoop URIs (file:, s3a:, hdfs:).
 *
 * @param level distortion level, null when the dataset has none
 * @param scoreStd standard deviation of the opinion score, null when not published
 * @param higherIsBetter score direction: true for MOS, false for DMOS and distortion levels
 * @param scoreKind {@link ScoreKind} name: mos, dmos or distortion_level
 */
public record ManifestRow(
    String dataset,
    String pairId,
    String refId,
    String refPath,
    String distPath,
    String distortion,
    Integer level,
    double score,
    Double scoreStd,
    boolean higherIsBetter,
    String scoreKind) {

  public ManifestRow {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(pairId, "pairId");
    Objects.requireNonNull(refId, "refId");
    Objects.requireNonNull(refPath, "refPath");
    Objects.requireNonNull(distPath, "distPath");
    Objects.requireNonNull(distortion, "distortion");
    Objects.requireNonNull(scoreKind, "scoreKind");
  }
}
