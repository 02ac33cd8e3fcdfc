package org.perceptsweep.udf.net;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.LibUtils;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import org.perceptsweep.core.UserInputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libtorch's own log level: its warnings ({@code [W... NNPACK.cpp:57] Could not initialize NNPACK!
 * Reason: Unsupported hardware.} on CPUs its cpuinfo does not know, {@code AutoNonVariableTypeMode
 * is deprecated}, ...) go straight to the process's stderr, past every Java logger.
 *
 * <p>libtorch reads {@value #ENV} only in {@code c10::initLogging()}, which Python's torch calls and
 * DJL does not (measured with libtorch 2.7.1 under DJL 0.36: the variable alone changes nothing). So
 * this class sets libtorch's level itself, through JNA on the {@code libc10.so} DJL loaded: the
 * value of {@value #ENV} (INFO, WARNING, ERROR, FATAL or 0-3, as libtorch takes it), default
 * {@value #DEFAULT}. {@link Nets} calls {@link #apply()} before it loads a net, in every JVM that
 * runs one, so the first forward pass already runs at that level.
 */
public final class TorchLogging {
  public static final String ENV = "TORCH_CPP_LOG_LEVEL";
  static final String DEFAULT = "ERROR";
  /** libtorch's minimum level, {@code c10::FLAGS_caffe2_log_level} (0 INFO .. 3 FATAL). */
  static final String FLAG = "FLAGS_caffe2_log_level";
  private static final String[] LEVELS = {"INFO", "WARNING", "ERROR", "FATAL"};
  private static final Logger LOG = LoggerFactory.getLogger(TorchLogging.class);

  private static volatile boolean applied;

  private TorchLogging() {}

  /** Sets libtorch's log level from {@value #ENV} (default {@value #DEFAULT}) once per JVM. */
  public static void apply() {
    if (applied) {
      return;
    }
    synchronized (TorchLogging.class) {
      if (applied) {
        return;
      }
      int level = level(System.getenv(ENV));
      try {
        Engine.getEngine("PyTorch"); // loads libtorch, or nothing to set
        Path c10 = Paths.get(LibUtils.getLibtorchPath()).resolve(System.mapLibraryName("c10"));
        if (Files.isRegularFile(c10)) {
          Pointer flag = NativeLibrary.getInstance(c10.toString()).getGlobalVariableAddress(FLAG);
          flag.setInt(0, level);
        } else {
          LOG.warn("libtorch's log level not set: no {} (its own warnings may show on stderr)", c10);
        }
      } catch (RuntimeException | LinkageError e) {
        // Never worth failing a run for: its warnings show, nothing else changes.
        LOG.warn("libtorch's log level not set ({}): its own warnings may show on stderr", e.toString());
      }
      applied = true;
    }
  }

  /** libtorch's level number for a value of {@value #ENV}; null or blank is {@value #DEFAULT}. */
  static int level(String value) {
    String v = value == null || value.isBlank() ? DEFAULT : value.trim().toUpperCase(Locale.ROOT);
    for (int i = 0; i < LEVELS.length; i++) {
      if (LEVELS[i].equals(v) || String.valueOf(i).equals(v)) {
        return i;
      }
    }
    throw new UserInputException(ENV + "=" + value + " is not a libtorch log level: use INFO, WARNING, ERROR or "
        + "FATAL (or 0, 1, 2, 3); unset, PerceptSweep uses " + DEFAULT);
  }

  /** libtorch's current level in this JVM (0 INFO .. 3 FATAL), after {@link #apply()}; for tests. */
  static int current() {
    Path c10 = Paths.get(LibUtils.getLibtorchPath()).resolve(System.mapLibraryName("c10"));
    return NativeLibrary.getInstance(c10.toString()).getGlobalVariableAddress(FLAG).getInt(0);
  }
}
