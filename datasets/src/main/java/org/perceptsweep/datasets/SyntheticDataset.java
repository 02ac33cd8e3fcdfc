package org.perceptsweep.datasets;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.perceptsweep.core.image.ImageDecoder;
import org.perceptsweep.core.image.RgbImage;
import org.perceptsweep.core.manifest.ManifestRow;
import org.perceptsweep.core.manifest.Reject;
import org.perceptsweep.core.manifest.ScoreKind;

/**
 * The built-in synthetic dataset (the embedded default: nothing to download). References from
 * {@link SyntheticReferences}, each distorted by every family of {@link SyntheticDistortion} at every
 * level. Files written:
 *
 * <pre>
 * OUT/reference/ref03.png
 * OUT/distorted/ref03_jpeg_4.png
 * </pre>
 *
 * Manifest: dataset {@value #DATASET}, ref_id {@code ref03}, pair_id {@code ref03_jpeg_4},
 * distortion = family name, level and score = the level (1..L), score_kind distortion_level,
 * higher_is_better false, no score_std. Rows are ordered by reference, then family (in the spec's
 * order), then level.
 *
 * <p>Determinism: everything is a function of the {@link SyntheticSpec}. Distortions are applied to
 * the reference as stored (8-bit), and the noise of each (seed, reference, family, level) has its
 * own {@link SplittableRandom} seed, so that generating in any order or in parallel gives
 * byte-identical PNGs.
 */
public final class SyntheticDataset {
  public static final String DATASET = "synthetic";

  private SyntheticDataset() {}

  /** Name of the marker file that {@link #cached} writes last, once every image of a spec is written. */
  public static final String COMPLETE_MARKER = "_COMPLETE";

  /** Writes the PNGs under {@code outDirUri} (replacing files of the same name) and returns the manifest. */
  public static ManifestResult generate(SyntheticSpec spec, String outDirUri, Configuration conf) {
    return build(spec, HadoopFiles.qualify(outDirUri, conf), conf, true);
  }

  /**
   * The set of {@code spec}, cached under {@code baseDirUri}: its images live in a folder named by
   * the spec's content hash ({@code BASE/spec-HASH12/}). When that folder holds the completion marker
   * (written last, after every image) and every image, nothing is generated or written: the rows are
   * computed from the spec alone, so a second sweep sees the same files, bytes and mtimes. Otherwise
   * the images are (re)generated and the marker written after them, so an interrupted generation is
   * redone on the next call, never half used.
   */
  public static ManifestResult cached(SyntheticSpec spec, String baseDirUri, Configuration conf) {
    Path dir = new Path(HadoopFiles.qualify(baseDirUri, conf), "spec-" + specHash(spec).substring(0, 12));
    Path marker = new Path(dir, COMPLETE_MARKER);
    if (HadoopFiles.exists(marker, conf)) {
      ManifestResult rows = build(spec, dir, conf, false);
      if (allPresent(dir, rows, conf)) {
        return rows;
      }
    }
    ManifestResult rows = build(spec, dir, conf, true);
    HadoopFiles.writeAll(marker, describe(spec).getBytes(java.nio.charset.StandardCharsets.UTF_8), conf);
    return rows;
  }

  /** Everything that determines the images and the manifest, as one line. */
  public static String describe(SyntheticSpec spec) {
    return "synthetic/v1 seed=" + spec.seed() + " references=" + spec.references() + " size=" + spec.size()
        + " distortions=" + String.join(",", spec.distortions()) + " levels=" + spec.levels();
  }

  public static String specHash(SyntheticSpec spec) {
    return org.perceptsweep.core.util.Hashing.sha256Hex(describe(spec));
  }

  private static boolean allPresent(Path dir, ManifestResult rows, Configuration conf) {
    java.util.Set<String> have = new java.util.HashSet<>();
    for (String sub : List.of("reference", "distorted")) {
      Path d = new Path(dir, sub);
      if (!HadoopFiles.isDirectory(d, conf)) {
        return false;
      }
      HadoopFiles.listFiles(d, "synthetic images", conf).forEach(p -> have.add(p.toString()));
    }
    for (ManifestRow r : rows.rows()) {
      if (!have.contains(r.refPath()) || !have.contains(r.distPath())) {
        return false;
      }
    }
    return true;
  }

  private static ManifestResult build(SyntheticSpec spec, Path out, Configuration conf, boolean write) {
    Path refDir = new Path(out, "reference");
    Path distDir = new Path(out, "distorted");
    List<ManifestRow> rows = new ArrayList<>();
    for (int r = 0; r < spec.references(); r++) {
      String refId = refId(r);
      Path refPath = new Path(refDir, refId + ".png");
      RgbImage stored = null;
      if (write) {
        BufferedImage refPixels = ImageDecoder.toBufferedImage(SyntheticReferences.make(spec.seed(), r, spec.size()));
        HadoopFiles.writeAll(refPath, png(refPixels), conf);
        stored = ImageDecoder.fromBufferedImage(refPixels, refPath.toString());
      }
      for (String name : spec.distortions()) {
        SyntheticDistortion family = SyntheticDistortion.byName(name);
        for (int level = 1; level <= spec.levels(); level++) {
          String pairId = refId + "_" + family.id() + "_" + level;
          Path distPath = new Path(distDir, pairId + ".png");
          if (write) {
            SplittableRandom rng = new SplittableRandom(
                Seeds.mix(spec.seed(), r, family.id().hashCode(), level));
            RgbImage distorted = family.apply(stored, level, spec.levels(), rng);
            HadoopFiles.writeAll(distPath, png(ImageDecoder.toBufferedImage(distorted)), conf);
          }
          rows.add(new ManifestRow(DATASET, pairId, refId, refPath.toString(), distPath.toString(),
              family.id(), level, level, null, false, ScoreKind.DISTORTION_LEVEL.id()));
        }
      }
    }
    return new ManifestResult(rows, List.<Reject>of());
  }

  static String refId(int index) {
    return String.format(Locale.ROOT, "ref%02d", index);
  }

  static byte[] png(BufferedImage img) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(img, "png", bytes)) {
        throw new IllegalStateException("no PNG writer in this JVM");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("PNG encoding in memory failed", e);
    }
    return bytes.toByteArray();
  }
}
