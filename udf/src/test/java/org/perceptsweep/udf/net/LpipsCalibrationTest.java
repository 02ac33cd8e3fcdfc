package org.perceptsweep.udf.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.perceptsweep.core.image.ImageDecoder;
import org.perceptsweep.core.image.RgbImage;
import org.perceptsweep.testing.SharedData;
import org.perceptsweep.udf.readout.ArrayReadouts;
import org.perceptsweep.udf.readout.ChannelWeights;
import org.perceptsweep.udf.readout.Readout;
import org.perceptsweep.udf.readout.ReadoutSet;

/**
 * LPIPS-alex v0.1 through the real AlexNet TorchScript and the weighted readout reproduces the
 * official implementation's values (calibration/expected.csv) to 4 decimals.
 */
class LpipsCalibrationTest {
  private static final String[] PAIRS = {"I03", "I04", "I06"};
  private static final String[] TAPS = {"relu1", "relu2", "relu3", "relu4", "relu5"};

  @Test
  void weightedSumOverAlexTapsIsOfficialLpips() throws IOException {
    Map<String, Double> expected = expectedLpips();
    Path weights = SharedData.model("lpips-alex-v0.1.json");
    FeatureNet net = Nets.get(SharedData.model("alexnet-imagenet.pt").toUri().toString(), new Configuration());
    ReadoutSet readouts = ReadoutSet.parse("weighted", weights.toUri().toString(), new Configuration());
    try (NetSession session = net.newSession()) {
      for (String pair : PAIRS) {
        RgbImage ref = decode("calibration/ref/" + pair + ".bmp");
        RgbImage dist = decode("calibration/dist/" + pair + ".bmp");
        Map<String, Map<String, Double>> result;
        try (ReferenceActivations activations = session.forwardReference(ref)) {
          result = session.compare(activations, List.of(dist), readouts).get(0);
        }
        double perTapSum = 0;
        for (String tap : TAPS) {
          perTapSum += result.get(tap).get("weighted");
        }
        double lpips = result.get(ReadoutSet.SUM_TAP).get("weighted");
        System.out.printf("LPIPS-alex %s: %.6f (official %s)%n", pair, lpips, expected.get(pair));
        assertEquals(perTapSum, lpips, 1e-12, "sum pseudo-tap = sum of the tap values");
        assertEquals(expected.get(pair), lpips, 5e-5, "LPIPS " + pair);
      }
    }
  }

  /** The same numbers through the plain-Java readout on copied-back activations. */
  @Test
  void plainJavaLpipsOnCopiedActivationsAgrees() throws IOException {
    Map<String, Double> expected = expectedLpips();
    ChannelWeights weights;
    try (InputStream in = Files.newInputStream(SharedData.model("lpips-alex-v0.1.json"))) {
      weights = ChannelWeights.parse(in, "lpips-alex-v0.1.json");
    }
    FeatureNet net = Nets.get(SharedData.model("alexnet-imagenet.pt").toString(), null);
    try (NetSession session = net.newSession()) {
      String pair = "I04";
      List<TapActivation> a = session.activations(decode("calibration/ref/" + pair + ".bmp"));
      List<TapActivation> b = session.activations(decode("calibration/dist/" + pair + ".bmp"));
      double lpips = 0;
      for (int t = 0; t < a.size(); t++) {
        TapActivation ta = a.get(t);
        lpips += ArrayReadouts.compute(Readout.WEIGHTED, ta.values(), b.get(t).values(), ta.channels(), ta.height(),
            ta.width(), weights.forTap(ta.tap()));
      }
      assertEquals(expected.get(pair), lpips, 5e-5);
      assertEquals(2, session.forwardPasses());
    }
  }

  private static RgbImage decode(String relative) throws IOException {
    Path p = SharedData.data(relative);
    return ImageDecoder.decode(Files.readAllBytes(p), p.toString());
  }

  /** The lpips_alex_v0.1 row of expected.csv: metric,I03,I04,I06,settings. */
  private static Map<String, Double> expectedLpips() throws IOException {
    List<String> lines = Files.readAllLines(SharedData.data("calibration/expected.csv"));
    List<String> header = List.of(lines.get(0).split(","));
    for (String line : lines) {
      String[] cells = line.split(",");
      if (cells[0].equals("lpips_alex_v0.1")) {
        Map<String, Double> out = new HashMap<>();
        for (String pair : PAIRS) {
          out.put(pair, Double.parseDouble(cells[header.indexOf(pair)]));
        }
        return out;
      }
    }
    throw new AssertionError("no lpips_alex_v0.1 row in expected.csv");
  }
}
