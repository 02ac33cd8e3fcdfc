package org.perceptsweep.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.perceptsweep.jobs.tables.OutputLayout;

/** Bad input: one clear line naming the file or row; bad pairs go to rejects and the rest completes. */
class BadInputTest {
  @TempDir
  Path tmp;

  private void png(Path p, int w, int h, int seed) throws Exception {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, ((x * 7 + seed) & 0xff) << 16 | ((y * 5 + seed) & 0xff) << 8 | ((x + y) & 0xff));
      }
    }
    Files.createDirectories(p.getParent());
    ImageIO.write(img, "png", p.toFile());
  }

  @Test
  void badRowsAndBadPairsAreRejectedWithReasonsAndTheRestCompletes() throws Exception {
    Path data = tmp.resolve("mini");
    png(data.resolve("ref/a.png"), 64, 64, 0);
    png(data.resolve("dist/a1.png"), 64, 64, 9);
    png(data.resolve("dist/a2.png"), 64, 64, 30);
    png(data.resolve("dist/a3.png"), 64, 64, 60);
    png(data.resolve("dist/small.png"), 48, 64, 5);                    // size mismatch
    Files.writeString(data.resolve("dist/broken.png"), "not an image"); // unreadable
    Files.writeString(data.resolve("pairs.csv"), String.join("\n",
        "dist,ref,score",
        "dist/a1.png,ref/a.png,10",
        "dist/a2.png,ref/a.png,20",
        "dist/a3.png,ref/a.png,30",
        "dist/small.png,ref/a.png,40",
        "dist/broken.png,ref/a.png,50",
        "dist/gone.png,ref/a.png,60",        // missing file
        "dist/a1.png,ref/a.png,not-a-number", // malformed score (and a duplicate)
        ""));
    String out = tmp.resolve("study").toString();

    CliRunner m = CliRunner.run("manifest", "--dataset", "csv", "--root", data.resolve("pairs.csv").toString(),
        "--higher-is-better", "--out", out);
    assertEquals(3, m.exitCode(), "rejected rows make manifest exit non-zero: " + m.err());
    assertTrue(m.out().contains("5 pairs over 1 references"), m.out());
    assertTrue(m.err().contains("gone.png"), m.err());
    assertTrue(m.err().contains("pairs.csv"), "a malformed row names the file: " + m.err());

    CliRunner e = CliRunner.run("extract", "--out", out, "--net", "pixels", "--net", "builtin:random-convnet");
    assertEquals(0, e.exitCode(), e.err());

    List<Row> rejects = SparkTestSession.get().read().parquet(new OutputLayout(out).table("rejects"))
        .filter("stage = 'extract'").collectAsList();
    String reasons = rejects.stream().map(r -> r.getAs("item") + " " + r.getAs("net") + ": " + r.getAs("reason"))
        .collect(Collectors.joining("\n"));
    assertEquals(4, rejects.size(), "small.png and broken.png, for each of the 2 nets:\n" + reasons);
    assertTrue(reasons.contains("size mismatch"), reasons);
    assertTrue(reasons.contains("broken.png"), reasons);
    long measured = SparkTestSession.get().read().parquet(new OutputLayout(out).table("distances"))
        .filter("net = 'pixels' AND readout = 'l2'").count();
    assertEquals(3, measured, "the three good pairs are measured");
  }

  @Test
  void aFileThatIsNotTorchScriptIsOneClearError() throws Exception {
    Path data = tmp.resolve("one");
    png(data.resolve("r.png"), 64, 64, 0);
    png(data.resolve("d.png"), 64, 64, 3);
    Files.writeString(data.resolve("pairs.csv"), "dist,ref,score\nd.png,r.png,1\n");
    String out = tmp.resolve("s").toString();
    assertEquals(0, CliRunner.run("manifest", "--dataset", "csv", "--root", data.resolve("pairs.csv").toString(),
        "--lower-is-better", "--out", out).exitCode());
    Path fake = tmp.resolve("nets/fake.pt");
    Files.createDirectories(fake.getParent());
    Files.writeString(fake, "this is not a TorchScript file");
    CliRunner e = CliRunner.run("extract", "--out", out, "--net", fake.toString());
    assertEquals(2, e.exitCode());
    assertTrue(e.err().startsWith("error: ") && e.err().contains("fake"), e.err());
    assertEquals(1, e.err().strip().lines().count(), "one line: " + e.err());
  }

  @Test
  void unstatedScoreDirectionAndUnknownTableAreClearErrors() throws Exception {
    Path csv = tmp.resolve("p.csv");
    Files.writeString(csv, "dist,ref,score\n");
    CliRunner m = CliRunner.run("manifest", "--dataset", "csv", "--root", csv.toString(), "--out", tmp.resolve("o").toString());
    assertEquals(2, m.exitCode());
    assertTrue(m.err().contains("--higher-is-better") && m.err().contains(csv.toString()), m.err());
    CliRunner x = CliRunner.run("export", "nope", "--out", tmp.toString(), "--to", tmp.resolve("x.csv").toString());
    assertEquals(2, x.exitCode());
    assertTrue(x.err().contains("unknown table 'nope'"), x.err());
  }

  @Test
  void exportOfATableWhoseCellsWereAllRemovedSaysSo() throws Exception {
    // What a rerun without --activations leaves: the table folder, its _SUCCESS, no data files.
    Path table = tmp.resolve("emptied/activations");
    Files.createDirectories(table.resolve("dataset=d"));
    Files.writeString(table.resolve("_SUCCESS"), "");
    Path csv = tmp.resolve("a.csv");
    CliRunner x = CliRunner.run("export", "activations", "--out", tmp.resolve("emptied").toString(), "--to",
        csv.toString());
    assertEquals(2, x.exitCode());
    assertTrue(x.err().contains("table 'activations' at") && x.err().contains("has no rows now"), x.err());
    assertFalse(Files.exists(csv));
  }

  @Test
  void fitOnChannelTermsWhoseCellsWereAllRemovedSaysWhatToRun() throws Exception {
    Path table = tmp.resolve("emptied-terms/channel_terms");
    Files.createDirectories(table.resolve("dataset=d"));
    Files.writeString(table.resolve("_SUCCESS"), "");
    CliRunner f = CliRunner.run("fit", "--out", tmp.resolve("emptied-terms").toString(), "--net", "random-convnet");
    assertEquals(2, f.exitCode());
    assertTrue(f.err().contains("no channel terms at " + table) && f.err().contains("--channel-terms unit_l2"),
        f.err());
  }
}
