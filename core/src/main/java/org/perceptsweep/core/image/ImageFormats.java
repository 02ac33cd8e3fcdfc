package org.perceptsweep.core.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.imageio.stream.ImageInputStream;

/** Names a file that no reader takes, from its first bytes, for the reject's reason. */
final class ImageFormats {
  private ImageFormats() {}

  /** Image formats Pillow opens that PerceptSweep does not, by signature (offset, bytes). */
  private static final Object[][] UNREAD = {
      {0, new byte[] {0, 0, 0, 0x0c, 'j', 'P', ' ', ' '}, "JPEG 2000 (JP2)"},
      {0, new byte[] {(byte) 0xff, 0x4f, (byte) 0xff, 0x51}, "JPEG 2000 (codestream)"},
      {0, "8BPS".getBytes(StandardCharsets.US_ASCII), "Photoshop (PSD)"},
      {0, new byte[] {0, 0, 1, 0}, "Windows icon (ICO)"},
      {0, new byte[] {0, 0, 2, 0}, "Windows cursor (CUR)"},
      {0, "qoif".getBytes(StandardCharsets.US_ASCII), "QOI"},
      {0, "DDS ".getBytes(StandardCharsets.US_ASCII), "DirectDraw surface (DDS)"},
      {4, "ftypavif".getBytes(StandardCharsets.US_ASCII), "AVIF"},
      {4, "ftypheic".getBytes(StandardCharsets.US_ASCII), "HEIC"},
      {4, "ftypmif1".getBytes(StandardCharsets.US_ASCII), "HEIF"},
  };

  /** "an empty file", "a JPEG 2000 file, a format PerceptSweep does not read", or the first bytes in hex. */
  static String describeUnknown(ImageInputStream stream) throws IOException {
    byte[] head = new byte[12];
    stream.seek(0);
    int n = 0;
    for (int r; n < head.length && (r = stream.read(head, n, head.length - n)) > 0; ) {
      n += r;
    }
    if (n == 0) {
      return "the file is empty";
    }
    for (Object[] known : UNREAD) {
      int offset = (Integer) known[0];
      byte[] magic = (byte[]) known[1];
      if (n >= offset + magic.length && matches(head, offset, magic)) {
        return "it is a " + known[2] + " file, a format PerceptSweep does not read";
      }
    }
    StringBuilder hex = new StringBuilder();
    for (int i = 0; i < Math.min(n, 8); i++) {
      hex.append(i == 0 ? "" : " ").append(String.format("%02x", head[i] & 0xff));
    }
    return "not an image format PerceptSweep reads (the file starts with bytes " + hex + ")";
  }

  /**
   * Whether a WebP file holds lossy (VP8) data: a top-level {@code VP8 } chunk, or one in the first
   * animation frame. Lossless files hold {@code VP8L} instead.
   */
  static boolean isLossyWebP(ImageInputStream stream) throws IOException {
    stream.seek(12); // after "RIFF", the size, "WEBP"
    byte[] fourcc = new byte[4];
    while (true) {
      if (stream.read(fourcc) != 4) {
        return false;
      }
      long size = Integer.toUnsignedLong(Integer.reverseBytes(stream.readInt()));
      String id = new String(fourcc, StandardCharsets.US_ASCII);
      if (id.equals("VP8 ")) {
        return true;
      }
      if (id.equals("VP8L")) {
        return false;
      }
      if (id.equals("ANMF")) {
        stream.skipBytes(16); // the frame's position, size and duration; its image chunks follow
        continue;
      }
      stream.seek(stream.getStreamPosition() + size + (size & 1));
    }
  }

  /**
   * Whether a WebP file holds all the bytes its RIFF header declares. The Java VP8L decoder reads
   * past the end of a cut file as zeros and may return an image; libwebp (Pillow) refuses it.
   */
  static boolean isWholeWebP(ImageInputStream stream) throws IOException {
    stream.seek(4);
    long riffSize = Integer.toUnsignedLong(Integer.reverseBytes(stream.readInt()));
    stream.seek(8 + riffSize - 1);
    return stream.read() >= 0;
  }

  private static boolean matches(byte[] head, int offset, byte[] magic) {
    for (int i = 0; i < magic.length; i++) {
      if (head[offset + i] != magic[i]) {
        return false;
      }
    }
    return true;
  }
}
