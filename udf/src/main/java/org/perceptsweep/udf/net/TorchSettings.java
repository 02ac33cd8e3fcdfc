package org.perceptsweep.udf.net;

/**
 * PerceptSweep's libtorch settings that DJL reads from system properties.
 *
 * <p>{@value #GRAPH_OPTIMIZER}: the TorchScript graph executor's optimizer (profiling runs, then
 * specialised and fused graphs per input shape). DJL leaves it on unless the property is set; it
 * is a per-thread switch that DJL applies in every forward call from the property. With image sets
 * of many sizes it profiles and specialises again for each new shape; off measured no slower in
 * the benchmark's warm rounds (docs/benchmarks.md, within noise), so the project default is off: {@link #applyDefaults()} sets the property to false unless the JVM was
 * started with it (-Dai.djl.pytorch.graph_optimizer=true turns it back on). It is called where
 * nets are loaded ({@link Nets}), so driver and executor JVMs alike get it, whatever launched them.
 */
public final class TorchSettings {
  public static final String GRAPH_OPTIMIZER = "ai.djl.pytorch.graph_optimizer";
  /**
   * System property: feed images to the nets channels-last (default true; false feeds them
   * channel-planar, as a plain script does). See {@link ImageBatchTranslator}.
   */
  public static final String CHANNELS_LAST = "perceptsweep.nets.channelsLast";
  static final String PROJECT_DEFAULT = "false";

  private TorchSettings() {}

  /** Sets the project defaults for properties the JVM was not started with. */
  public static void applyDefaults() {
    if (System.getProperty(GRAPH_OPTIMIZER) == null) {
      System.setProperty(GRAPH_OPTIMIZER, PROJECT_DEFAULT);
    }
  }

  /** Whether images go to the nets channels-last ({@value #CHANNELS_LAST}, default true). */
  public static boolean channelsLast() {
    String v = System.getProperty(CHANNELS_LAST);
    return v == null || Boolean.parseBoolean(v.trim());
  }

  /** Whether forward passes in this JVM run with the graph executor optimizer (DJL: on when the property is unset). */
  public static boolean graphOptimizer() {
    String v = System.getProperty(GRAPH_OPTIMIZER);
    return v == null || Boolean.parseBoolean(v.trim());
  }
}
