package org.perceptsweep.udf;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.perceptsweep.testing.SharedData;

class SharedDataSmokeTest {
  @Test
  void findsSharedModels() throws Exception {
    assertTrue(Files.size(SharedData.model("alexnet-imagenet.pt")) > 1_000_000);
  }
}
