package org.perceptsweep.udf.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.perceptsweep.core.UserInputException;
import org.perceptsweep.core.image.RgbImage;
import org.perceptsweep.udf.readout.ArrayReadouts;
import org.perceptsweep.udf.readout.ChannelTermKind;
import org.perceptsweep.udf.readout.Readout;
import org.perceptsweep.udf.readout.ReadoutSet;
import org.perceptsweep.udf.readout.TapCombine;

/**
 * Every readout, tap selection, tap combination and channel term through a real session of the
 * built-in net (batched on the engine), against the plain-Java readouts on copied-back activations.
 */
class ReadoutMeasureTest {
  @TempDir
  Path tmp;

  @Test
  void measureMatchesPlainJavaOnChosenTapsWithCombinationsAndTerms() throws Exception {
    Path weightsFile = tmp.resolve("w.json");
    Files.writeString(weightsFile, "{\"taps\": {\"conv2\": " + ramp(32) + ", \"conv4\": " + ramp(64) + "}}");
    Configuration conf = new Configuration();
    ReadoutSet set = ReadoutSet.parse("l2,mse,unit_l2,weighted,mean_std,gram,dists,cosine", weightsFile.toString(),
            conf)
        .onTaps(List.of("conv4", "conv2"))
        .withCombine(List.of(TapCombine.SUM, TapCombine.CONCAT))
        .withChannelTerms(List.of(ChannelTermKind.UNIT_L2, ChannelTermKind.MSE));
    DjlFeatureNet net = RandomConvNet.build(Device.cpu());
    try (NetSession session = net.newSession(2)) {
      RgbImage ref = NetsTest.gradientImage(40, 36, 0f);
      List<RgbImage> distorted = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        distorted.add(NetsTest.gradientImage(40, 36, 0.03f * (i + 1)));
      }
      List<PairReadouts> results;
      try (ReferenceActivations activations = session.forwardReference(ref)) {
        results = session.measure(activations, distorted, set);
      }
      List<TapActivation> refActs = session.activations(ref);
      for (int i = 0; i < 3; i++) {
        Map<String, Map<String, Double>> row = results.get(i).distances();
        assertEquals(List.of("conv4", "conv2", "sum", "concat"), List.copyOf(row.keySet()), "taps in --taps order");
        List<TapActivation> distActs = session.activations(distorted.get(i));
        double[] sums = new double[set.readouts().size()];
        double squared = 0;
        double count = 0;
        for (String tap : List.of("conv4", "conv2")) {
          TapActivation a = refActs.get(net.card().tapIndex(tap));
          TapActivation b = distActs.get(net.card().tapIndex(tap));
          for (int k = 0; k < set.readouts().size(); k++) {
            Readout r = set.readouts().get(k);
            double expected = ArrayReadouts.compute(r, a.values(), b.values(), a.channels(), a.height(), a.width(),
                set.weights().forTap(tap));
            assertTrue(expected > 0, r + " on " + tap);
            assertEquals(expected, row.get(tap).get(r.key()), 1e-5 * expected, tap + " " + r + " image " + i);
            sums[k] += expected;
          }
          double l2 = ArrayReadouts.compute(Readout.L2, a.values(), b.values(), a.channels(), a.height(), a.width(),
              null);
          squared += l2 * l2;
          count += a.values().length;
          for (ChannelTermKind kind : ChannelTermKind.values()) {
            double[] expected = ArrayReadouts.channelTerms(kind, a.values(), b.values(), a.channels(), a.height(),
                a.width());
            float[] got = results.get(i).channelTerms().get(tap).get(kind.key());
            assertEquals(a.channels(), got.length);
            // The batched forward and the single-image forward differ by float rounding; a channel whose
            // difference is tiny amplifies that, so the tolerance is relative to the tap's total (the
            // readout arithmetic itself is checked on identical inputs in ReadoutsTest).
            double total = java.util.Arrays.stream(expected).sum();
            for (int c = 0; c < expected.length; c++) {
              assertEquals(expected[c], got[c], 1e-5 * total, tap + " " + kind + " channel " + c);
            }
          }
        }
        for (int k = 0; k < sums.length; k++) {
          String key = set.readouts().get(k).key();
          assertEquals(sums[k], row.get("sum").get(key), 1e-5 * sums[k], "sum of " + key);
        }
        // concat: l2 and mse of both taps flattened into one vector.
        assertEquals(List.of("l2", "mse"), List.copyOf(row.get("concat").keySet()));
        assertEquals(Math.sqrt(squared), row.get("concat").get("l2"), 1e-5 * Math.sqrt(squared));
        assertEquals(squared / count, row.get("concat").get("mse"), 1e-5 * squared / count);
      }
    } finally {
      net.retire();
    }
  }

  @Test
  void withoutCombineOnlyWeightedIsSummedAndConcatNeedsNoL2() throws Exception {
    Configuration conf = new Configuration();
    DjlFeatureNet net = RandomConvNet.build(Device.cpu());
    try (NetSession session = net.newSession(4)) {
      RgbImage ref = NetsTest.gradientImage(32, 32, 0f);
      List<RgbImage> dist = List.of(NetsTest.gradientImage(32, 32, 0.05f));
      Map<String, Map<String, Double>> plain;
      Map<String, Map<String, Double>> concat;
      try (ReferenceActivations a = session.forwardReference(ref)) {
        plain = session.compare(a, dist, ReadoutSet.parse("cosine,dists", null, conf)).get(0);
        concat = session.compare(a, dist, ReadoutSet.parse("cosine", null, conf)
            .withCombine(List.of(TapCombine.CONCAT))).get(0);
      }
      assertEquals(List.of("conv1", "conv2", "conv3", "conv4"), List.copyOf(plain.keySet()), "no pseudo-taps");
      assertEquals(List.of("cosine"), List.copyOf(concat.get("conv1").keySet()), "l2 computed, not reported");
      double squared = 0;
      List<TapActivation> ra = session.activations(ref);
      List<TapActivation> da = session.activations(dist.get(0));
      for (int t = 0; t < 4; t++) {
        double l2 = ArrayReadouts.compute(Readout.L2, ra.get(t).values(), da.get(t).values(), ra.get(t).channels(),
            ra.get(t).height(), ra.get(t).width(), null);
        squared += l2 * l2;
      }
      assertEquals(Math.sqrt(squared), concat.get("concat").get("l2"), 1e-5 * Math.sqrt(squared));
    } finally {
      net.retire();
    }
  }

  @Test
  void unknownTapIsAClearError() {
    DjlFeatureNet net = RandomConvNet.build(Device.cpu());
    try (NetSession session = net.newSession(2)) {
      ReadoutSet set = ReadoutSet.parse("l2", null, null).onTaps(List.of("conv1", "relu3"));
      UserInputException e = assertThrows(UserInputException.class,
          () -> set.resolveTaps(net.card().name(), net.card().tapChannels()));
      assertTrue(e.getMessage().contains("unknown tap 'relu3'") && e.getMessage().contains("conv1, conv2, conv3, conv4")
          && e.getMessage().contains("random-convnet"), e.getMessage());
      try (ReferenceActivations a = session.forwardReference(NetsTest.gradientImage(32, 32, 0f))) {
        assertThrows(UserInputException.class, () -> session.measure(a, List.of(NetsTest.gradientImage(32, 32, 0.1f)),
            set));
      }
    } finally {
      net.retire();
    }
  }

  /**
   * Reference-derived temporaries (Gram inputs, differences) die with each call; what the reference
   * keeps for its next batches stays with it: per tap of the built-in net (4) the activations, the
   * unit-normalised activations and the spatial mean and variance (mean_std, dists): 16 arrays.
   */
  @Test
  void everyReadoutAndTermLeavesNoNativeArraysBehind() {
    ReadoutSet set = ReadoutSet.parse("l2,mse,unit_l2,mean_std,gram,dists,cosine", null, null)
        .withCombine(List.of(TapCombine.SUM, TapCombine.CONCAT))
        .withChannelTerms(List.of(ChannelTermKind.UNIT_L2, ChannelTermKind.MSE));
    NativeArrayRounds.assertOnlyTheReferenceStays(set, 16, "taps + unit-normalised taps + means and variances",
        ref -> { });
  }


  private static String ramp(int channels) {
    float[] w = new float[channels];
    for (int c = 0; c < channels; c++) {
      w[c] = 0.01f * (1 + c % 5);
    }
    StringBuilder sb = new StringBuilder("[");
    for (int c = 0; c < channels; c++) {
      sb.append(c == 0 ? "" : ", ").append(w[c]);
    }
    return sb.append(']').toString();
  }
}
