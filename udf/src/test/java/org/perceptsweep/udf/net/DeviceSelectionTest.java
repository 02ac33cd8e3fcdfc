package org.perceptsweep.udf.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.perceptsweep.core.UserInputException;
import org.perceptsweep.udf.net.DeviceSelection.Choice;
import org.perceptsweep.udf.net.DeviceSelection.EngineInfo;
import org.perceptsweep.udf.net.DeviceSelection.Mode;

class DeviceSelectionTest {
  private static final EngineInfo CUDA_4 = engine(true, 4);
  private static final EngineInfo CPU_ONLY = engine(false, 0);
  /** A CUDA build whose GPU count could not be read. */
  private static final EngineInfo CUDA_UNKNOWN = engine(true, -1);

  @Test
  void modeParsesCaseInsensitivelyAndDefaultsToCpu() {
    assertEquals(Mode.CPU, Mode.parse(null));
    assertEquals(Mode.CPU, Mode.parse("  "));
    assertEquals(Mode.CPU, Mode.parse("cpu"));
    assertEquals(Mode.GPU, Mode.parse(" GPU "));
    assertEquals(Mode.AUTO, Mode.parse("Auto"));
    UserInputException e = assertThrows(UserInputException.class, () -> Mode.parse("cuda"));
    assertTrue(e.getMessage().contains("'cuda'") && e.getMessage().contains(DeviceSelection.DEVICE_KEY)
        && e.getMessage().contains("cpu, gpu, auto"), e.getMessage());
  }

  @Test
  void cpuModeIgnoresAssignedGpusAndNeedsNoEngine() {
    assertEquals(Device.cpu(), DeviceSelection.select(Mode.CPU, List.of(), null).device());
    Choice c = DeviceSelection.select(Mode.CPU, List.of("2"), null);
    assertEquals(Device.cpu(), c.device());
    assertTrue(c.reason().contains("[2]"), c.reason());
    // The engine-free overload never loads libtorch for cpu.
    assertEquals(Device.cpu(), DeviceSelection.select(Mode.CPU, null).device());
    assertEquals(Device.cpu(), DeviceSelection.select(null, List.of("0"), null).device());
  }

  @Test
  void gpuModeTakesTheFirstAssignedAddress() {
    assertEquals(Device.gpu(0), DeviceSelection.select(Mode.GPU, List.of("0"), CUDA_4).device());
    assertEquals(Device.gpu(3), DeviceSelection.select(Mode.GPU, List.of(" 3 ", "1"), CUDA_4).device());
    assertEquals(Device.gpu(1), DeviceSelection.select(Mode.GPU, Arrays.asList(null, "", "1"), CUDA_4).device());
    assertEquals(Device.gpu(7), DeviceSelection.select(Mode.GPU, List.of("7"), CUDA_UNKNOWN).device());
    Choice c = DeviceSelection.select(Mode.GPU, List.of("2", "3"), CUDA_4);
    assertEquals("gpu", c.device().getDeviceType());
    assertEquals(2, c.device().getDeviceId());
    assertTrue(c.reason().contains("[2, 3]"), c.reason());
  }

  @Test
  void gpuModeWithoutAssignedGpuNamesTheSparkSettings() {
    for (List<String> none : Arrays.asList(List.<String>of(), null, List.of(" "))) {
      UserInputException e = assertThrows(UserInputException.class,
          () -> DeviceSelection.select(Mode.GPU, none, CUDA_4));
      String m = e.getMessage();
      assertTrue(m.contains("spark.executor.resource.gpu.amount"), m);
      assertTrue(m.contains("spark.task.resource.gpu.amount"), m);
      assertTrue(m.contains("spark.executor.resource.gpu.discoveryScript"), m);
      assertTrue(m.contains("conf/gpu-discovery.sh") && m.contains("--device cpu"), m);
      assertFalse(m.contains("\n"), "one line");
    }
  }

  @Test
  void gpuModeOnACpuOnlyLibtorchAsksForTheCudaNativeArtifact() {
    UserInputException e = assertThrows(UserInputException.class,
        () -> DeviceSelection.select(Mode.GPU, List.of("0"), CPU_ONLY));
    String m = e.getMessage();
    assertTrue(m.contains("pytorch-native-cu128") && m.contains("PYTORCH_LIBRARY_PATH")
        && m.contains("PYTORCH_FLAVOR=cu128") && m.contains("fake-engine"), m);
    assertFalse(m.contains("\n"), "one line");
  }

  @Test
  void autoFallsBackToCpuAndSaysWhy() {
    Choice none = DeviceSelection.select(Mode.AUTO, List.of(), CUDA_4);
    assertEquals(Device.cpu(), none.device());
    assertTrue(none.reason().contains("no GPU assigned"), none.reason());
    Choice noCuda = DeviceSelection.select(Mode.AUTO, List.of("1"), CPU_ONLY);
    assertEquals(Device.cpu(), noCuda.device());
    assertTrue(noCuda.reason().contains("no CUDA"), noCuda.reason());
    assertEquals(Device.gpu(1), DeviceSelection.select(Mode.AUTO, List.of("1", "0"), CUDA_4).device());
  }

