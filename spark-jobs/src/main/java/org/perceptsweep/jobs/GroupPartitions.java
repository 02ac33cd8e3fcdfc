package org.perceptsweep.jobs;

import java.io.Serializable;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * Spark glue for the extract job: spreads the reference groups (dataset, ref_id, ref_chunk) over
 * the partitions round-robin (group k to partition k mod n), each partition sorted by group then
 * pair_id. A hash repartition on the group columns put several groups into one partition and left
 * others empty (3 groups in 3 partitions share a partition 7 times in 9), so tasks ran one after
 * another while task slots idled; round-robin gives every partition ceil or floor of groups / n.
 */
final class GroupPartitions {
  private GroupPartitions() {}

  /** The manifest rows (with ExtractJob's ref_chunk column) in {@code partitions} balanced, sorted partitions. */
  static JavaRDD<Row> balanced(Dataset<Row> chunked, int partitions) {
    // Group numbers in (dataset, ref_id, ref_chunk) order, from the distinct groups (one per
    // reference chunk: small) collected on the driver; a global window would sort every row on one partition.
    Map<String, Integer> index = new HashMap<>();
    for (Row g : chunked.select("dataset", "ref_id", ExtractJob.REF_CHUNK).distinct()
        .orderBy("dataset", "ref_id", ExtractJob.REF_CHUNK).collectAsList()) {
      index.put(groupKey(g.getString(0), g.getString(1), g.getInt(2)), index.size());
    }
    int datasetField = chunked.schema().fieldIndex("dataset");
    int refField = chunked.schema().fieldIndex("ref_id");
    int chunkField = chunked.schema().fieldIndex(ExtractJob.REF_CHUNK);
    int pairField = chunked.schema().fieldIndex("pair_id");
    return chunked.javaRDD()
        .mapToPair(r -> new Tuple2<>(new Key(index.get(groupKey(r.getString(datasetField), r.getString(refField),
            r.getInt(chunkField))), r.getString(pairField)), r))
        .repartitionAndSortWithinPartitions(new RoundRobin(partitions), new KeyOrder())
        .values();
  }

  private static String groupKey(String dataset, String refId, int chunk) {
    return dataset + "\u0000" + refId + "\u0000" + chunk;
  }

  /** A row's group number and pair id. */
  record Key(int group, String pairId) implements Serializable {}

  /** Group number, then pair id. */
  static final class KeyOrder implements Comparator<Key>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(Key a, Key b) {
      int c = Integer.compare(a.group(), b.group());
      return c != 0 ? c : a.pairId().compareTo(b.pairId());
    }
  }

  /** Group k to partition k mod n. */
  static final class RoundRobin extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int partitions;

    RoundRobin(int partitions) {
      this.partitions = partitions;
    }

    @Override
    public int numPartitions() {
      return partitions;
    }

    @Override
    public int getPartition(Object key) {
      return Math.floorMod(((Key) key).group(), partitions);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof RoundRobin r && r.partitions == partitions;
    }

    @Override
    public int hashCode() {
      return partitions;
    }
  }
}
