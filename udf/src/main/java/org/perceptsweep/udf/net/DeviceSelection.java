package org.perceptsweep.udf.net;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.perceptsweep.core.UserInputException;

/**
 * Picks the DJL device a task runs its net on, from the requested mode and the GPU addresses Spark
 * assigned to the task. No Spark import: the caller passes the addresses as plain strings (on an
 * executor: {@code TaskContext.get().resourcesJMap().get("gpu").addresses()}, empty when the map has
 * no "gpu" entry or there is no TaskContext).
 *
 * <ul>
 *   <li>{@code cpu} (default): always the CPU, whatever was assigned.
 *   <li>{@code gpu}: the first assigned address; a clear error when none is assigned (names the
 *       Spark settings) or when the loaded libtorch was built without CUDA (names the native
 *       artifact to use).
 *   <li>{@code auto}: the first assigned GPU when there is one and libtorch has CUDA, else the CPU;
 *       the choice says why.
 * </ul>
 */
public final class DeviceSelection {
  /** Hadoop/Spark conf key (and system property) for the mode; CLI flag {@code --device}. */
  public static final String DEVICE_KEY = "perceptsweep.device";
  /** The same key as a Spark conf entry (spark-submit passes on only {@code spark.*} properties). */
  public static final String SPARK_DEVICE_KEY = "spark." + DEVICE_KEY;
  /** The resource name Spark uses for GPUs (spark.task.resource.gpu.amount etc.). */
  public static final String SPARK_GPU_RESOURCE = "gpu";

  static final String SPARK_GPU_SETTINGS = "spark.executor.resource.gpu.amount=1,"
      + " spark.task.resource.gpu.amount (e.g. 1, or 0.25 to share a GPU among 4 tasks) and"
      + " spark.executor.resource.gpu.discoveryScript=conf/gpu-discovery.sh (see conf/spark-gpu.conf)";
  static final String CUDA_NATIVE_HINT = "the executors' libtorch has no CUDA (the pytorch-native-cpu jar is"
      + " loaded): DJL's CUDA native artifact ai.djl.pytorch:pytorch-native-cu128:2.7.1 is not served by Maven"
      + " Central, so install libtorch 2.7.1 built for CUDA 12.8 on the executors (the torch==2.7.1+cu128 wheel's"
      + " torch/lib, or the libtorch cu128 zip) and set PYTORCH_LIBRARY_PATH to its lib folder, PYTORCH_VERSION=2.7.1"
      + " and PYTORCH_FLAVOR=cu128 in the executor environment (spark.executorEnv.*; see conf/spark-gpu.conf)";

