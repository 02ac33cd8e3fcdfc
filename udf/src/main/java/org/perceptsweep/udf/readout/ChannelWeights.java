package org.perceptsweep.udf.readout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.perceptsweep.core.UserInputException;

/**
 * Non-negative per-channel weights per tap for the {@code weighted} readout, read from a JSON file
 * shaped like {@code lpips-alex-v0.1.json}: {@code {"taps": {"relu1": [w0, w1, ...], ...}}}.
 */
public final class ChannelWeights {
  private final String source;
  private final Map<String, float[]> byTap;

  public ChannelWeights(String source, Map<String, float[]> byTap) {
    this.source = source;
    this.byTap = Collections.unmodifiableMap(new LinkedHashMap<>(byTap));
  }

  /** Where the weights came from (used in error messages). */
  public String source() {
    return source;
  }

  /** Tap name to weights, in file order. Arrays must not be modified. */
  public Map<String, float[]> byTap() {
    return byTap;
  }

  public float[] forTap(String tap) {
    return byTap.get(tap);
  }

  /** Reads a weights file from any Hadoop FileSystem (file:, s3a:, hdfs:). */
  public static ChannelWeights read(String uri, Configuration conf) {
    Path path = new Path(uri);
    try {
      FileSystem fs = path.getFileSystem(conf == null ? new Configuration() : conf);
      if (!fs.exists(path)) {
        throw new UserInputException("channel-weights file " + uri + " does not exist: check the weights path");
      }
      try (InputStream in = fs.open(path)) {
        return parse(in, uri);
      }
    } catch (IOException e) {
      throw new UserInputException("cannot read channel-weights file " + uri + ": " + e.getMessage()
          + " (check the path and the file system's credentials)", e);
    }
  }

  /** Parses the JSON; {@code name} is the path used in error messages. */
  public static ChannelWeights parse(InputStream in, String name) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UserInputException("channel-weights file " + name + " is not valid JSON: "
          + oneLine(e.getMessage()) + " (expected {\"taps\": {\"tap\": [w, ...]}})", e);
    }
    JsonNode taps = root == null ? null : root.get("taps");
    if (taps == null || !taps.isObject() || taps.isEmpty()) {
      throw new UserInputException("channel-weights file " + name
          + " has no \"taps\" object: expected {\"taps\": {\"tap\": [w, ...]}}");
    }
    Map<String, float[]> byTap = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : taps.properties()) {
      JsonNode list = e.getValue();
      if (!list.isArray() || list.isEmpty()) {
        throw new UserInputException("channel-weights file " + name + ": tap " + e.getKey()
            + " must map to a non-empty list of numbers");
      }
      float[] w = new float[list.size()];
      for (int c = 0; c < w.length; c++) {
        JsonNode v = list.get(c);
        if (!v.isNumber() || !(v.asDouble() >= 0) || Double.isInfinite(v.asDouble())) {
          throw new UserInputException("channel-weights file " + name + ": tap " + e.getKey() + " channel " + c
              + " has weight " + v + "; weights must be finite non-negative numbers");
        }
        w[c] = (float) v.asDouble();
      }
      byTap.put(e.getKey(), w);
    }
    return new ChannelWeights(name, byTap);
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s+", " ");
  }
}
