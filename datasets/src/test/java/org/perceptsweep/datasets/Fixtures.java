package org.perceptsweep.datasets;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Small files in a dataset's native layout, written into a temp folder. */
final class Fixtures {
  private Fixtures() {}

  /** A w x h image of one colour, written in the format of the file's extension. */
  static Path image(Path file, int w, int h, int rgb) {
    try {
      Files.createDirectories(file.getParent());
      BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          img.setRGB(x, y, rgb ^ (x * 7 + y * 13));
        }
      }
      String name = file.getFileName().toString();
      String format = name.substring(name.lastIndexOf('.') + 1).toLowerCase();
      if (!ImageIO.write(img, format, file.toFile())) {
        throw new IllegalStateException("no writer for " + format);
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path text(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, content, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The URI the adapters produce for a local file: file:/abs/path. */
  static String uri(Path p) {
    return "file:" + p.toAbsolutePath();
  }
}