  @Test
  void addressesThatAreNotVisibleDeviceIndicesAreRejected() {
    UserInputException uuid = assertThrows(UserInputException.class,
        () -> DeviceSelection.select(Mode.GPU, List.of("GPU-5f2c"), CUDA_4));
    assertTrue(uuid.getMessage().contains("'GPU-5f2c'") && uuid.getMessage().contains("discoveryScript"),
        uuid.getMessage());
    assertThrows(UserInputException.class, () -> DeviceSelection.select(Mode.GPU, List.of("-1"), CUDA_4));
    UserInputException beyond = assertThrows(UserInputException.class,
        () -> DeviceSelection.select(Mode.AUTO, List.of("4"), CUDA_4));
    assertTrue(beyond.getMessage().contains("sees 4 CUDA device(s) (indices 0..3)")
        && beyond.getMessage().contains("CUDA_VISIBLE_DEVICES"), beyond.getMessage());
    UserInputException zero = assertThrows(UserInputException.class,
        () -> DeviceSelection.select(Mode.GPU, List.of("0"), engine(true, 0)));
    assertTrue(zero.getMessage().contains("sees no CUDA device"), zero.getMessage());
  }

  /** The real engine of this build: the CPU libtorch jar, so gpu must fail with the CUDA hint. */
  @Test
  void thisBuildsLibtorchHasNoCudaSoGpuFailsClearly() {
    EngineInfo real = DeviceSelection.pytorchEngine();
    if (real.hasCuda()) {
      // A CUDA libtorch (PYTORCH_LIBRARY_PATH) makes gpu selectable; the GPU machine check covers that.
      assertEquals(Device.gpu(0), DeviceSelection.select(Mode.GPU, List.of("0")).device());
      return;
    }
    assertTrue(real.describe().startsWith("PyTorch"), real.describe());
    UserInputException e = assertThrows(UserInputException.class,
        () -> DeviceSelection.select(Mode.GPU, List.of("0")));
    assertTrue(e.getMessage().contains("pytorch-native-cu128"), e.getMessage());
    assertEquals(Device.cpu(), DeviceSelection.select(Mode.AUTO, List.of("0")).device());
  }

  /** conf/gpu-discovery.sh prints Spark's resource JSON from nvidia-smi (a stand-in on PATH here). */
  @Test
  void discoveryScriptPrintsSparkResourceJson(@TempDir Path tmp) throws Exception {
    Path script = Path.of("..", "conf", "gpu-discovery.sh").toAbsolutePath().normalize();
    assertTrue(Files.isRegularFile(script), "missing " + script);
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path smi = bin.resolve("nvidia-smi");
    Files.writeString(smi, "#!/bin/sh\n[ \"$1\" = \"--query-gpu=index\" ] || exit 9\nprintf '0\\n1\\n2\\n'\n");
    smi.toFile().setExecutable(true);
    String path = bin + ":" + System.getenv("PATH");
    assertEquals(List.of("0", "{\"name\": \"gpu\", \"addresses\": [\"0\",\"1\",\"2\"]}"),
        runScript(script, Map.of("PATH", path)));
    // CUDA_VISIBLE_DEVICES renumbers: the process sees its two devices as 0 and 1.
    assertEquals(List.of("0", "{\"name\": \"gpu\", \"addresses\": [\"0\",\"1\"]}"),
        runScript(script, Map.of("PATH", path, "CUDA_VISIBLE_DEVICES", "3,5")));
    // No nvidia-smi at all: non-zero with a reason on stderr.
    List<String> none = runScript(script, Map.of("PATH", tmp.resolve("empty") + ":/usr/bin:/bin"));
    if (!Files.exists(Path.of("/usr/bin/nvidia-smi")) && !Files.exists(Path.of("/bin/nvidia-smi"))) {
      assertEquals("1", none.get(0));
      assertTrue(none.get(1).contains("nvidia-smi not found"), none.toString());
    }
  }

  /** Runs the script with extra environment; returns [exit code, stdout + stderr lines...]. */
  private static List<String> runScript(Path script, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("/bin/bash", script.toString()).redirectErrorStream(true);
    pb.environment().remove("CUDA_VISIBLE_DEVICES");
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    List<String> lines = new ArrayList<>();
    lines.add(Integer.toString(p.exitValue()));
    out.lines().forEach(lines::add);
    return lines;
  }

  private static EngineInfo engine(boolean cuda, int gpus) {
    return new EngineInfo() {
      @Override
      public boolean hasCuda() {
        return cuda;
      }

      @Override
      public int visibleGpus() {
        return gpus;
      }

      @Override
      public String describe() {
        return "fake-engine";
      }
    };
  }
}
