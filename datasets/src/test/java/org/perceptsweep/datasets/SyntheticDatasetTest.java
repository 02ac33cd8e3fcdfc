package org.perceptsweep.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.perceptsweep.core.UserInputException;
import org.perceptsweep.core.image.ImageDecoder;
import org.perceptsweep.core.image.RgbImage;
import org.perceptsweep.core.manifest.ManifestRow;

class SyntheticDatasetTest {
  private static final Configuration CONF = new Configuration();

  @TempDir static Path tmp;
  private static Path defaultDir;
  private static ManifestResult defaults;
  private static final Map<String, RgbImage> decoded = new HashMap<>();

  @BeforeAll
  static void generateDefaults() {
    defaultDir = tmp.resolve("default");
    defaults = SyntheticDataset.generate(SyntheticSpec.defaults(), defaultDir.toUri().toString(), CONF);
  }

  private static RgbImage image(String uri) {
    return decoded.computeIfAbsent(uri, u -> {
      try {
        return ImageDecoder.decode(Files.readAllBytes(localPath(u)), u);
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    });
  }

  private static Path localPath(String uri) {
    assertTrue(uri.startsWith("file:/"), uri);
    return Path.of(uri.substring("file:".length()));
  }

  private static double mse(RgbImage a, RgbImage b) {
    float[] x = a.planar();
    float[] y = b.planar();
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      double d = x[i] - y[i];
      s += d * d;
    }
    return s / x.length;
  }

  @Test
  void defaultManifestHas240RowsInTheDocumentedSchema() {
    assertEquals(List.of(), defaults.rejects());
    List<ManifestRow> rows = defaults.rows();
    assertEquals(8 * 6 * 5, rows.size());
    Map<String, Integer> perFamily = new TreeMap<>();
    for (ManifestRow row : rows) {
      assertEquals("synthetic", row.dataset());
      assertEquals("distortion_level", row.scoreKind());
      assertFalse(row.higherIsBetter());
      assertNull(row.scoreStd());
      assertEquals(row.level().doubleValue(), row.score());
      assertEquals(row.refId() + "_" + row.distortion() + "_" + row.level(), row.pairId());
      assertTrue(row.refId().matches("ref0[0-7]"), row.refId());
      assertEquals("file:" + defaultDir.toAbsolutePath() + "/reference/" + row.refId() + ".png", row.refPath());
      assertEquals("file:" + defaultDir.toAbsolutePath() + "/distorted/" + row.pairId() + ".png", row.distPath());
      perFamily.merge(row.distortion(), 1, Integer::sum);
    }
    assertEquals(Map.of("colour_saturation", 40, "contrast_change", 40, "gaussian_blur", 40,
        "gaussian_noise", 40, "jpeg", 40, "quantisation", 40), perFamily);
    assertEquals("ref03_jpeg_4", rows.get(3 * 30 + 2 * 5 + 3).pairId()); // ref, family, level order
  }

  @Test
  void everyImageDecodesTo256x256() throws IOException {
    try (Stream<Path> files = Files.walk(defaultDir)) {
      List<Path> pngs = files.filter(p -> p.toString().endsWith(".png")).toList();
      assertEquals(8 + 240, pngs.size());
    }
    for (ManifestRow row : defaults.rows()) {
      assertEquals("256x256", image(row.distPath()).sizeString(), row.pairId());
      assertEquals("256x256", image(row.refPath()).sizeString(), row.refId());
    }
  }

  @Test
  void everyFamilysErrorGrowsStrictlyWithLevelOnEveryReference() {
    Map<String, List<Double>> curves = new TreeMap<>();
    for (ManifestRow row : defaults.rows()) { // rows come level 1..5 within each (ref, family)
      curves.computeIfAbsent(row.refId() + " " + row.distortion(), k -> new ArrayList<>())
          .add(mse(image(row.refPath()), image(row.distPath())));
    }
    assertEquals(48, curves.size());
    curves.forEach((key, mses) -> {
      assertTrue(mses.get(0) > 0, key + " level 1 changes nothing");
      for (int i = 1; i < mses.size(); i++) {
        assertTrue(mses.get(i) > mses.get(i - 1), key + " MSE not increasing: " + mses);
      }
    });
  }

