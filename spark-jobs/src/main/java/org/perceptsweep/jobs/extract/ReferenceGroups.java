package org.perceptsweep.jobs.extract;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The extract job's reference groups, planned on the driver from the manifest's keys: each
 * reference's pairs, sorted by pair_id, are cut into chunks of at most {@code maxGroupSize}, and
 * the chunks are numbered in (dataset, ref_id, chunk) order. Executors look a row's chunk and
 * group number up here; what is shipped is one entry per reference (its first group number and
 * the pair_id that starts each later chunk), not one per pair.
 */
final class ReferenceGroups implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One manifest row's keys. */
  record PairKey(String dataset, String refId, String pairId) {}

  /** A reference's first group number and the first pair_id of each of its chunks after the first. */
  private record Reference(int firstGroup, String[] chunkStarts) implements Serializable {}

  private final Map<String, Reference> references;
  private final int groups;

  private ReferenceGroups(Map<String, Reference> references, int groups) {
    this.references = references;
    this.groups = groups;
  }

  static ReferenceGroups plan(List<PairKey> keys, int maxGroupSize) {
    if (maxGroupSize < 1) {
      throw new IllegalArgumentException("maxGroupSize must be at least 1, got " + maxGroupSize);
    }
    // dataset -> ref_id -> pair_ids, all sorted, so group numbers follow (dataset, ref_id, chunk).
    TreeMap<String, TreeMap<String, List<String>>> byReference = new TreeMap<>();
    for (PairKey k : keys) {
      byReference.computeIfAbsent(k.dataset(), d -> new TreeMap<>())
          .computeIfAbsent(k.refId(), r -> new ArrayList<>()).add(k.pairId());
    }
    Map<String, Reference> references = new HashMap<>();
    int next = 0;
    for (Map.Entry<String, TreeMap<String, List<String>>> dataset : byReference.entrySet()) {
      for (Map.Entry<String, List<String>> ref : dataset.getValue().entrySet()) {
        List<String> pairs = ref.getValue();
        pairs.sort(null);
        int chunks = (pairs.size() + maxGroupSize - 1) / maxGroupSize;
        String[] starts = new String[chunks - 1];
        for (int c = 1; c < chunks; c++) {
          starts[c - 1] = pairs.get(c * maxGroupSize);
        }
        references.put(key(dataset.getKey(), ref.getKey()), new Reference(next, starts));
        next += chunks;
      }
    }
    return new ReferenceGroups(references, next);
  }

  /** How many groups (reference chunks) there are. */
  int groups() {
    return groups;
  }

  /** The chunk of its reference that a pair belongs to (0 for a reference with at most maxGroupSize pairs). */
  int chunk(String dataset, String refId, String pairId) {
    String[] starts = reference(dataset, refId).chunkStarts();
    int i = Arrays.binarySearch(starts, pairId);
    // A chunk start belongs to the chunk it starts; otherwise the insertion point counts the starts before it.
    return i >= 0 ? i + 1 : -i - 1;
  }

  /** The group number of a reference's chunk, 0 .. groups() - 1 in (dataset, ref_id, chunk) order. */
  int group(String dataset, String refId, int chunk) {
    return reference(dataset, refId).firstGroup() + chunk;
  }

  private Reference reference(String dataset, String refId) {
    Reference r = references.get(key(dataset, refId));
    if (r == null) {
      throw new IllegalStateException("reference " + refId + " of dataset " + dataset
          + " was not in the manifest the extract job planned from (was the manifest rewritten during the run?)");
    }
    return r;
  }

  private static String key(String dataset, String refId) {
    return dataset + "\u0000" + refId;
  }
}
