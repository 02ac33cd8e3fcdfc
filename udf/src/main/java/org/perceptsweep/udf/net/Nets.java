package org.perceptsweep.udf.net;

import ai.djl.Device;
import ai.djl.Model;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.hadoop.conf.Configuration;
import org.perceptsweep.core.UserInputException;

/**
 * The per-JVM net cache: one load per model (keyed by the card's sha256; builtins by spec), shared
 * by every task of an executor, safe under concurrent callers, bounded by an LRU that closes evicted
 * models once their open sessions have closed.
 *
 * <p>Settings (Hadoop conf keys, else system properties of the same name):
 * {@value #CACHE_DIR_KEY} (local folder for model copies; default {@code java.io.tmpdir}/perceptsweep-nets),
 * {@value #MAX_LOADED_KEY} (system property only, models kept loaded; default 4, raised by
 * {@link #reserve} to the number of nets a task uses at once).
 */
public final class Nets {
  public static final String CACHE_DIR_KEY = "perceptsweep.nets.cacheDir";
  public static final String MAX_LOADED_KEY = "perceptsweep.nets.maxLoaded";
  private static final String BUILTIN_PREFIX = "builtin:";

  private static final Object LOCK = new Object();
  /** Access-ordered: the first entry is the least recently used. */
  private static final LinkedHashMap<String, CompletableFuture<DjlFeatureNet>> LOADED =
      new LinkedHashMap<>(16, 0.75f, true);
  private static final Map<String, Integer> LOAD_COUNTS = new HashMap<>();
  /** Spec (and builtin sha) to cache key, so loadCount takes either. */
  private static final Map<String, String> KEY_OF = new HashMap<>();
  private static int maxLoaded = Integer.getInteger(MAX_LOADED_KEY, 4);

  static {
    TorchSettings.applyDefaults();
  }

  private Nets() {}

  /**
   * @param spec {@code builtin:random-convnet}, or a URI/path of NAME.pt with NAME.json beside it
   * @param hadoopConf for reading model files (may be null for builtins and local files)
   */
  public static FeatureNet get(String spec, Configuration hadoopConf) {
    return get(spec, hadoopConf, Device.cpu());
  }

  /** As {@link #get(String, Configuration)}, on a given device (a GPU executor's assigned GPU). */
  public static FeatureNet get(String spec, Configuration hadoopConf, Device device) {
    if (spec == null || spec.isBlank()) {
      throw new UserInputException("no net given: name builtin:random-convnet or the path of a NAME.pt");
    }
    String trimmed = spec.trim();
    if (trimmed.startsWith(BUILTIN_PREFIX)) {
      if (!trimmed.equals(RandomConvNet.SPEC)) {
        throw new UserInputException("unknown builtin net '" + trimmed + "': the only builtin is "
            + RandomConvNet.SPEC);
      }
      String key = withDevice(trimmed, device);
      remember(trimmed, key);
      remember(RandomConvNet.card().sha256(), key);
      return getOrLoad(key, () -> RandomConvNet.build(device));
    }
    Configuration conf = hadoopConf == null ? new Configuration() : hadoopConf;
    ModelFiles.Located located = ModelFiles.locate(trimmed, conf);
    // Keyed by the model's sha256 and the card's content: two cards for the same weights (a net
    // renamed or re-tagged) are two nets, each with its own name and factors in the tables.
    String key = withDevice(located.card().sha256() + "#"
        + org.perceptsweep.core.util.Hashing.sha256Hex(located.card().toString()).substring(0, 16), device);
    remember(trimmed, key);
    remember(located.card().sha256(), key);
    return getOrLoad(key, () -> loadTorchScript(located, conf, device));
  }

  /** Loads done in this JVM for a spec, a card sha256 or a builtin spec (all devices summed). */
  public static int loadCount(String specOrSha) {
    synchronized (LOCK) {
      String key = KEY_OF.get(specOrSha);
      String base = key == null ? specOrSha : stripDevice(key);
      int total = 0;
      for (Map.Entry<String, Integer> e : LOAD_COUNTS.entrySet()) {
        if (stripDevice(e.getKey()).equals(base)) {
          total += e.getValue();
        }
      }
      return total;
    }
  }

