package org.perceptsweep.udf.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TorchSettingsTest {
  @Test
  void theProjectDefaultTurnsTheGraphOptimizerOffOnlyWhenNotSet() {
    String before = System.getProperty(TorchSettings.GRAPH_OPTIMIZER);
    try {
      System.clearProperty(TorchSettings.GRAPH_OPTIMIZER);
      assertTrue(TorchSettings.graphOptimizer(), "DJL's own default (property unset) is on");
      TorchSettings.applyDefaults();
      assertEquals("false", System.getProperty(TorchSettings.GRAPH_OPTIMIZER));
      assertFalse(TorchSettings.graphOptimizer());

      System.setProperty(TorchSettings.GRAPH_OPTIMIZER, "true");
      TorchSettings.applyDefaults();
      assertEquals("true", System.getProperty(TorchSettings.GRAPH_OPTIMIZER), "a setting given by the user stays");
      assertTrue(TorchSettings.graphOptimizer());
    } finally {
      if (before == null) {
        System.clearProperty(TorchSettings.GRAPH_OPTIMIZER);
      } else {
        System.setProperty(TorchSettings.GRAPH_OPTIMIZER, before);
      }
    }
  }
}