  /** The requested device mode. */
  public enum Mode {
    CPU, GPU, AUTO;

    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code cpu}, {@code gpu} or {@code auto} (any case); null or blank is {@code cpu}. */
    public static Mode parse(String value) {
      if (value == null || value.isBlank()) {
        return CPU;
      }
      String v = value.trim().toLowerCase(Locale.ROOT);
      for (Mode m : values()) {
        if (m.key().equals(v)) {
          return m;
        }
      }
      throw new UserInputException("device '" + value.trim() + "' (" + DEVICE_KEY + " / --device) is not one of"
          + " cpu, gpu, auto; pick one of them");
    }
  }

  /** What the loaded engine offers; a seam so the selection logic is testable without a GPU. */
  public interface EngineInfo {
    /** Whether the loaded libtorch was built with CUDA. */
    boolean hasCuda();

    /** CUDA devices this process can see (-1 when unknown). */
    int visibleGpus();

    /** Engine name and version, for messages. */
    String describe();
  }

  /** The chosen device and, for logs, why. */
  public record Choice(Device device, String reason) {}

  private DeviceSelection() {}

  /** As {@link #select(Mode, List, EngineInfo)} with the PyTorch engine of this JVM (loaded only for gpu/auto). */
  public static Choice select(Mode mode, List<String> assignedGpus) {
    return select(mode, assignedGpus, mode == Mode.CPU ? null : pytorchEngine());
  }

  /**
   * @param mode the requested mode
   * @param assignedGpus the task's Spark-assigned GPU addresses (null or empty: none)
   * @param engine the engine's capabilities (may be null for {@link Mode#CPU})
   */
  public static Choice select(Mode mode, List<String> assignedGpus, EngineInfo engine) {
    Mode m = mode == null ? Mode.CPU : mode;
    List<String> gpus = clean(assignedGpus);
    switch (m) {
      case CPU:
        return new Choice(Device.cpu(), gpus.isEmpty() ? "device cpu requested"
            : "device cpu requested (assigned GPUs " + gpus + " are not used; set " + DEVICE_KEY + "=gpu to use them)");
      case GPU: {
        if (gpus.isEmpty()) {
          throw new UserInputException("device gpu requested (" + DEVICE_KEY + " / --device) but Spark assigned no GPU"
              + " to this task; set " + SPARK_GPU_SETTINGS + ", or run with --device cpu");
        }
        if (!engine.hasCuda()) {
          throw new UserInputException("device gpu requested and Spark assigned GPU " + gpus.get(0) + ", but "
              + CUDA_NATIVE_HINT + "; or run with --device cpu (" + engine.describe() + ")");
        }
        int ordinal = ordinal(gpus.get(0));
        checkVisible(ordinal, gpus.get(0), engine);
        return new Choice(Device.gpu(ordinal), "device gpu requested; Spark assigned " + gpus
            + ", using the first: " + Device.gpu(ordinal));
      }
      case AUTO: {
        if (gpus.isEmpty()) {
          return new Choice(Device.cpu(), "device auto: no GPU assigned to this task, using cpu");
        }
        if (engine == null || !engine.hasCuda()) {
          return new Choice(Device.cpu(), "device auto: Spark assigned GPU " + gpus.get(0)
              + " but libtorch has no CUDA, using cpu"
              + (engine == null ? "" : " (" + engine.describe() + ")"));
        }
        int ordinal = ordinal(gpus.get(0));
        checkVisible(ordinal, gpus.get(0), engine);
        return new Choice(Device.gpu(ordinal), "device auto: Spark assigned " + gpus + ", using the first: "
            + Device.gpu(ordinal));
      }
      default:
        throw new IllegalStateException("unhandled mode " + m);
    }
  }

  /** The PyTorch engine of this JVM (loads libtorch on first use). */
  public static EngineInfo pytorchEngine() {
    Engine engine = Engine.getEngine("PyTorch");
    return new EngineInfo() {
      @Override
      public boolean hasCuda() {
        return engine.hasCapability(StandardCapabilities.CUDA);
      }

      @Override
      public int visibleGpus() {
        try {
          return engine.getGpuCount();
        } catch (RuntimeException | LinkageError e) {
          return -1;
        }
      }

      @Override
      public String describe() {
        return engine.getEngineName() + " " + engine.getVersion();
      }
    };
  }

  private static List<String> clean(List<String> assigned) {
    List<String> out = new ArrayList<>();
    if (assigned != null) {
      for (String a : assigned) {
        if (a != null && !a.isBlank()) {
          out.add(a.trim());
        }
      }
    }
    return out;
  }

  private static int ordinal(String address) {
    try {
      int v = Integer.parseInt(address);
      if (v >= 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // fall through to the message
    }
    throw new UserInputException("Spark assigned GPU address '" + address + "', which is not a CUDA device index;"
        + " make the discovery script (spark.executor.resource.gpu.discoveryScript, e.g. conf/gpu-discovery.sh)"
        + " print indices such as \"0\", \"1\"");
  }

  private static void checkVisible(int ordinal, String address, EngineInfo engine) {
    int visible = engine.visibleGpus();
    if (visible >= 0 && ordinal >= visible) {
      String sees = visible == 0 ? "no CUDA device" : visible + " CUDA device(s) (indices 0.." + (visible - 1) + ")";
      throw new UserInputException("Spark assigned GPU " + address + " but this executor sees " + sees + "; make the discovery script report the devices"
          + " this process can see (check CUDA_VISIBLE_DEVICES on the executors)");
    }
  }
}
