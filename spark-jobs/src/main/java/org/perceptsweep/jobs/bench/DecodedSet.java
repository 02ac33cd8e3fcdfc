package org.perceptsweep.jobs.bench;

import java.io.DataOutputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.perceptsweep.core.UserInputException;
import org.perceptsweep.core.image.ImageDecoder;
import org.perceptsweep.core.image.RgbImage;

/**
 * Pairs grouped by reference, decoded once before any timing, and cut into the forward batches the
 * extract job makes: the reference alone, then its distorted images in chunks of {@code batchSize}.
 */
public final class DecodedSet {
  /** One reference and its distorted images (same size). */
  public record Group(String refPath, RgbImage ref, List<String> distPaths, List<RgbImage> dists) {}

  /** One forward batch: n planar RGB images of h x w, concatenated. */
  public record Batch(float[] data, int n, int height, int width) {}

  private final List<Group> groups;

  public DecodedSet(List<Group> groups) {
    this.groups = List.copyOf(groups);
  }

  public List<Group> groups() {
    return groups;
  }

  public int pairs() {
    return groups.stream().mapToInt(g -> g.dists().size()).sum();
  }

  /** Reference and distorted images, each counted once: the forward passes of a grouped run. */
  public int images() {
    return groups.size() + pairs();
  }

  /** Reads and decodes {ref path, dist path} pairs (Hadoop URIs or paths), grouped by reference in first-seen order. */
  public static DecodedSet load(List<String[]> refDistPairs, Configuration conf) {
    Map<String, List<String>> byRef = new LinkedHashMap<>();
    for (String[] p : refDistPairs) {
      byRef.computeIfAbsent(p[0], k -> new ArrayList<>()).add(p[1]);
    }
    List<Group> groups = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : byRef.entrySet()) {
      RgbImage ref = read(e.getKey(), conf);
      List<RgbImage> dists = new ArrayList<>();
      for (String d : e.getValue()) {
        dists.add(read(d, conf));
      }
      groups.add(new Group(e.getKey(), ref, List.copyOf(e.getValue()), dists));
    }
    return new DecodedSet(groups);
  }

  /** Reads one image file's bytes and decodes it (the same decoder as the extract job). */
  public static RgbImage read(String uri, Configuration conf) {
    return ImageDecoder.decode(bytes(uri, conf), uri);
  }

  public static byte[] bytes(String uri, Configuration conf) {
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(uri);
    try {
      FileSystem fs = path.getFileSystem(conf == null ? new Configuration() : conf);
      try (InputStream in = fs.open(path)) {
        return in.readAllBytes();
      }
    } catch (IOException e) {
      throw new UserInputException("cannot read " + uri + " for the benchmark: " + e.getMessage(), e);
    }
  }

  /** The batches of each group, groups in order: [ref], then dists in chunks of batchSize. */
  public List<List<Batch>> batches(int batchSize) {
    List<List<Batch>> out = new ArrayList<>();
    for (Group g : groups) {
      List<Batch> b = new ArrayList<>();
      b.add(batch(List.of(g.ref())));
      for (int s = 0; s < g.dists().size(); s += batchSize) {
        b.add(batch(g.dists().subList(s, Math.min(g.dists().size(), s + batchSize))));
      }
      out.add(b);
    }
    return out;
  }

  static Batch batch(List<RgbImage> images) {
    int w = images.get(0).width();
    int h = images.get(0).height();
    int plane = 3 * w * h;
    float[] data = new float[images.size() * plane];
    for (int i = 0; i < images.size(); i++) {
      System.arraycopy(images.get(i).planar(), 0, data, i * plane, plane);
    }
    return new Batch(data, images.size(), h, w);
  }

  /**
   * Writes the batches for tools/bench_torch.py: int32 little-endian group count, then per group
   * the batch count and per batch n, h, w and n*3*h*w float32 values (little-endian).
   */
  public static void writeBatches(List<List<Batch>> groups, Path file) {
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 20))) {
      ByteBuffer word = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
      writeInt(out, word, groups.size());
      for (List<Batch> g : groups) {
        writeInt(out, word, g.size());
        for (Batch b : g) {
          writeInt(out, word, b.n());
          writeInt(out, word, b.height());
          writeInt(out, word, b.width());
          ByteBuffer values = ByteBuffer.allocate(4 * b.data().length).order(ByteOrder.LITTLE_ENDIAN);
          values.asFloatBuffer().put(b.data());
          out.write(values.array());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the tensor file " + file, e);
    }
  }

  private static void writeInt(DataOutputStream out, ByteBuffer word, int v) throws IOException {
    word.clear();
    word.putInt(v);
    out.write(word.array());
  }
}
