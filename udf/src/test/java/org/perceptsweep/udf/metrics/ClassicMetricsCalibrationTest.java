package org.perceptsweep.udf.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.perceptsweep.core.image.ImageDecoder;
import org.perceptsweep.core.image.RgbImage;
import org.perceptsweep.testing.SharedData;

/**
 * Reproduces the official outputs in ../shared/data/calibration/expected.csv (TID2013 pairs):
 * skimage PSNR (given to 2 decimals), ssim.m and msssim.m (given to 4 decimals).
 *
 * <p>One published value is not reproduced: MS-SSIM of I03 is listed as 0.6733, while msssim.m's
 * arithmetic gives 0.66998 here (I04 and I06 agree to 4 decimals, as does SSIM of all three, which
 * pins down the grey conversion and the window). These numbers come from pyiqa's ResultsCalibra
 * table, where pyiqa's own port is also off on exactly this cell (0.6698). That cell is checked
 * separately with its observed gap as the tolerance, so a regression still fails the build.
 */
class ClassicMetricsCalibrationTest {
  /** |ours - published| for MS-SSIM of I03 is 0.0033; see the class comment. */
  private static final double I03_MS_SSIM_KNOWN_GAP = 0.004;

  @ParameterizedTest
  @ValueSource(strings = {"I03", "I04", "I06"})
  void reproducesOfficialValues(String pair) throws IOException {
    Map<String, Double> expected = expectedValues(pair);
    RgbImage ref = decode("calibration/ref/" + pair + ".bmp");
    RgbImage dist = decode("calibration/dist/" + pair + ".bmp");

    assertEquals(expected.get("psnr"), ClassicMetrics.psnr(ref, dist), 0.005, pair + " psnr");
    assertEquals(expected.get("ssim"), ClassicMetrics.ssim(ref, dist), 5e-5, pair + " ssim");
    double msSsimTolerance = pair.equals("I03") ? I03_MS_SSIM_KNOWN_GAP : 5e-5;
    assertEquals(expected.get("ms_ssim"), ClassicMetrics.msSsim(ref, dist), msSsimTolerance, pair + " ms_ssim");
  }

  private static RgbImage decode(String relative) throws IOException {
    Path path = SharedData.data(relative);
    try (InputStream in = Files.newInputStream(path)) {
      return ImageDecoder.decode(in, path.toString());
    }
  }

  /** metric -> value for one pair column of expected.csv (header: metric,I03,I04,I06,settings). */
  private static Map<String, Double> expectedValues(String pair) throws IOException {
    List<String> lines = Files.readAllLines(SharedData.data("calibration/expected.csv"));
    String[] header = lines.get(0).split(",");
    int column = List.of(header).indexOf(pair);
    assertEquals(true, column > 0, "no column " + pair + " in expected.csv header " + lines.get(0));
    Map<String, Double> values = new HashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) {
        continue;
      }
      // the quoted settings text is the last column and may hold commas: split only the leading fields
      String[] fields = line.split(",", header.length);
      values.put(fields[0], Double.parseDouble(fields[column]));
    }
    for (String metric : List.of("psnr", "ssim", "ms_ssim")) {
      assertNotNull(values.get(metric), "expected.csv has no " + metric + " row");
    }
    return values;
  }
}
