package org.perceptsweep.core.util;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 hex digests: of model files, manifests and the settings that made a row. */
public final class Hashing {
  private Hashing() {}

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }

  public static String sha256Hex(String text) {
    return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** Digest of the parts, each length-prefixed so that ("ab","c") and ("a","bc") differ. */
  public static String sha256Hex(String... parts) {
    MessageDigest md = sha256();
    for (String p : parts) {
      byte[] b = (p == null ? "\u0000null" : p).getBytes(StandardCharsets.UTF_8);
      md.update(Integer.toString(b.length).getBytes(StandardCharsets.UTF_8));
      md.update((byte) ':');
      md.update(b);
    }
    return HexFormat.of().formatHex(md.digest());
  }

  public static String sha256Hex(InputStream in) {
    MessageDigest md = sha256();
    byte[] buf = new byte[1 << 16];
    try {
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
