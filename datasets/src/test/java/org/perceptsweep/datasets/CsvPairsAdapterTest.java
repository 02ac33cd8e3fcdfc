package org.perceptsweep.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.perceptsweep.core.UserInputException;
import org.perceptsweep.core.manifest.ManifestRow;
import org.perceptsweep.core.manifest.Reject;
import org.perceptsweep.testing.SharedData;

class CsvPairsAdapterTest {
  private static final Configuration CONF = new Configuration();

  @TempDir Path dir;

  private String write(String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content, StandardCharsets.UTF_8);
    return p.toUri().toString();
  }

  /** The qualified URI the adapter must produce for a file under the temp dir. */
  private String uri(String relative) {
    return "file:" + dir.resolve(relative).toAbsolutePath();
  }

  @Test
  void readsMinimalCsvWithPathsRelativeToItsFolder() throws IOException {
    String csv = write("set/pairs.csv", "dist,ref,dmos\n"
        + "jpeg/a1.png,refs/a.png,55.5\n"
        + "jpeg/b1.png,refs/b.png,0\n");
    ManifestResult result = CsvPairsAdapter.read(csv, false, "myset", CONF);

    assertEquals(List.of(), result.rejects());
    assertEquals(List.of(
        new ManifestRow("myset", "jpeg/a1.png", "refs/a.png", uri("set/refs/a.png"), uri("set/jpeg/a1.png"),
            "unknown", null, 55.5, null, false, "dmos"),
        new ManifestRow("myset", "jpeg/b1.png", "refs/b.png", uri("set/refs/b.png"), uri("set/jpeg/b1.png"),
            "unknown", null, 0.0, null, false, "dmos")),
        result.rows());
  }

  @Test
  void readsOptionalColumnsAndAbsolutePathsAndUris() throws IOException {
    String absRef = dir.resolve("elsewhere/r.png").toAbsolutePath().toString();
    String csv = write("s2/scores.csv", "\uFEFFDist , Ref,MOS,dis_type,level,score_std\n"
        + "d1.png," + absRef + ",4.25,blur,3,0.5\n"
        + "s3a://bucket/d2.png,s3a://bucket/r2.png,1.5,,,\n");
    ManifestResult result = CsvPairsAdapter.read(csv, true, null, CONF);

    assertEquals(List.of(), result.rejects());
    assertEquals(List.of(
        new ManifestRow("s2", "d1.png", absRef, "file:" + absRef, uri("s2/d1.png"),
            "blur", 3, 4.25, 0.5, true, "mos"),
        new ManifestRow("s2", "s3a://bucket/d2.png", "s3a://bucket/r2.png", "s3a://bucket/r2.png",
            "s3a://bucket/d2.png", "unknown", null, 1.5, null, true, "mos")),
        result.rows());
  }

  @Test
  void columnsChosenByNameAndPathsAgainstAGivenBase() throws IOException {
    String csv = write("meta/x.csv", "distorted_file,reference_file,dmos_realigned,dmos\n"
        + "d.png,r.png,12.5,40\n");
    ManifestResult result = CsvPairsAdapter.read(csv, dir.resolve("images").toUri().toString(),
        CsvColumns.auto().withDist("distorted_file").withRef("REFERENCE_FILE").withScore("dmos_realigned"),
        false, "x", CONF);
    ManifestRow row = result.rows().get(0);
    assertEquals(12.5, row.score());
    assertEquals(uri("images/d.png"), row.distPath());
    assertEquals(uri("images/r.png"), row.refPath());
  }

  @Test
  void badRowsBecomeRejectsWithFileLineAndReasonAndTheRestGoesOn() throws IOException {
    String csv = write("bad/pairs.csv", "dist,ref,score,level\n" // line 1
        + "a.png,r.png,1.0,1\n"        // 2 ok
        + "b.png,r.png\n"              // 3 too few fields
        + "c.png,r.png,abc,1\n"        // 4 non-numeric score
        + "\n"                          // 5 empty line: skipped, but still counted
        + "d.png,r.png,NaN,1\n"        // 6 NaN score
        + ",r.png,2.0,1\n"             // 7 empty dist
        + "a.png,r.png,3.0,2\n"        // 8 duplicate of line 2
        + "e.png,r.png,2.0,x\n"        // 9 bad level
        + "\"f\n.png\",r.png,2.0,1\n"  // 10-11 quoted newline: a legal (odd) name
        + "g.png,,2.0,1\n"             // 12 empty ref
        + "h.png,r.png,Infinity,\n");  // 13 infinite score
    ManifestResult result = CsvPairsAdapter.read(csv, true, "bad", CONF);

    String file = uri("bad/pairs.csv");
    assertEquals(List.of("a.png", "f\n.png"), result.rows().stream().map(ManifestRow::pairId).toList());
    assertEquals(List.of(
        new Reject("bad", file + " line 3", "manifest", "has 2 fields but the header has 4"),
        new Reject("bad", file + " line 4", "manifest", "score 'abc' is not a number"),
        new Reject("bad", file + " line 6", "manifest", "score is NaN, not a finite number"),
        new Reject("bad", file + " line 7", "manifest", "empty dist path"),
        new Reject("bad", file + " line 8", "manifest", "duplicate pair: a.png is already listed at line 2"),
        new Reject("bad", file + " line 9", "manifest", "level 'x' is not an integer"),
        new Reject("bad", file + " line 12", "manifest", "empty ref path"),
        new Reject("bad", file + " line 13", "manifest", "score is Infinity, not a finite number")),
        result.rejects());
  }

  @Test
  void unusableFilesAreOneUserErrorNamingTheFile() throws IOException {
    String missing = dir.resolve("nope/pairs.csv").toUri().toString();
    assertMessage(missing, "not found", () -> CsvPairsAdapter.read(missing, true, "x", CONF));

    String empty = write("e/empty.csv", "");
    assertMessage(empty, "no header line", () -> CsvPairsAdapter.read(empty, true, "x", CONF));

    String noScore = write("n/pairs.csv", "dist,ref,quality\na.png,r.png,1\n");
    assertMessage(noScore, "no score column", () -> CsvPairsAdapter.read(noScore, true, "x", CONF));

    String noRef = write("n/noref.csv", "dist,score\na.png,1\n");
    assertMessage(noRef, "no ref column", () -> CsvPairsAdapter.read(noRef, true, "x", CONF));

    String twoScores = write("t/pairs.csv", "dist,ref,mos,dmos\na.png,r.png,1,2\n");
    assertMessage(twoScores, "several score columns",
        () -> CsvPairsAdapter.read(twoScores, true, "x", CONF));

    String ok = write("g/pairs.csv", "dist,ref,score\na.png,r.png,1\n");
    assertMessage(ok, "no column 'dmos_realigned'", () -> CsvPairsAdapter.read(
        ok, CsvColumns.auto().withScore("dmos_realigned"), true, "x", CONF));

    String badQuote = write("q/pairs.csv", "dist,ref,score\n\"a.png,r.png,1\n");
    assertMessage(badQuote, "cannot parse", () -> CsvPairsAdapter.read(badQuote, true, "x", CONF));

    String dupHeader = write("d/pairs.csv", "dist,ref,score,ref\na.png,r.png,1,r.png\n");
    assertMessage(dupHeader, "cannot parse", () -> CsvPairsAdapter.read(dupHeader, true, "x", CONF));
  }

  private static void assertMessage(String fileUri, String fragment, Runnable call) {
    UserInputException e = assertThrows(UserInputException.class, call::run);
    String file = fileUri.replaceFirst("^file:///", "file:/");
    assertTrue(e.getMessage().contains(file), () -> "message should name " + file + ": " + e.getMessage());
    assertTrue(e.getMessage().contains(fragment), () -> "message should say '" + fragment + "': " + e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line");
  }

  @Test
  void lineIndexMapsOffsetsToOneBasedLines() {
    CsvPairsAdapter.LineIndex idx = new CsvPairsAdapter.LineIndex("ab\ncd\r\n\re");
    assertEquals(1, idx.lineOf(0));
    assertEquals(1, idx.lineOf(2));
    assertEquals(2, idx.lineOf(3));
    assertEquals(2, idx.lineOf(6)); // the \n of \r\n
    assertEquals(3, idx.lineOf(7)); // empty line ended by a lone \r
    assertEquals(4, idx.lineOf(8));
  }

  @Test
  void realLiveJpegSubset() {
    Path csv = SharedData.data("live-jpeg/dmos.csv");
    ManifestResult result = CsvPairsAdapter.read(csv.toUri().toString(), false, null, CONF);

    assertEquals(List.of(), result.rejects());
    assertEquals(175, result.rows().size());
    Set<String> refs = new HashSet<>();
    for (ManifestRow row : result.rows()) {
      refs.add(row.refId());
      assertEquals("live-jpeg", row.dataset());
      assertEquals("dmos", row.scoreKind());
      assertFalse(row.higherIsBetter());
      assertEquals("unknown", row.distortion());
      assertNull(row.level());
      assertTrue(row.score() >= 0 && row.score() <= 100, row.pairId());
      assertTrue(Files.isRegularFile(Path.of(row.distPath().substring("file:".length()))), row.distPath());
      assertTrue(Files.isRegularFile(Path.of(row.refPath().substring("file:".length()))), row.refPath());
    }
    assertEquals(29, refs.size());
    ManifestRow first = result.rows().get(0); // first data line: jpeg/img1.png,refimgs/womanhat.png,55.67
    assertEquals("jpeg/img1.png", first.pairId());
    assertEquals("refimgs/womanhat.png", first.refId());
    assertEquals(55.67, first.score());
    assertEquals("file:" + csv.getParent().toAbsolutePath().resolve("jpeg/img1.png"), first.distPath());
  }
}
