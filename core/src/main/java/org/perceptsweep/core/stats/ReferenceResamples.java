package org.perceptsweep.core.stats;

import java.util.SplittableRandom;

/**
 * Bootstrap resamples of reference images: resample {@code b} draws {@code referenceCount}
 * references with replacement, and a reference drawn k times contributes all of its pairs k
 * times. Stored as draw counts, so a resample costs no copying of pairs; the same object given to
 * two metrics gives them exactly the same resamples (paired comparison).
 *
 * <p>Reproducible: the draws are a pure function of (referenceCount, resamples, seed), made in
 * order with {@code new SplittableRandom(seed).nextInt(referenceCount)}.
 */
public final class ReferenceResamples {
  private final int referenceCount;
  private final int resampleCount;
  private final long seed;
  /** counts[b * referenceCount + r] = times reference r is drawn in resample b. */
  private final int[] counts;

  private ReferenceResamples(int referenceCount, int resampleCount, long seed, int[] counts) {
    this.referenceCount = referenceCount;
    this.resampleCount = resampleCount;
    this.seed = seed;
    this.counts = counts;
  }

  /**
   * @throws IllegalArgumentException when referenceCount or resamples is below 1
   */
  public static ReferenceResamples draw(int referenceCount, int resamples, long seed) {
    if (referenceCount < 1) {
      throw new IllegalArgumentException("referenceCount must be at least 1, got " + referenceCount);
    }
    if (resamples < 1) {
      throw new IllegalArgumentException("bootstrap resamples must be at least 1, got " + resamples);
    }
    int[] counts = new int[Math.multiplyExact(resamples, referenceCount)];
    SplittableRandom random = new SplittableRandom(seed);
    for (int b = 0; b < resamples; b++) {
      int base = b * referenceCount;
      for (int draw = 0; draw < referenceCount; draw++) {
        counts[base + random.nextInt(referenceCount)]++;
      }
    }
    return new ReferenceResamples(referenceCount, resamples, seed, counts);
  }

  public int referenceCount() {
    return referenceCount;
  }

  public int resampleCount() {
    return resampleCount;
  }

  public long seed() {
    return seed;
  }

  /** How many times reference {@code reference} is drawn in resample {@code resample}. */
  public int count(int resample, int reference) {
    return counts[resample * referenceCount + reference];
  }

  /** The draw counts of one resample, copied into {@code out} (length referenceCount). */
  void countsInto(int resample, int[] out) {
    System.arraycopy(counts, resample * referenceCount, out, 0, referenceCount);
  }

  void requireMatches(ReferenceGroups groups) {
    if (groups.referenceCount() != referenceCount) {
      throw new IllegalArgumentException("resamples were drawn for " + referenceCount
          + " references but the cell has " + groups.referenceCount());
    }
  }
}