  /**
   * Makes room for {@code nets} models at once: a task opens a session on every net of its plan
   * before it forwards anything, so a bound below that count would evict and reload nets task after
   * task (a sweep extracting 5 nets in one call loaded each 7 times with the old fixed bound of 4).
   * Only raises the bound; {@value #MAX_LOADED_KEY} stays the floor.
   */
  public static void reserve(int nets) {
    synchronized (LOCK) {
      maxLoaded = Math.max(maxLoaded, nets);
    }
  }

  /** Closes every cached net (now or when its sessions close) and forgets the counts; for tests. */
  static void resetForTests(int newMaxLoaded) {
    List<CompletableFuture<DjlFeatureNet>> all;
    synchronized (LOCK) {
      all = new ArrayList<>(LOADED.values());
      LOADED.clear();
      LOAD_COUNTS.clear();
      KEY_OF.clear();
      maxLoaded = newMaxLoaded;
    }
    all.forEach(f -> f.thenAccept(DjlFeatureNet::retire));
  }

  private interface Loader {
    DjlFeatureNet load();
  }

  private static FeatureNet getOrLoad(String key, Loader loader) {
    CompletableFuture<DjlFeatureNet> future;
    boolean mine = false;
    List<CompletableFuture<DjlFeatureNet>> evicted = new ArrayList<>();
    synchronized (LOCK) {
      future = LOADED.get(key);
      if (future == null) {
        future = new CompletableFuture<>();
        LOADED.put(key, future);
        mine = true;
        Iterator<Map.Entry<String, CompletableFuture<DjlFeatureNet>>> it = LOADED.entrySet().iterator();
        while (LOADED.size() > Math.max(1, maxLoaded) && it.hasNext()) {
          Map.Entry<String, CompletableFuture<DjlFeatureNet>> eldest = it.next();
          if (!eldest.getKey().equals(key)) {
            evicted.add(eldest.getValue());
            it.remove();
          }
        }
      }
    }
    evicted.forEach(f -> f.thenAccept(DjlFeatureNet::retire));
    if (mine) {
      // Load outside the lock: other nets stay available; callers of this key wait on the future.
      try {
        TorchLogging.apply(); // before the load's probe: its forward pass is the first to warn
        DjlFeatureNet net = loader.load();
        synchronized (LOCK) {
          LOAD_COUNTS.merge(key, 1, Integer::sum);
        }
        future.complete(net);
        return net;
      } catch (RuntimeException | Error e) {
        synchronized (LOCK) {
          LOADED.remove(key, future);
        }
        future.completeExceptionally(e);
        throw e;
      }
    }
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw e;
    }
  }

  private static DjlFeatureNet loadTorchScript(ModelFiles.Located located, Configuration conf, Device device) {
    NetCard card = located.card();
    java.nio.file.Path local = ModelFiles.localCopy(located, cacheDir(conf));
    Model model = Model.newInstance(card.name(), device, "PyTorch");
    try {
      try {
        // mapLocation: load tensors onto this device whatever device the file was saved from.
        model.load(local.getParent(), located.baseName(), Map.of("mapLocation", "true"));
      } catch (Exception e) {
        throw new UserInputException("net " + located.modelPath() + " is not a loadable TorchScript file ("
            + DjlFeatureNet.oneLine(e) + "); export it with torch.jit.script/trace and torch.jit.save", e);
      }
      DjlFeatureNet net = new DjlFeatureNet(model, card, ModelContract.MIN_INPUT_SIDE);
      net.probe();
      return net;
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  private static java.nio.file.Path cacheDir(Configuration conf) {
    String dir = conf.get(CACHE_DIR_KEY, System.getProperty(CACHE_DIR_KEY));
    if (dir == null || dir.isBlank()) {
      return Paths.get(System.getProperty("java.io.tmpdir"), "perceptsweep-nets");
    }
    return Paths.get(dir);
  }

  private static String withDevice(String key, Device device) {
    return key + "@" + device;
  }

  private static String stripDevice(String key) {
    return key.substring(0, key.lastIndexOf('@'));
  }

  private static void remember(String alias, String key) {
    synchronized (LOCK) {
      KEY_OF.put(alias, key);
    }
  }

  /** The model-file contract (models/README.md). */
  static final class ModelContract {
    /** "any H and W of at least 64". */
    static final int MIN_INPUT_SIDE = 64;

    private ModelContract() {}
  }
}
