package org.perceptsweep.udf.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import java.util.List;
import java.util.function.Consumer;
import org.perceptsweep.core.image.RgbImage;
import org.perceptsweep.udf.readout.ReadoutSet;

/**
 * The native-array leak check the session tests share: on the built-in net, one reference and a
 * batch of three 32x32 images measured three times with {@code set}; after every round the net's
 * manager holds its baseline plus exactly {@code held} arrays (the reference's), and its baseline
 * once the reference closes.
 */
final class NativeArrayRounds {
  private NativeArrayRounds() {}

  /**
   * @param held arrays the open reference keeps, named by {@code what} in the failure message
   * @param eachRound more work with the reference in every round, before measure
   */
  static void assertOnlyTheReferenceStays(ReadoutSet set, int held, String what,
      Consumer<ReferenceActivations> eachRound) {
    DjlFeatureNet net = RandomConvNet.build(Device.cpu());
    try {
      int baseline = net.liveArrays();
      try (NetSession session = net.newSession(2)) {
        ReferenceActivations ref = session.forwardReference(NetsTest.gradientImage(32, 32, 0f));
        List<RgbImage> batch = List.of(NetsTest.gradientImage(32, 32, 0.1f), NetsTest.gradientImage(32, 32, 0.2f),
            NetsTest.gradientImage(32, 32, 0.3f));
        for (int round = 0; round < 3; round++) {
          eachRound.accept(ref);
          session.measure(ref, batch, set);
          assertEquals(baseline + held, net.liveArrays(), what + ", round " + round);
        }
        ref.close();
        assertEquals(baseline, net.liveArrays());
      }
    } finally {
      net.retire();
    }
  }
}