  @Test
  void referencesAreDistinctColourfulAndSmoothLikeNaturalImages() {
    List<RgbImage> refs = new ArrayList<>();
    for (int r = 0; r < 8; r++) {
      refs.add(image(defaults.rows().get(r * 30).refPath()));
    }
    for (int i = 0; i < refs.size(); i++) {
      RgbImage a = refs.get(i);
      // natural images: strongly correlated neighbours (a white-noise image would give ~0)
      double corr = horizontalNeighbourCorrelation(a);
      assertTrue(corr > 0.7 && corr < 0.9999, "ref" + i + " neighbour correlation " + corr);
      assertTrue(meanChroma(a) > 0.02, "ref" + i + " is nearly grey: " + meanChroma(a));
      for (int j = 0; j < i; j++) {
        assertTrue(mse(a, refs.get(j)) > 0.005, "ref" + i + " and ref" + j + " too similar");
      }
    }
  }

  private static double horizontalNeighbourCorrelation(RgbImage img) {
    int w = img.width();
    int h = img.height();
    double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    int n = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x + 1 < w; x++) {
        double a = luma(img, y, x);
        double b = luma(img, y, x + 1);
        sx += a;
        sy += b;
        sxx += a * a;
        syy += b * b;
        sxy += a * b;
        n++;
      }
    }
    double cov = sxy / n - (sx / n) * (sy / n);
    return cov / Math.sqrt((sxx / n - (sx / n) * (sx / n)) * (syy / n - (sy / n) * (sy / n)));
  }

  private static double luma(RgbImage img, int y, int x) {
    return 0.299 * img.get(0, y, x) + 0.587 * img.get(1, y, x) + 0.114 * img.get(2, y, x);
  }

  private static double meanChroma(RgbImage img) {
    double s = 0;
    for (int y = 0; y < img.height(); y++) {
      for (int x = 0; x < img.width(); x++) {
        double l = luma(img, y, x);
        for (int c = 0; c < 3; c++) {
          s += Math.abs(img.get(c, y, x) - l);
        }
      }
    }
    return s / (3.0 * img.width() * img.height());
  }

  @Test
  void sameSeedGivesByteIdenticalFilesAndManifest() throws IOException {
    Path again = tmp.resolve("again");
    ManifestResult second = SyntheticDataset.generate(SyntheticSpec.defaults(), again.toUri().toString(), CONF);
    assertEquals(relocated(defaults, defaultDir), relocated(second, again));
    for (ManifestRow row : defaults.rows()) {
      String rel = defaultDir.relativize(localPath(row.distPath())).toString();
      assertArrayEquals(Files.readAllBytes(defaultDir.resolve(rel)), Files.readAllBytes(again.resolve(rel)), rel);
    }
    for (int r = 0; r < 8; r++) {
      String rel = "reference/ref0" + r + ".png";
      assertArrayEquals(Files.readAllBytes(defaultDir.resolve(rel)), Files.readAllBytes(again.resolve(rel)), rel);
    }
  }

  /** The manifest with the output folder replaced by a placeholder, to compare two runs. */
  private static List<ManifestRow> relocated(ManifestResult m, Path dir) {
    String prefix = "file:" + dir.toAbsolutePath();
    return m.rows().stream().map(r -> new ManifestRow(r.dataset(), r.pairId(), r.refId(),
        r.refPath().replace(prefix, "OUT"), r.distPath().replace(prefix, "OUT"), r.distortion(),
        r.level(), r.score(), r.scoreStd(), r.higherIsBetter(), r.scoreKind())).toList();
  }

  @Test
  void eachImageDependsOnlyOnSeedReferenceFamilyAndLevel() throws IOException {
    // A different subset and order of families must reproduce the same files: per-pair seeding,
    // so generation order (or parallel generation) cannot change a result.
    Path subset = tmp.resolve("subset");
    SyntheticDataset.generate(new SyntheticSpec(2302, 2, 256, List.of("jpeg", "gaussian_noise"), 5),
        subset.toUri().toString(), CONF);
    for (String rel : List.of("reference/ref01.png", "distorted/ref01_gaussian_noise_3.png",
        "distorted/ref00_gaussian_noise_5.png", "distorted/ref01_jpeg_2.png")) {
      assertArrayEquals(Files.readAllBytes(defaultDir.resolve(rel)), Files.readAllBytes(subset.resolve(rel)), rel);
    }
  }

  @Test
  void differentSeedsGiveDifferentImages() throws IOException {
    Path other = tmp.resolve("other");
    SyntheticDataset.generate(new SyntheticSpec(2303, 3, 256, List.of("gaussian_noise"), 1),
        other.toUri().toString(), CONF);
    for (String rel : List.of("reference/ref00.png", "reference/ref01.png", "reference/ref02.png",
        "distorted/ref00_gaussian_noise_1.png")) {
      assertFalse(java.util.Arrays.equals(Files.readAllBytes(defaultDir.resolve(rel)),
          Files.readAllBytes(other.resolve(rel))), rel);
    }
  }

  @Test
  void invalidSpecsAreUserErrors() {
    assertThrows(UserInputException.class, () -> new SyntheticSpec(1, 0, 256, List.of("jpeg"), 5));
    assertThrows(UserInputException.class, () -> new SyntheticSpec(1, 8, 16, List.of("jpeg"), 5));
    assertThrows(UserInputException.class, () -> new SyntheticSpec(1, 8, 256, List.of("jpeg"), 0));
    assertThrows(UserInputException.class, () -> new SyntheticSpec(1, 8, 256, List.of(), 5));
    assertThrows(UserInputException.class, () -> new SyntheticSpec(1, 8, 256, List.of("jpeg", "jpeg"), 5));
    UserInputException e = assertThrows(UserInputException.class,
        () -> new SyntheticSpec(1, 8, 256, List.of("jpg"), 5));
    assertTrue(e.getMessage().contains("'jpg'") && e.getMessage().contains("jpeg"), e.getMessage());
  }

  @Test
  void cachedReusesACompleteSpecFolderAndRegeneratesAnIncompleteOne() throws Exception {
    SyntheticSpec small = new SyntheticSpec(5, 2, 32, List.of("gaussian_noise", "jpeg"), 2);
    Path base = tmp.resolve("cache");
    ManifestResult first = SyntheticDataset.cached(small, base.toUri().toString(), CONF);
    assertEquals(2 * 2 * 2, first.rows().size());
    Path dir = base.resolve("spec-" + SyntheticDataset.specHash(small).substring(0, 12));
    assertTrue(Files.isRegularFile(dir.resolve(SyntheticDataset.COMPLETE_MARKER)));
    Path dist = localPath(first.rows().get(0).distPath());
    assertTrue(dist.startsWith(dir), dist.toString());
    // Same content as a plain generate of the same spec, byte for byte.
    ManifestResult plain = SyntheticDataset.generate(small, tmp.resolve("plain").toUri().toString(), CONF);
    for (int i = 0; i < first.rows().size(); i++) {
      assertArrayEquals(Files.readAllBytes(localPath(plain.rows().get(i).distPath())),
          Files.readAllBytes(localPath(first.rows().get(i).distPath())));
    }

    // Reused: same rows, no file rewritten (an old mtime stays old).
    java.nio.file.attribute.FileTime old = java.nio.file.attribute.FileTime.fromMillis(1_000_000_000_000L);
    Files.setLastModifiedTime(dist, old);
    ManifestResult second = SyntheticDataset.cached(small, base.toUri().toString(), CONF);
    assertEquals(first.rows(), second.rows());
    assertEquals(old, Files.getLastModifiedTime(dist));

    // Another seed: another folder.
    ManifestResult other = SyntheticDataset.cached(small.withSeed(6), base.toUri().toString(), CONF);
    assertFalse(other.rows().get(0).distPath().equals(first.rows().get(0).distPath()));

    // A missing image (or no marker: an interrupted generation) regenerates the folder.
    byte[] bytes = Files.readAllBytes(dist);
    Files.delete(dist);
    SyntheticDataset.cached(small, base.toUri().toString(), CONF);
    assertArrayEquals(bytes, Files.readAllBytes(dist));
    Files.delete(dir.resolve(SyntheticDataset.COMPLETE_MARKER));
    Files.setLastModifiedTime(dist, old);
    SyntheticDataset.cached(small, base.toUri().toString(), CONF);
    assertFalse(old.equals(Files.getLastModifiedTime(dist)), "rewritten without the marker");
    assertTrue(Files.isRegularFile(dir.resolve(SyntheticDataset.COMPLETE_MARKER)));
  }
}
