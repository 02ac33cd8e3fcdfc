package org.perceptsweep.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.perceptsweep.jobs.CliRunner;
import org.perceptsweep.jobs.SparkTestSession;
import org.perceptsweep.jobs.cluster.S3Server;
import org.perceptsweep.jobs.tables.OutputLayout;

/**
 * Issue 3: a dataset read from a real S3-compatible server (s3proxy on loopback) through {@code s3a:}
 * gives the same manifest as the same files read from the local file system; the manifest itself is
 * written to and read back from the bucket.
 */
class S3ManifestTest {
  @TempDir
  static Path tmp;

  private static S3Server s3;
  private static SparkSession spark;

  @BeforeAll
  static void startServer() {
    s3 = S3Server.start();
    spark = SparkTestSession.get();
    s3.configure(spark.sparkContext().hadoopConfiguration());
  }

  @AfterAll
  static void stopServer() {
    if (spark != null && s3 != null) {
      s3.unconfigure(spark.sparkContext().hadoopConfiguration());
    }
    if (s3 != null) {
      s3.close();
    }
  }

  private static void png(Path p, int w, int h, int seed) throws Exception {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, ((x * 3 + seed) & 0xff) << 16 | ((y * 7 + seed) & 0xff) << 8 | ((x * y + seed) & 0xff));
      }
    }
    Files.createDirectories(p.getParent());
    ImageIO.write(img, "png", p.toFile());
  }

  /** Two references x three distortions, with a distortion column, in a folder named "mini". */
  private static Path fixture() throws Exception {
    Path data = tmp.resolve("mini");
    List<String> lines = new ArrayList<>(List.of("dist,ref,score,distortion"));
    for (String ref : List.of("bikes", "house")) {
      png(data.resolve("refs/" + ref + ".png"), 64, 48, ref.length());
      for (int k = 1; k <= 3; k++) {
        png(data.resolve("dist/" + ref + "_" + k + ".png"), 64, 48, ref.length() + 11 * k);
        lines.add("dist/" + ref + "_" + k + ".png,refs/" + ref + ".png," + (10 * k + ref.length()) + ","
            + (k == 3 ? "blur" : "noise"));
      }
    }
    Files.writeString(data.resolve("pairs.csv"), String.join("\n", lines) + "\n");
    return data;
  }

  @Test
  void aDatasetOnS3GivesTheSameManifestAsTheSameFilesOnDisk() throws Exception {
    Path local = fixture();
    String name = "iqa-" + UUID.randomUUID().toString().substring(0, 8);
    String bucket = s3.createBucket(name);

    // Upload through the Hadoop FileSystem API (s3a writes objects; no folder objects needed).
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    FileSystem fs = FileSystem.get(java.net.URI.create(bucket), conf);
    fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(local.toUri()),
        new org.apache.hadoop.fs.Path(bucket + "/mini"));
    String listing;
    try (var files = Files.walk(s3.bucketFolder(name))) {
      listing = files.map(Path::toString).collect(java.util.stream.Collectors.joining("\n"));
    }
    assertTrue(Files.isRegularFile(s3.bucketFolder(name).resolve("mini/dist/house_3.png")),
        "the object landed in the server's backend folder:\n" + listing);

    CliRunner onDisk = CliRunner.run("manifest", "--dataset", "csv", "--root", local.resolve("pairs.csv").toString(),
        "--higher-is-better", "--validate", "--out", tmp.resolve("study").toString());
    assertEquals(0, onDisk.exitCode(), onDisk.err());
    CliRunner onS3 = CliRunner.run("manifest", "--dataset", "csv", "--root", bucket + "/mini/pairs.csv",
        "--higher-is-better", "--validate", "--out", bucket + "/study");
    assertEquals(0, onS3.exitCode(), onS3.err());
    assertTrue(onS3.out().contains("6 pairs over 2 references of dataset 'mini'"), onS3.out());

    List<String> fromDisk = comparable(new OutputLayout(tmp.resolve("study").toString()), "file:" + local + "/");
    List<String> fromS3 = comparable(new OutputLayout(bucket + "/study"), bucket + "/mini/");
    assertEquals(6, fromS3.size());
    assertEquals(fromDisk, fromS3, "same pairs, references, distortions and scores apart from the path prefix");
    // The written table really is on the server: Parquet files under the bucket's backend folder.
    try (var files = Files.walk(s3.bucketFolder(name).resolve("study/manifest"))) {
      assertTrue(files.anyMatch(p -> p.toString().endsWith(".parquet")));
    }
  }

  @Test
  void aMissingObjectOnS3IsRejectedNamingItsUri() throws Exception {
    String bucket = s3.createBucket("gaps-" + UUID.randomUUID().toString().substring(0, 8));
    Path one = tmp.resolve("one");
    png(one.resolve("r.png"), 64, 64, 1);
    png(one.resolve("d.png"), 64, 64, 2);
    Files.writeString(one.resolve("pairs.csv"), "dist,ref,score\nd.png,r.png,1\ngone.png,r.png,2\n");
    FileSystem fs = FileSystem.get(java.net.URI.create(bucket), spark.sparkContext().hadoopConfiguration());
    fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(one.toUri()), new org.apache.hadoop.fs.Path(bucket + "/one"));

    CliRunner m = CliRunner.run("manifest", "--dataset", "csv", "--root", bucket + "/one/pairs.csv",
        "--lower-is-better", "--out", bucket + "/study");
    assertEquals(3, m.exitCode(), "a rejected row: exit 3; " + m.err());
    assertTrue(m.out().contains("1 pairs over 1 references"), m.out());
    assertTrue(m.err().contains(bucket + "/one/gone.png"), "the reject names the object's URI: " + m.err());
    assertFalse(m.err().contains(s3.secretKeyForLeakChecks()), "no credentials in messages");
  }

  /** Manifest rows as strings with the dataset's path prefix cut off; the manifest hash left out. */
  private static List<String> comparable(OutputLayout out, String prefix) {
    List<String> rows = new ArrayList<>();
    for (Row r : spark.read().parquet(out.table("manifest")).orderBy("pair_id").collectAsList()) {
      String ref = r.getAs("ref_path");
      String dist = r.getAs("dist_path");
      assertTrue(ref.startsWith(prefix) && dist.startsWith(prefix), ref + " / " + dist + " under " + prefix);
      rows.add(String.join("|", r.getAs("dataset"), r.getAs("pair_id"), r.getAs("ref_id"),
          ref.substring(prefix.length()), dist.substring(prefix.length()), r.getAs("distortion"),
          String.valueOf(r.<Object>getAs("level")), String.valueOf(r.<Object>getAs("score")),
          String.valueOf(r.<Object>getAs("score_std")), String.valueOf(r.<Object>getAs("higher_is_better")),
          r.getAs("score_kind")));
    }
    return rows;
  }
}
