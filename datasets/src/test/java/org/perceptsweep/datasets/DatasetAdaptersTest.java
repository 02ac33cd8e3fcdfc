package org.perceptsweep.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.perceptsweep.core.UserInputException;
import org.perceptsweep.core.manifest.ManifestRow;
import org.perceptsweep.testing.SharedData;

class DatasetAdaptersTest {
  private static final Configuration CONF = new Configuration();
  private static final DatasetAdapters.Options NONE = DatasetAdapters.Options.defaults();

  @TempDir Path root;

  @Test
  void nativeLayoutsByName() {
    Fixtures.text(root.resolve("tid/mos_with_names.txt"), "5.0 i03_10_2.bmp\n");
    ManifestRow tid = DatasetAdapters.read("tid2013", root.resolve("tid").toString(), NONE, CONF).rows().get(0);
    assertEquals(List.of("tid2013", "I03", "jpeg_compression", 2),
        List.of(tid.dataset(), tid.refId(), tid.distortion(), tid.level()));
    ManifestRow tid08 = DatasetAdapters.read("tid2008", root.resolve("tid").toString(), NONE, CONF).rows().get(0);
    assertEquals("tid2008", tid08.dataset());

    Fixtures.text(root.resolve("kadid/dmos.csv"), "dist_img,ref_img,dmos,var\nI05_10_03.png,I05.png,3.5,0.04\n");
    ManifestRow kadid = DatasetAdapters.read("kadid10k", root.resolve("kadid").toString(), NONE, CONF).rows().get(0);
    assertEquals(List.of("kadid10k", "jpeg", 3, 0.2),
        List.of(kadid.dataset(), kadid.distortion(), kadid.level(), kadid.scoreStd()));
  }

  @Test
  void scoreFileDatasetsByNameWithDefaultOrGivenFile() throws Exception {
    String csiq = SharedData.data("scores/CSIQ.csv").toUri().toString();
    ManifestResult m = DatasetAdapters.read("csiq", root.toString(), NONE.withScoresFile(csiq), CONF);
    assertEquals(866, m.rows().size());
    assertEquals("csiq", m.rows().get(0).dataset());

    // default location ROOT/LIVE.csv
    Files.copy(SharedData.data("scores/LIVE.csv"), root.resolve("LIVE.csv"));
    assertEquals(779, DatasetAdapters.read("live", root.toString(), NONE, CONF).rows().size());
    UserInputException e = assertThrows(UserInputException.class,
        () -> DatasetAdapters.read("pipal", root.toString(), NONE, CONF));
    assertTrue(e.getMessage().contains("PIPAL.csv not found"), e.getMessage());

    String kadid = SharedData.data("scores/KADID-10k.csv").toUri().toString();
    ManifestResult k = DatasetAdapters.read("scores-csv", root.toString(), NONE.withScoresFile(kadid), CONF);
    assertEquals(10125, k.rows().size());
    assertEquals("kadid10k", k.rows().get(0).dataset());
    assertThrows(UserInputException.class, () -> DatasetAdapters.read("scores-csv", root.toString(), NONE, CONF));
  }

  @Test
  void csvNeedsADirectionAndSyntheticWritesImages() {
    String live = SharedData.data("live-jpeg/dmos.csv").toUri().toString();
    UserInputException e = assertThrows(UserInputException.class,
        () -> DatasetAdapters.read("csv", live, NONE, CONF));
    assertTrue(e.getMessage().contains("needs the score direction"), e.getMessage());
    ManifestResult m = DatasetAdapters.read("csv", live, NONE.withHigherIsBetter(false), CONF);
    assertEquals(175, m.rows().size());
    assertEquals("live-jpeg", m.rows().get(0).dataset());

    ManifestResult s = DatasetAdapters.read("synthetic", root.resolve("syn").toString(),
        NONE.withSynthetic(new SyntheticSpec(1, 1, 32, List.of("jpeg", "quantisation"), 2)), CONF);
    assertEquals(List.of("ref00_jpeg_1", "ref00_jpeg_2", "ref00_quantisation_1", "ref00_quantisation_2"),
        s.rows().stream().map(ManifestRow::pairId).toList());
    assertTrue(Files.isRegularFile(root.resolve("syn/distorted/ref00_quantisation_2.png")));
  }

  @Test
  void unknownNameListsTheKnownOnes() {
    UserInputException e = assertThrows(UserInputException.class,
        () -> DatasetAdapters.read("tid2012", root.toString(), NONE, CONF));
    assertEquals("unknown dataset 'tid2012': use one of " + DatasetAdapters.NAMES, e.getMessage());
  }
}
