package org.perceptsweep.jobs.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The baseline of the pipeline benchmark: a TorchScript file loaded straight into DJL (its own
 * Model, not the project's cache) and a Predictor per thread forwarding ready float batches, the
 * outputs dropped. No decode, no readout, no Spark, no Parquet: what the engine alone costs.
 */
public final class BareDjlLoop implements AutoCloseable {
  private final Model model;

  /** Loads {@code modelFile} (NAME.pt) from a private folder holding only a copy of it (DJL scans the folder). */
  public BareDjlLoop(Path modelFile, Path workDir) {
    String file = modelFile.getFileName().toString();
    String name = file.endsWith(".pt") ? file.substring(0, file.length() - 3) : file;
    // The same libtorch settings as the project's nets (graph executor optimizer: the project's default;
    // libtorch's log level, so that no engine warning reaches the console).
    org.perceptsweep.udf.net.TorchSettings.applyDefaults();
    org.perceptsweep.udf.net.TorchLogging.apply();
    try {
      Path dir = Files.createTempDirectory(workDir, "bare-model-");
      Files.copy(modelFile, dir.resolve(name + ".pt"), StandardCopyOption.REPLACE_EXISTING);
      model = Model.newInstance(name, Device.cpu(), "PyTorch");
      model.load(dir, name, Map.of("mapLocation", "true"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load " + modelFile + " into DJL", e);
    } catch (MalformedModelException e) {
      throw new IllegalStateException("cannot load " + modelFile + " into DJL: " + e.getMessage(), e);
    }
  }

  /**
   * As {@link #run(List, int)} with the graph executor optimizer set to {@code graphOptimizer} for
   * this call (DJL reads the property in every forward call), then restored.
   */
  public long run(List<List<DecodedSet.Batch>> groups, int threads, boolean graphOptimizer)
      throws InterruptedException {
    String key = org.perceptsweep.udf.net.TorchSettings.GRAPH_OPTIMIZER;
    String before = System.getProperty(key);
    System.setProperty(key, Boolean.toString(graphOptimizer));
    try {
      return run(groups, threads);
    } finally {
      if (before == null) {
        System.clearProperty(key);
      } else {
        System.setProperty(key, before);
      }
    }
  }

  /** Forwards every batch of every group once on {@code threads} threads (groups handed out in order); returns images forwarded. */
  public long run(List<List<DecodedSet.Batch>> groups, int threads) throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Long>> parts = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        parts.add(pool.submit(() -> {
          long images = 0;
          try (Predictor<DecodedSet.Batch, Integer> p = model.newPredictor(new BatchIn())) {
            for (int g = next.getAndIncrement(); g < groups.size(); g = next.getAndIncrement()) {
              for (DecodedSet.Batch b : groups.get(g)) {
                p.predict(b);
                images += b.n();
              }
            }
          }
          return images;
        }));
      }
      long total = 0;
      for (Future<Long> f : parts) {
        total += f.get();
      }
      return total;
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof TranslateException || c instanceof RuntimeException) {
        throw new IllegalStateException("bare DJL loop failed: " + c.getMessage(), c);
      }
      throw new IllegalStateException("bare DJL loop failed", c);
    } finally {
      pool.shutdownNow();
    }
  }

  @Override
  public void close() {
    model.close();
  }

  /** Batch in, tap count out; the outputs die with the predictor's per-call manager. */
  private static final class BatchIn implements Translator<DecodedSet.Batch, Integer> {
    @Override
    public NDList processInput(TranslatorContext ctx, DecodedSet.Batch b) {
      return new NDList(ctx.getNDManager().create(FloatBuffer.wrap(b.data()),
          new Shape(b.n(), 3, b.height(), b.width())));
    }

    @Override
    public Integer processOutput(TranslatorContext ctx, NDList out) {
      return out.size();
    }

    @Override
    public Batchifier getBatchifier() {
      return null;
    }
  }
}
