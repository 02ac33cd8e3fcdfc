package org.perceptsweep.datasets;

/** Derives independent seeds from (seed, parts...) so results do not depend on generation order. */
final class Seeds {
  private Seeds() {}

  static long mix(long seed, long... parts) {
    long h = finalise(seed ^ 0x9E3779B97F4A7C15L);
    for (long p : parts) {
      h = finalise(h ^ finalise(p + 0x9E3779B97F4A7C15L));
    }
    return h;
  }

  /** SplitMix64's finaliser: a bijection that spreads every input bit over the output. */
  static long finalise(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
