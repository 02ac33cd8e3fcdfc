package org.perceptsweep.udf.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.perceptsweep.core.Learning;
import org.perceptsweep.core.UserInputException;

/** Reads and checks model cards ({@code NAME.json}, see models/README.md). */
public final class NetCards {
  private NetCards() {}

  /** Parses a card; {@code name} is its path, for error messages. */
  public static NetCard parse(InputStream in, String name) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UserInputException("model card " + name + " is not valid JSON: "
          + String.valueOf(e.getMessage()).replaceAll("\\s+", " ") + "; fix or re-export the card", e);
    }
    if (root == null || !root.isObject()) {
      throw new UserInputException("model card " + name + " is not a JSON object; fix or re-export the card");
    }
    String netName = text(root, "name", name);
    String architecture = text(root, "architecture", name);
    String goal = text(root, "goal", name);
    String trainingData = text(root, "training_data", name);
    String sha = text(root, "sha256", name).toLowerCase(Locale.ROOT);
    if (!sha.matches("[0-9a-f]{64}")) {
      throw new UserInputException("model card " + name + ": sha256 '" + sha
          + "' is not 64 hex digits; write the sha256 of the .pt file there");
    }
    JsonNode source = root.get("source");
    JsonNode tapsNode = root.get("taps");
    if (tapsNode == null || !tapsNode.isArray() || tapsNode.isEmpty()) {
      throw new UserInputException("model card " + name
          + " has no \"taps\" list; list the taps forward() returns, in order, as {\"name\", \"channels\"}");
    }
    List<TapInfo> taps = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < tapsNode.size(); i++) {
      JsonNode t = tapsNode.get(i);
      JsonNode tapName = t.get("name");
      JsonNode channels = t.get("channels");
      if (tapName == null || !tapName.isTextual() || tapName.asText().isBlank()
          || channels == null || !channels.canConvertToInt() || !channels.isIntegralNumber() || channels.asInt() <= 0) {
        throw new UserInputException("model card " + name + ": taps[" + i
            + "] needs a non-empty \"name\" and a positive integer \"channels\"");
      }
      if (!seen.add(tapName.asText())) {
        throw new UserInputException("model card " + name + ": tap name '" + tapName.asText()
            + "' appears twice; tap names must be unique");
      }
      taps.add(new TapInfo(tapName.asText(), channels.asInt()));
    }
    JsonNode learning = root.get("learning");
    if (learning != null && !learning.isNull() && !learning.isTextual()) {
      throw new UserInputException("model card " + name + ": \"learning\" must be text, one of " + Learning.keys());
    }
    Learning learned = learning == null || learning.isNull() ? null
        : Learning.parse(learning.asText(), "model card " + name);
    Long depth = positive(root, "depth", name);
    Long parameters = positive(root, "parameters", name);
    if (depth != null && depth > Integer.MAX_VALUE) {
      throw new UserInputException("model card " + name + ": \"depth\" " + depth + " is not a layer count");
    }
    return new NetCard(netName, architecture, goal, trainingData, taps, sha,
        source != null && source.isTextual() ? source.asText() : "", learned,
        depth == null ? null : depth.intValue(), parameters);
  }

  /** An optional positive whole number of the card, or null when absent. */
  private static Long positive(JsonNode root, String key, String name) {
    JsonNode v = root.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() <= 0) {
      throw new UserInputException("model card " + name + ": \"" + key + "\" must be a positive whole number, got "
          + v + "; fix it or remove it (then it is counted in the model file)");
    }
    return v.asLong();
  }

  private static String text(JsonNode root, String key, String name) {
    JsonNode v = root.get(key);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new UserInputException("model card " + name + " has no \"" + key + "\" text; add it (see models/README.md)");
    }
    return v.asText();
  }
}
