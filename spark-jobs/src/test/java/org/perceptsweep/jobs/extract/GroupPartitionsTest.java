package org.perceptsweep.jobs.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.perceptsweep.jobs.SparkTestSession;

/** The extract job's partitioning: every group whole in one partition, groups dealt round-robin, rows sorted. */
class GroupPartitionsTest {
  private static final StructType SCHEMA = new StructType()
      .add("dataset", DataTypes.StringType, false)
      .add("ref_id", DataTypes.StringType, false)
      .add(ExtractJob.REF_CHUNK, DataTypes.IntegerType, false)
      .add("pair_id", DataTypes.StringType, false);

  @Test
  void groupsAreDealtRoundRobinWholeAndSorted() {
    SparkSession spark = SparkTestSession.get();
    // 7 groups over 2 datasets (one reference split in 2 chunks), rows given in scrambled order.
    List<Row> rows = new ArrayList<>();
    String[][] groups = {{"a", "r1", "0"}, {"a", "r2", "0"}, {"a", "r2", "1"}, {"a", "r3", "0"}, {"b", "r1", "0"},
        {"b", "r4", "0"}, {"b", "r5", "0"}};
    for (int p = 4; p >= 0; p--) {
      for (int g = groups.length - 1; g >= 0; g--) {
        String[] k = groups[g];
        rows.add(RowFactory.create(k[0], k[1], Integer.parseInt(k[2]), k[1] + "-" + k[2] + "-p" + p));
      }
    }
    // The driver's plan from the same keys, at most 5 pairs per chunk: r2's 10 pairs make its chunks 0 and 1.
    List<ReferenceGroups.PairKey> keys = new ArrayList<>();
    for (Row r : rows) {
      keys.add(new ReferenceGroups.PairKey(r.getString(0), r.getString(1), r.getString(3)));
    }
    ReferenceGroups plan = ReferenceGroups.plan(keys, 5);
    assertEquals(groups.length, plan.groups());
    for (Row r : rows) {
      assertEquals(r.getInt(2), plan.chunk(r.getString(0), r.getString(1), r.getString(3)), r.getString(3));
    }
    Dataset<Row> df = spark.createDataFrame(rows, SCHEMA).repartition(3);
    List<List<Row>> parts = GroupPartitions.balanced(df, 3, plan).glom().collect();

    assertEquals(3, parts.size());
    // Expected: group k (in dataset, ref_id, chunk order) in partition k mod 3: 3, 2 and 2 groups of 5 rows.
    for (int part = 0; part < 3; part++) {
      List<String> expected = new ArrayList<>();
      for (int g = part; g < groups.length; g += 3) {
        for (int p = 0; p < 5; p++) {
          expected.add(groups[g][0] + "/" + groups[g][1] + "-" + groups[g][2] + "-p" + p);
        }
      }
      List<String> actual = new ArrayList<>();
      for (Row r : parts.get(part)) {
        actual.add(r.getAs("dataset") + "/" + r.getAs("pair_id"));
      }
      assertEquals(expected, actual, "partition " + part);
    }
    // Rows keep their columns by name (the extractor reads them with getAs).
    Set<String> datasets = new LinkedHashSet<>();
    parts.forEach(p -> p.forEach(r -> datasets.add(r.getAs("dataset"))));
    assertEquals(Set.of("a", "b"), datasets);
    assertTrue(parts.get(0).get(0).schema().fieldIndex("ref_id") >= 0);
  }
}
