package org.perceptsweep.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.perceptsweep.datasets.Fixtures.uri;

import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.perceptsweep.core.UserInputException;
import org.perceptsweep.core.manifest.ManifestRow;
import org.perceptsweep.core.manifest.Reject;

class TidAdapterTest {
  private static final Configuration CONF = new Configuration();

  @TempDir Path root;

  @Test
  void readsTid2013LayoutMatchingNamesIgnoringCase() {
    Path refs = root.resolve("reference_images");
    Path dists = root.resolve("distorted_images");
    Fixtures.image(refs.resolve("I01.BMP"), 8, 6, 0x336699);
    Fixtures.image(refs.resolve("I25.BMP"), 8, 6, 0x996633);
    Fixtures.image(dists.resolve("i01_01_1.bmp"), 8, 6, 0x346699);
    Fixtures.image(dists.resolve("i01_08_5.bmp"), 8, 6, 0x336799);
    Fixtures.image(dists.resolve("i25_24_3.bmp"), 8, 6, 0x996733);
    Fixtures.image(dists.resolve("I25_17_2.BMP"), 8, 6, 0x996634); // stored upper case, listed lower
    Fixtures.text(root.resolve("mos_with_names.txt"), // CRLF, as published
        "5.51429 i01_01_1.bmp\r\n"
            + "4.1 i01_08_5.bmp\r\n"
            + "3 i25_24_3.bmp\r\n"
            + "2.5 i25_17_2.bmp\r\n"
            + "bad line here\r\n"       // 5: three tokens
            + "1.0 i01_25_1.bmp\r\n"    // 6: type 25 does not exist
            + " 6.0  i01_01_6.bmp \r\n" // 7: level 6 does not exist
            + "7.0 I01_01_1.BMP\r\n"    // 8: same file as line 1
            + "\r\n");
    Fixtures.text(root.resolve("mos_std.txt"), "0.5\r\n0.25\r\n1\r\n0.125\r\n9\r\n9\r\n9\r\n9\r\n");

    ManifestResult result = TidAdapter.read(root.toUri().toString(), TidAdapter.Version.TID2013, CONF);

    assertEquals(List.of(
        new ManifestRow("tid2013", "i01_01_1.bmp", "I01", uri(refs.resolve("I01.BMP")),
            uri(dists.resolve("i01_01_1.bmp")), "additive_gaussian_noise", 1, 5.51429, 0.5, true, "mos"),
        new ManifestRow("tid2013", "i01_08_5.bmp", "I01", uri(refs.resolve("I01.BMP")),
            uri(dists.resolve("i01_08_5.bmp")), "gaussian_blur", 5, 4.1, 0.25, true, "mos"),
        new ManifestRow("tid2013", "i25_24_3.bmp", "I25", uri(refs.resolve("I25.BMP")),
            uri(dists.resolve("i25_24_3.bmp")), "sparse_sampling_and_reconstruction", 3, 3.0, 1.0, true, "mos"),
        new ManifestRow("tid2013", "i25_17_2.bmp", "I25", uri(refs.resolve("I25.BMP")),
            uri(dists.resolve("I25_17_2.BMP")), "contrast_change", 2, 2.5, 0.125, true, "mos")),
        result.rows());
    String file = uri(root.resolve("mos_with_names.txt"));
    assertEquals(List.of(
        new Reject("tid2013", file + " line 5", "manifest", "expected 'MOS filename', got 'bad line here'"),
        new Reject("tid2013", file + " line 6", "manifest",
            "file name i01_25_1.bmp has distortion type 25, expected 1..24"),
        new Reject("tid2013", file + " line 7", "manifest", "file name i01_01_6.bmp has level 6, expected 1..5"),
        new Reject("tid2013", file + " line 8", "manifest",
            "duplicate pair: I01_01_1.BMP is already listed at line 1")),
        result.rejects());

    // every file of the fixture exists, pairs have equal sizes: validation finds nothing
    Validation.Report report = Validation.check(result, CONF);
    assertEquals(result.rows(), report.rows());
    assertEquals(List.of(), report.findings());
  }

  @Test
  void tid2008HasSeventeenTypesAndFourLevelsAndNoStdFile() {
    Fixtures.text(root.resolve("mos_with_names.txt"),
        "5.9706 I01_01_1.bmp\n4.0 I01_17_4.bmp\n3.0 I01_18_1.bmp\n2.0 I01_01_5.bmp\n");
    ManifestResult result = TidAdapter.read(root.toString(), TidAdapter.Version.TID2008, CONF);
    Path refs = root.resolve("reference_images");
    assertEquals(List.of(
        new ManifestRow("tid2008", "I01_01_1.bmp", "I01", uri(refs.resolve("I01.BMP")),
            uri(root.resolve("distorted_images/I01_01_1.bmp")), "additive_gaussian_noise", 1, 5.9706, null,
            true, "mos"),
        new ManifestRow("tid2008", "I01_17_4.bmp", "I01", uri(refs.resolve("I01.BMP")),
            uri(root.resolve("distorted_images/I01_17_4.bmp")), "contrast_change", 4, 4.0, null, true, "mos")),
        result.rows());
    assertEquals(List.of("file name I01_18_1.bmp has distortion type 18, expected 1..17",
            "file name I01_01_5.bmp has level 5, expected 1..4"),
        result.rejects().stream().map(Reject::reason).toList());

    // no images at all: validation reports them missing, row by row, without failing
    Validation.Report report = Validation.check(result, CONF);
    assertEquals(List.of(), report.rows());
    assertEquals(4, report.rejects().size());
    assertEquals("3 image files not found (named 4 times), e.g. " + uri(refs.resolve("I01.BMP")) + ", "
            + uri(root.resolve("distorted_images/I01_01_1.bmp")) + ", " + uri(root.resolve("distorted_images/I01_17_4.bmp")),
        report.finding("missing_images").message());
  }

  @Test
  void unusableRootsAreUserErrors() {
    UserInputException e = assertThrows(UserInputException.class,
        () -> TidAdapter.read(root.toString(), TidAdapter.Version.TID2013, CONF));
    assertTrue(e.getMessage().contains("has no mos_with_names.txt") && e.getMessage().contains(root.toString()),
        e.getMessage());

    Fixtures.text(root.resolve("mos_with_names.txt"), "5.5 i01_01_1.bmp\n4.5 i01_01_2.bmp\n");
    Fixtures.text(root.resolve("mos_std.txt"), "0.5\n");
    e = assertThrows(UserInputException.class,
        () -> TidAdapter.read(root.toString(), TidAdapter.Version.TID2013, CONF));
    assertTrue(e.getMessage().contains("mos_std.txt has 1 values but") && e.getMessage().contains("has 2 lines"),
        e.getMessage());
  }
}
