package org.perceptsweep.udf.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.perceptsweep.core.Learning;
import org.perceptsweep.core.UserInputException;
import org.perceptsweep.testing.SharedData;

/** Learning kind, depth and parameter count: from the card, its goal, or counted in the model file. */
class NetFactsTest {
  @TempDir
  static Path tmp;

  @AfterAll
  static void restoreCache() {
    Nets.resetForTests(4);
  }

  private static NetFacts factsOf(String model) {
    Configuration conf = new Configuration();
    conf.set(Nets.CACHE_DIR_KEY, tmp.resolve("cache").toString());
    return Nets.get(SharedData.model(model + ".pt").toUri().toString(), conf).facts();
  }

  /**
   * The shared cards have no depth or parameter count: both are counted in the TorchScript files.
   * Expected values by hand from torchvision's definitions of the exported parts: AlexNet features
   * (5 convs: 64x3x11x11, 192x64x5x5, 384x192x3x3, 256x384x3x3, 256x256x3x3, with biases);
   * SqueezeNet 1.1 features (1 conv + 8 fire modules of 3 convs); MobileNetV2 features (first conv,
   * 17 inverted-residual blocks: 2 convs in block 1, 3 in the others, last 1x1 conv); the DeepLab
   * backbone stops at block 17 (no last conv).
   */
  @Test
  void sharedNetsAreCountedFromTheirFiles() {
    long alex = 64 * 3 * 121 + 64 + 192 * 64 * 25 + 192 + 384 * 192 * 9 + 384 + 256 * 384 * 9 + 256
        + 256 * 256 * 9 + 256;
    assertEquals(2_469_696, alex);
    NetFacts a = factsOf("alexnet-imagenet");
    assertEquals(new NetFacts(Learning.SUPERVISED, NetFacts.GOAL, 5, NetFacts.MODEL_FILE, alex, NetFacts.MODEL_FILE), a);
    NetFacts au = factsOf("alexnet-untrained");
    assertEquals(Learning.NONE, au.learning());
    assertEquals(5, au.depth());
    assertEquals(alex, au.parameters());

    NetFacts s = factsOf("squeezenet1_1-imagenet");
    assertEquals(1 + 8 * 3, s.depth());
    assertEquals(722_496, s.parameters());
    assertEquals(Learning.SUPERVISED, s.learning());
    assertEquals(Learning.NONE, factsOf("squeezenet1_1-untrained").learning());

    NetFacts m = factsOf("mobilenet_v2-imagenet");
    assertEquals(1 + 2 + 16 * 3 + 1, m.depth());
    assertEquals(2_223_872, m.parameters());
    assertEquals(52, factsOf("mobilenet_v2-nsfw").depth());
    NetFacts d = factsOf("mobilenet_v2-deeplabv3-voc");
    assertEquals(51, d.depth());
    assertEquals(Learning.SUPERVISED, d.learning(), "semantic segmentation is a supervised goal");
  }

  @Test
  void builtinCardStatesWhatItsBlockHolds() {
    NetCard card = RandomConvNet.card();
    assertEquals(Learning.NONE, card.learning());
    assertEquals(60_512L, card.parameters());
    DjlFeatureNet net = RandomConvNet.build(Device.cpu());
    try {
      assertEquals(new WeightCount(card.depth(), card.parameters()), net.countWeights());
      assertEquals(new NetFacts(Learning.NONE, NetFacts.CARD, 4, NetFacts.CARD, 60_512, NetFacts.CARD), net.facts());
    } finally {
      net.retire();
    }
  }

  @Test
  void cardValuesComeFirstAndTheModelIsCountedOnlyWhenNeeded() {
    NetCard full = card("\"learning\": \"self-supervised\", \"depth\": 50, \"parameters\": 23500000");
    NetFacts f = NetFacts.resolve(full, () -> {
      throw new AssertionError("a card with depth and parameters needs no counting");
    });
    assertEquals(new NetFacts(Learning.SELF_SUPERVISED, NetFacts.CARD, 50, NetFacts.CARD, 23_500_000L, NetFacts.CARD), f);
    NetFacts partial = NetFacts.resolve(card("\"depth\": 7"), () -> new WeightCount(3, 1234));
    assertEquals(new NetFacts(Learning.SUPERVISED, NetFacts.GOAL, 7, NetFacts.CARD, 1234, NetFacts.MODEL_FILE),
        partial);
  }

  @Test
  void badFactsInACardAreOneClearError() {
    UserInputException e = assertThrows(UserInputException.class, () -> card("\"learning\": \"reinforced\""));
    assertTrue(e.getMessage().contains("card.json") && e.getMessage().contains("self-supervised"), e.getMessage());
    e = assertThrows(UserInputException.class, () -> card("\"depth\": -3"));
    assertTrue(e.getMessage().contains("\"depth\" must be a positive whole number"), e.getMessage());
    e = assertThrows(UserInputException.class, () -> card("\"parameters\": \"many\""));
    assertTrue(e.getMessage().contains("\"parameters\""), e.getMessage());
  }

  @Test
  void learningFollowsTheGoal() {
    assertEquals(Learning.NONE, Learning.fromGoal("none (random init, seed 0)", "none"));
    assertEquals(Learning.NONE, Learning.fromGoal("anything", "none"));
    assertEquals(Learning.SUPERVISED, Learning.fromGoal("classification", "imagenet-1k"));
    assertEquals(Learning.SUPERVISED, Learning.fromGoal("nsfw classification (5 classes, fine-tuned from ImageNet)",
        "nsfw-5class"));
    assertEquals(Learning.SUPERVISED, Learning.fromGoal("semantic segmentation", "pascal-voc-2012"));
    assertEquals(Learning.SELF_SUPERVISED, Learning.fromGoal("self-supervised-contrastive", "imagenet-1k"));
    assertEquals(Learning.PERCEPTUAL, Learning.fromGoal("perceptual similarity (LPIPS)", "bapps"));
    assertEquals(Learning.SELF_SUPERVISED, Learning.fromGoal("jigsaw puzzles", "imagenet-1k"));
    assertEquals(null, Learning.fromGoal("style transfer", "coco"), "a goal the rules do not know says nothing");
    NetFacts unknown = NetFacts.resolve(new NetCard("n", "a", "style transfer", "imagenet-1k", List.of(new TapInfo("t", 1)),
        "0".repeat(64), ""), () -> new WeightCount(1, 1));
    assertEquals(null, unknown.learning());
    assertEquals(NetFacts.UNKNOWN, unknown.learningSource());
  }

  private static NetCard card(String extra) {
    String json = "{\"name\": \"n\", \"architecture\": \"resnet50\", \"goal\": \"classification\","
        + " \"training_data\": \"imagenet-1k\", \"taps\": [{\"name\": \"t\", \"channels\": 8}],"
        + " \"sha256\": \"" + "a".repeat(64) + "\", " + extra + "}";
    return NetCards.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "card.json");
  }
}
