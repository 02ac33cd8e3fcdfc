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

  /** Writes the PNGs under {@code outDirUri} (replacing files of the same name) and returns the manifest. */
  public static ManifestResult generate(SyntheticSpec spec, String outDirUri, Configuration conf) {
    Path out = HadoopFiles.qualify(outDirUri, conf);
    Path refDir = new Path(out, "reference");
    Path distDir = new Path(out, "distorted");
    List<ManifestRow> rows = new ArrayList<>();
    for (int r = 0; r < spec.references(); r++) {
      String refId = refId(r);
      BufferedImage refPixels = ImageDecoder.toBufferedImage(SyntheticReferences.make(spec.seed(), r, spec.size()));
      Path refPath = new Path(refDir, refId + ".png");
      HadoopFiles.writeAll(refPath, png(refPixels), conf);
      RgbImage stored = ImageDecoder.fromBufferedImage(refPixels, refPath.toString());
      for (String name : spec.distortions()) {
        SyntheticDistortion family = SyntheticDistortion.byName(name);
        for (int level = 1; level <= spec.levels(); level++) {
          SplittableRandom rng = new SplittableRandom(
              Seeds.mix(spec.seed(), r, family.id().hashCode(), level));
          RgbImage distorted = family.apply(stored, level, spec.levels(), rng);
          String pairId = refId + "_" + family.id() + "_" + level;
          Path distPath = new Path(distDir, pairId + ".png");
          HadoopFiles.writeAll(distPath, png(ImageDecoder.toBufferedImage(distorted)), conf);
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
