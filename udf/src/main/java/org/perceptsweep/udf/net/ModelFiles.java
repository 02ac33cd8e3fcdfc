package org.perceptsweep.udf.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.perceptsweep.core.UserInputException;

/** Finds a net's .pt and card on any Hadoop FileSystem and makes a verified local copy of the .pt. */
final class ModelFiles {
  private ModelFiles() {}

  /** A located model: its .pt, the card read from beside it, and the file system holding both. */
  record Located(Path modelPath, String baseName, NetCard card, FileSystem fs) {}

  static Located locate(String spec, Configuration conf) {
    Path pt = new Path(spec);
    String fileName = pt.getName();
    if (!fileName.endsWith(".pt") || fileName.length() == 3) {
      throw new UserInputException("net '" + spec + "' is neither a builtin (builtin:random-convnet) nor a NAME.pt"
          + " path; give the path of a TorchScript NAME.pt with its NAME.json card beside it");
    }
    String base = fileName.substring(0, fileName.length() - 3);
    Path cardPath = new Path(pt.getParent(), base + ".json");
    try {
      FileSystem fs = pt.getFileSystem(conf);
      if (!fs.exists(pt)) {
        throw new UserInputException("net file " + spec + " does not exist: check the net path in the sweep config");
      }
      if (!fs.exists(cardPath)) {
        throw new UserInputException("model card " + cardPath + " is missing for net " + spec
            + ": put NAME.json (name, architecture, goal, training_data, taps, sha256) beside the .pt");
      }
      NetCard card;
      try (InputStream in = fs.open(cardPath)) {
        card = NetCards.parse(in, cardPath.toString());
      }
      return new Located(pt, base, card, fs);
    } catch (IOException e) {
      throw new UserInputException("cannot read net " + spec + ": " + e.getMessage()
          + " (check the path and the file system's credentials)", e);
    }
  }

  /**
   * Copies the .pt into {@code <cacheDir>/<sha256>/<NAME>.pt}, a folder of its own (DJL scans a
   * model's folder), checking the sha256 of the bytes read from the source against the card.
   * The source is always read (not a copy cached by an earlier JVM) so a changed file is caught.
   */
  static java.nio.file.Path localCopy(Located m, java.nio.file.Path cacheDir) {
    String sha = m.card().sha256();
    java.nio.file.Path dir = cacheDir.resolve(sha);
    java.nio.file.Path target = dir.resolve(m.baseName() + ".pt");
    try {
      // Stage outside the model folder so DJL never sees a half-written file there.
      java.nio.file.Path incoming = cacheDir.resolve("incoming");
      Files.createDirectories(incoming);
      java.nio.file.Path tmp = Files.createTempFile(incoming, m.baseName() + "-", ".pt.part");
      try {
        MessageDigest digest = newDigest();
        try (InputStream in = new DigestInputStream(m.fs().open(m.modelPath()), digest);
             OutputStream out = Files.newOutputStream(tmp)) {
          in.transferTo(out);
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(sha)) {
          throw new UserInputException("net " + m.modelPath() + " has sha256 " + actual + " but its card says " + sha
              + ": the .pt and its card do not match; re-export the net or correct the card's sha256");
        }
        Files.createDirectories(dir);
        try {
          Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UserInputException("cannot copy net " + m.modelPath() + " into the local model cache " + dir + ": "
          + e.getMessage() + " (check free space and that perceptsweep.nets.cacheDir is writable)", e);
    }
  }

  static String sha256(java.nio.file.Path file) throws IOException {
    MessageDigest digest = newDigest();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }
}
