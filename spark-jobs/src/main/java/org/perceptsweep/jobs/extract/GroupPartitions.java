package org.perceptsweep.jobs.extract;

import java.io.Serializable;
import java.util.Comparator;
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

  /**
   * The manifest rows (with ExtractJob's ref_chunk column) in {@code partitions} balanced, sorted
   * partitions; group numbers come from the driver's plan, so this adds no job of its own.
   */
  static JavaRDD<Row> balanced(Dataset<Row> chunked, int partitions, ReferenceGroups groups) {
    int datasetField = chunked.schema().fieldIndex("dataset");
    int refField = chunked.schema().fieldIndex("ref_id");
    int chunkField = chunked.schema().fieldIndex(ExtractJob.REF_CHUNK);
    int pairField = chunked.schema().fieldIndex("pair_id");
    return chunked.javaRDD()
        .mapToPair(r -> new Tuple2<>(new Key(groups.group(r.getString(datasetField), r.getString(refField),
            r.getInt(chunkField)), r.getString(pairField)), r))
        .repartitionAndSortWithinPartitions(new RoundRobin(partitions), new KeyOrder())
        .values();
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
