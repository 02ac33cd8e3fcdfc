package org.perceptsweep.udf.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.perceptsweep.core.UserInputException;
import org.perceptsweep.core.image.ImageDecoder;
import org.perceptsweep.core.image.RgbImage;
import org.perceptsweep.testing.SharedData;
import org.perceptsweep.udf.readout.ArrayReadouts;
import org.perceptsweep.udf.readout.NdReadouts;
import org.perceptsweep.udf.readout.ReadoutSet;

/**
 * Per-channel activation descriptors (spatial mean, population sd) computed on the engine's device
 * from the forward passes the readouts make anyway, against the plain-Java definition on
 * copied-back activations.
 */
class ActivationDescriptorsTest {
  /** Hand-worked: [2 images, 2 channels, 2x2]. */
  @Test
  void handWorkedTinyTensor() {
    float[] values = {
        3, 3, 3, 3, // image 0, channel 0: constant -> mean 3, sd 0
        1, 2, 3, 4, // image 0, channel 1: mean 2.5, sd sqrt((2.25+0.25+0.25+2.25)/4) = sqrt(1.25)
        -2, 2, -2, 2, // image 1, channel 0: mean 0, sd 2
        0, 0, 0, 8}; // image 1, channel 1: mean 2, sd sqrt((4+4+4+36)/4) = sqrt(12)
    float[][] expectedMean = {{3f, 2.5f}, {0f, 2f}};
    float[][] expectedStd = {{0f, (float) Math.sqrt(1.25)}, {2f, (float) Math.sqrt(12)}};
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      NDArray batch = m.create(values, new Shape(2, 2, 2, 2));
      NDArray d = NdReadouts.descriptors(batch);
      assertEquals(new Shape(2, 2, 2), d.getShape());
      float[] got = d.toFloatArray();
      for (int i = 0; i < 2; i++) {
        assertArrayEquals(expectedMean[i], new float[] {got[4 * i], got[4 * i + 1]}, 1e-6f, "means of image " + i);
        assertArrayEquals(expectedStd[i], new float[] {got[4 * i + 2], got[4 * i + 3]}, 1e-6f, "sds of image " + i);
      }
      List<TapDescriptor> split = DjlNetSession.describe("t", batch);
      assertArrayEquals(expectedMean[1], split.get(1).mean(), 1e-6f);
      assertArrayEquals(expectedStd[1], split.get(1).std(), 1e-6f);
      assertEquals(2, split.get(1).height());
    }
    for (int i = 0; i < 2; i++) {
      float[] one = new float[8];
      System.arraycopy(values, 8 * i, one, 0, 8);
      double[][] plain = ArrayReadouts.descriptors(one, 2, 2, 2);
      for (int c = 0; c < 2; c++) {
        assertEquals(expectedMean[i][c], plain[0][c], 1e-6);
        assertEquals(expectedStd[i][c], plain[1][c], 1e-6);
      }
    }
    assertEquals(0.0, ArrayReadouts.descriptors(new float[] {5, 5, 5, 5, 5, 5}, 1, 2, 3)[1][0], "constant channel: sd 0");
  }

  @Test
  void randomConvNetReferenceAndDistortedDescriptorsMatchPlainJava() {
    DjlFeatureNet net = RandomConvNet.build(Device.cpu());
    try (NetSession session = net.newSession(2)) {
      RgbImage ref = NetsTest.gradientImage(40, 36, 0f);
      List<RgbImage> distorted = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        distorted.add(NetsTest.gradientImage(40, 36, 0.03f * (i + 1)));
      }
      ReadoutSet plain = ReadoutSet.parse("l2", null, null).onTaps(List.of("conv3", "conv1"));
      // Maps of conv1 (also described: same-forward check) and conv2 (not described).
      ReadoutSet with = plain.withActivations(true, List.of("conv1", "conv2"));
      long before = session.forwardPasses();
      List<PairReadouts> without;
      try (ReferenceActivations a = session.forwardReference(ref)) {
        without = session.measure(a, distorted, plain);
      }
      long passesWithout = session.forwardPasses() - before;
      ImageActivations refActs;
      List<PairReadouts> results;
      before = session.forwardPasses();
      try (ReferenceActivations a = session.forwardReference(ref)) {
        refActs = a.activations(with);
        results = session.measure(a, distorted, with);
      }
      assertEquals(4, passesWithout, "1 reference + 3 distorted");
      assertEquals(passesWithout, session.forwardPasses() - before, "activations cost no forward pass");
      for (int i = 0; i < 3; i++) {
        assertEquals(ImageActivations.NONE, without.get(i).activations());
        assertEquals(without.get(i).distances(), results.get(i).distances(), "readouts unchanged");
      }
      checkAgainstPlainJava(net.card(), refActs, session.activations(ref), List.of("conv3", "conv1"),
          List.of("conv1", "conv2"));
      for (int i = 0; i < 3; i++) {
        checkAgainstPlainJava(net.card(), results.get(i).activations(), session.activations(distorted.get(i)),
            List.of("conv3", "conv1"), List.of("conv1", "conv2"));
      }
    } finally {
      net.retire();
    }
  }

  @Test
  void alexNetDescriptorsMatchPlainJava() throws IOException {
    Path model = SharedData.model("alexnet-imagenet.pt");
    FeatureNet net = Nets.get(model.toUri().toString(), new Configuration());
    List<String> taps = net.card().taps().stream().map(TapInfo::name).toList();
    ReadoutSet set = ReadoutSet.parse("l2", null, null).withActivations(true, taps);
    try (NetSession session = net.newSession()) {
      RgbImage ref = decode("calibration/ref/I04.bmp");
      RgbImage dist = decode("calibration/dist/I04.bmp");
      ImageActivations refActs;
      PairReadouts pair;
      try (ReferenceActivations a = session.forwardReference(ref)) {
        refActs = a.activations(set);
        pair = session.measure(a, List.of(dist), set).get(0);
      }
      assertEquals(2, session.forwardPasses());
      checkAgainstPlainJava(net.card(), refActs, session.activations(ref), taps, taps);
      checkAgainstPlainJava(net.card(), pair.activations(), session.activations(dist), taps, taps);
    }
  }

  @Test
  void unknownMapTapNamesTheNetAndItsTaps() {
    DjlFeatureNet net = RandomConvNet.build(Device.cpu());
    try {
      ReadoutSet set = ReadoutSet.parse("l2", null, null).withActivations(false, List.of("conv2", "relu9"));
      UserInputException e = assertThrows(UserInputException.class,
          () -> set.resolveTaps(net.card().name(), net.card().tapChannels()));
      assertEquals("unknown tap 'relu9' for net random-convnet (--activation-maps): its taps are conv1, conv2, conv3,"
          + " conv4; name taps of this net's card", e.getMessage());
    } finally {
      net.retire();
    }
  }

  /** Descriptors and maps leave no native arrays behind; the reference keeps only its taps. */
  @Test
  void activationsLeaveNoNativeArraysBehind() {
    ReadoutSet set = ReadoutSet.parse("l2", null, null).withActivations(true, List.of("conv1", "conv4"));
    NativeArrayRounds.assertOnlyTheReferenceStays(set, 4, "the reference's 4 taps", ref -> ref.activations(set));
  }


  /**
   * Device descriptors against {@link ArrayReadouts#descriptors}. On the same activations (the maps
   * copied back from the same forward, where asked) to 1e-5 relative to the channel's scale
   * sqrt(mean^2 + sd^2), its RMS: float32 sums over h*w are accurate relative to it, and a channel
   * whose mean is near 0 has no other meaningful scale. Against the single-image forward of
   * {@link NetSession#activations} to 1e-5 relative to the tap's largest channel scale: a batch
   * forward differs from a single one by float rounding, which a near-constant channel amplifies.
   */
  private static void checkAgainstPlainJava(NetCard card, ImageActivations got, List<TapActivation> single,
      List<String> taps, List<String> mapTaps) {
    assertEquals(taps, got.descriptors().stream().map(TapDescriptor::tap).toList(), "descriptors in the set's tap order");
    assertEquals(mapTaps, got.maps().stream().map(TapActivation::tap).toList(), "maps of the chosen taps only");
    for (TapDescriptor d : got.descriptors()) {
      TapActivation a = single.get(card.tapIndex(d.tap()));
      assertEquals(List.of(a.channels(), a.height(), a.width()), List.of(d.channels(), d.height(), d.width()));
      double[][] expected = ArrayReadouts.descriptors(a.values(), a.channels(), a.height(), a.width());
      double tapScale = 0;
      for (int c = 0; c < d.channels(); c++) {
        tapScale = Math.max(tapScale, Math.hypot(expected[0][c], expected[1][c]));
      }
      int nonConstant = 0;
      for (int c = 0; c < d.channels(); c++) {
        assertEquals(expected[0][c], d.mean()[c], 1e-5 * tapScale, d.tap() + " mean vs single forward, channel " + c);
        assertEquals(expected[1][c], d.std()[c], 1e-5 * tapScale, d.tap() + " sd vs single forward, channel " + c);
        nonConstant += expected[1][c] > 0 ? 1 : 0;
      }
      assertTrue(nonConstant > 0, d.tap() + ": some channel varies, so the comparison means something");
      for (TapActivation map : got.maps()) {
        if (map.tap().equals(d.tap())) {
          double[][] same = ArrayReadouts.descriptors(map.values(), map.channels(), map.height(), map.width());
          for (int c = 0; c < d.channels(); c++) {
            double scale = Math.hypot(same[0][c], same[1][c]);
            assertEquals(same[0][c], d.mean()[c], 1e-5 * scale, d.tap() + " mean, channel " + c);
            assertEquals(same[1][c], d.std()[c], 1e-5 * scale, d.tap() + " sd, channel " + c);
          }
        }
      }
    }
    for (TapActivation map : got.maps()) {
      TapActivation a = single.get(card.tapIndex(map.tap()));
      assertEquals(List.of(a.channels(), a.height(), a.width()), List.of(map.channels(), map.height(), map.width()));
      double max = 0;
      for (float v : a.values()) {
        max = Math.max(max, Math.abs(v));
      }
      for (int k = 0; k < a.values().length; k++) {
        assertEquals(a.values()[k], map.values()[k], 1e-5 * max, map.tap() + " value " + k);
      }
    }
  }

  private static RgbImage decode(String relative) throws IOException {
    Path p = SharedData.data(relative);
    return ImageDecoder.decode(Files.readAllBytes(p), p.toString());
  }
}
