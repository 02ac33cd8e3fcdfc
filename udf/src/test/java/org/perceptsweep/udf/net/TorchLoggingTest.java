package org.perceptsweep.udf.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.perceptsweep.core.UserInputException;

class TorchLoggingTest {
  @Test
  void levelsAreLibtorchsNamesOrNumbersAndUnsetIsError() {
    assertEquals(0, TorchLogging.level("INFO"));
    assertEquals(1, TorchLogging.level("warning"));
    assertEquals(2, TorchLogging.level(" ERROR "));
    assertEquals(3, TorchLogging.level("3"));
    assertEquals(2, TorchLogging.level(null));
    assertEquals(2, TorchLogging.level(""));
    UserInputException e = assertThrows(UserInputException.class, () -> TorchLogging.level("loud"));
    assertTrue(e.getMessage().contains("TORCH_CPP_LOG_LEVEL=loud") && e.getMessage().contains("ERROR"),
        e.getMessage());
  }

  /**
   * After a net loads, libtorch's own level flag in this JVM is the one asked for (libtorch's default,
   * which DJL leaves, is 1 = WARNING: the level that prints the NNPACK and AutoNonVariableTypeMode
   * lines). That nothing reaches stderr is checked on a real process in spark-jobs' ConsoleOutputTest.
   */
  @Test
  void loadingANetSetsLibtorchsLevel() {
    Nets.get("builtin:random-convnet", new Configuration());
    assertEquals(TorchLogging.level(System.getenv(TorchLogging.ENV)), TorchLogging.current());
  }
}
