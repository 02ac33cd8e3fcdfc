package org.perceptsweep.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.perceptsweep.datasets.Fixtures.uri;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.perceptsweep.core.manifest.ManifestRow;
import org.perceptsweep.core.manifest.Reject;
import org.perceptsweep.testing.SharedData;

class ValidationTest {
  private static final Configuration CONF = new Configuration();

  @TempDir Path dir;

  private static ManifestRow row(String dataset, String id, Path ref, Path dist, double score) {
    return new ManifestRow(dataset, id, ref.getFileName().toString(), uri(ref), uri(dist), "unknown", null,
        score, null, true, "mos");
  }

  @Test
  void eachProblemRejectsItsRowAndIsSummarisedOnce() throws IOException {
    Path refs = dir.resolve("refs");
    Path dists = dir.resolve("dists");
    Path a = Fixtures.image(refs.resolve("a.png"), 16, 12, 0x203040);
    Path b = Fixtures.image(refs.resolve("b.png"), 16, 12, 0x403020);
    Path c = Fixtures.image(refs.resolve("c.png"), 16, 12, 0x404040); // its only row is rejected
    Path unused = Fixtures.image(refs.resolve("unused.png"), 16, 12, 0x000000); // no row names it
    Fixtures.text(refs.resolve("notes.txt"), "not an image: never a reference");
    Path good = Fixtures.image(dists.resolve("good.png"), 16, 12, 0x213040);
    Path small = Fixtures.image(dists.resolve("small.png"), 8, 12, 0x213040);
    Path truncated = Fixtures.image(dists.resolve("truncated.png"), 16, 12, 0x223040);
    byte[] bytes = Files.readAllBytes(truncated);
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
    Path missing = dists.resolve("missing.png");

    ManifestResult input = new ManifestResult(List.of(
        row("tid2013", "p1", a, good, 5.0),
        row("tid2013", "p2", a, missing, 5.0),
        row("tid2013", "p3", a, small, 5.0),
        row("tid2013", "p4", b, truncated, 5.0),
        row("tid2013", "p5", b, good, Double.NaN),
        row("tid2013", "p6", b, good, 9.5),       // TID's MOS scale is 0..9
        row("tid2013", "p1", b, good, 4.0),       // pair id repeated
        row("tid2013", "p7", a, good, 4.0),       // same files as p1
        row("tid2013", "p8", c, missing, 4.0),
        row("other", "p9", b, good, 1e6)),        // no known range: kept
        List.of(new Reject("tid2013", "some.csv line 3", "manifest", "earlier reject")));

    Validation.Report report = Validation.check(input, CONF);

    assertEquals(List.of("p1", "p9"), report.rows().stream().map(ManifestRow::pairId).toList());
    assertEquals(List.of(
        new Reject("tid2013", "some.csv line 3", "manifest", "earlier reject"),
        new Reject("tid2013", "p2", "validate", "missing image " + uri(missing)),
        new Reject("tid2013", "p3", "validate", "size mismatch: reference " + uri(a) + " is 16x12 but distorted "
            + uri(small) + " is 8x12"),
        new Reject("tid2013", "p5", "validate", "score is NaN, not a finite number"),
        new Reject("tid2013", "p6", "validate", "score 9.5 outside tid2013's range [0, 9]"),
        new Reject("tid2013", "p1", "validate", "duplicate pair id p1"),
        new Reject("tid2013", "p7", "validate", "duplicate pair: " + uri(a) + " with " + uri(good)
            + " is already listed"),
        new Reject("tid2013", "p8", "validate", "missing image " + uri(missing))),
        report.rejects().stream().filter(r -> !r.where().equals("p4")).toList());
    Reject p4 = report.rejects().stream().filter(r -> r.where().equals("p4")).findFirst().orElseThrow();
    assertTrue(p4.reason().startsWith("cannot decode image " + uri(truncated)), p4.reason());

    Map<String, String> findings = new TreeMap<>();
    report.findings().forEach(f -> findings.put(f.check(), f.message()));
    assertEquals(Map.of(
        "missing_images", "1 image files not found (named 2 times), e.g. " + uri(missing),
        "size_mismatch", "1 pairs whose reference and distorted sizes differ, e.g. p3",
        "unreadable_images", "1 image files unreadable (1 rows), e.g. " + uri(truncated),
        "bad_score", "2 rows with a NaN, infinite or out-of-range score, e.g. p5, p6",
        "duplicate_pair", "2 rows repeating a pair, e.g. p1, p7",
        "unused_reference", "2 references with no usable distorted image, e.g. " + uri(c) + ", " + uri(unused)),
        findings);
    assertTrue(report.findings().stream().allMatch(f -> f.where().equals("tid2013")));
  }

  @Test
  void filesOnlyModeDoesNotOpenImages() throws IOException {
    Path ref = Fixtures.image(dir.resolve("r.png"), 8, 8, 0x101010);
    Path dist = Fixtures.text(dir.resolve("d.png"), "not a png at all");
    ManifestResult input = new ManifestResult(List.of(row("x", "p", ref, dist, 1)), List.of());
    assertEquals(1, Validation.check(input, Validation.Options.filesOnly(), CONF).rows().size());
    assertEquals(0, Validation.check(input, Validation.Options.defaults(), CONF).rows().size());
  }

  @Test
  void realLiveJpegSubsetIsComplete() {
    ManifestResult live = CsvPairsAdapter.read(SharedData.data("live-jpeg/dmos.csv").toUri().toString(),
        false, "live-jpeg", CONF);
    Validation.Report report = Validation.check(live, CONF); // decodes all 204 images
    assertEquals(175, report.rows().size());
    assertEquals(List.of(), report.rejects());
    assertEquals(List.of(), report.findings());
  }
}
