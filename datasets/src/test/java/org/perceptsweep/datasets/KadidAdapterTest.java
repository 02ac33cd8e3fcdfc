package org.perceptsweep.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.perceptsweep.datasets.Fixtures.uri;

import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.perceptsweep.core.manifest.ManifestRow;
import org.perceptsweep.core.manifest.Reject;

class KadidAdapterTest {
  private static final Configuration CONF = new Configuration();

  @TempDir Path root;

  @Test
  void readsKadidLayoutWithTypeLevelAndStdFromVariance() {
    Path images = root.resolve("images");
    Fixtures.image(images.resolve("I01.png"), 8, 8, 0x102030);
    Fixtures.image(images.resolve("I01_01_01.png"), 8, 8, 0x112030);
    Fixtures.image(images.resolve("I01_25_05.png"), 8, 8, 0x102130);
    Fixtures.image(images.resolve("I02.png"), 8, 8, 0x302010); // a reference without pairs
    Fixtures.text(root.resolve("dmos.csv"), "dist_img,ref_img,dmos,var\n"
        + "I01_01_01.png,I01.png,4.57,0.25\n"
        + "I01_25_05.png,I01.png,1.5,0.0\n"
        + "I01_26_01.png,I01.png,3,1\n"     // line 4: no type 26
        + "I01_02_01.png,I01.png,3,-1\n");  // line 5: negative variance

    ManifestResult result = KadidAdapter.read(root.toUri().toString(), CONF);

    assertEquals(List.of(
        new ManifestRow("kadid10k", "I01_01_01.png", "I01.png", uri(images.resolve("I01.png")),
            uri(images.resolve("I01_01_01.png")), "gaussian_blur", 1, 4.57, 0.5, true, "mos"),
        new ManifestRow("kadid10k", "I01_25_05.png", "I01.png", uri(images.resolve("I01.png")),
            uri(images.resolve("I01_25_05.png")), "contrast_change", 5, 1.5, 0.0, true, "mos")),
        result.rows());
    String file = uri(root.resolve("dmos.csv"));
    assertEquals(List.of(
        new Reject("kadid10k", file + " line 4", "manifest", "file name I01_26_01.png has distortion type 26, expected 1..25"),
        new Reject("kadid10k", file + " line 5", "manifest", "var -1 is negative")),
        result.rejects());

    // images/ holds references and distorted images together: only I02.png is an unused reference
    Validation.Report report = Validation.check(result, CONF);
    assertEquals(result.rows(), report.rows());
    assertEquals(List.of(new Validation.Finding("unused_reference", "kadid10k",
        "1 references with no usable distorted image, e.g. " + uri(images.resolve("I02.png")))), report.findings());
  }
}
