package org.perceptsweep.datasets;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.perceptsweep.core.UserInputException;

/**
 * What {@link SyntheticDataset} generates: everything is a function of these values.
 *
 * @param seed the only source of randomness
 * @param references number of reference images (ids ref00, ref01, ...)
 * @param size width and height in pixels (square images), at least 32
 * @param distortions family names (see {@link SyntheticDistortion}), in output order, no repeats
 * @param levels levels per family, 1 to 10; level k of L uses the parameter table of
 *     {@link SyntheticDistortion}
 */
public record SyntheticSpec(long seed, int references, int size, List<String> distortions, int levels) {
  public static final int MIN_SIZE = 32;
  public static final int MAX_LEVELS = 10;

  public SyntheticSpec {
    if (references < 1) {
      throw new UserInputException("synthetic references must be at least 1, got " + references);
    }
    if (size < MIN_SIZE) {
      throw new UserInputException("synthetic size must be at least " + MIN_SIZE + " pixels, got " + size);
    }
    if (levels < 1 || levels > MAX_LEVELS) {
      throw new UserInputException("synthetic levels must be 1 to " + MAX_LEVELS + ", got " + levels);
    }
    if (distortions == null || distortions.isEmpty()) {
      throw new UserInputException("synthetic distortions must name at least one of " + SyntheticDistortion.names());
    }
    distortions = List.copyOf(distortions);
    Set<String> seen = new HashSet<>();
    for (String d : distortions) {
      SyntheticDistortion.byName(d); // fails with the list of known names
      if (!seen.add(d)) {
        throw new UserInputException("synthetic distortion '" + d + "' is listed twice: list each family once");
      }
    }
  }

  /** Seed 2302, 8 references, 256x256, all 6 distortion families, 5 levels: 240 pairs. */
  public static SyntheticSpec defaults() {
    return new SyntheticSpec(2302, 8, 256, SyntheticDistortion.names(), 5);
  }

  public SyntheticSpec withSeed(long newSeed) {
    return new SyntheticSpec(newSeed, references, size, distortions, levels);
  }
}
