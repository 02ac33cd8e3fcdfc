package org.perceptsweep.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.perceptsweep.core.UserInputException;

/**
 * Every fixture of {@code src/test/resources/decode} (written by tools/make_decode_fixtures.py with
 * Pillow and ImageMagick) decodes to Pillow's {@code convert("RGB")} of the same file: exactly for
 * lossless formats, within one 8-bit level where the fixture says so (JPEG and lossy WebP colour
 * conversion). For 16-bit grey the expected pixels are the high byte (the script's "high-byte"
 * fixtures; Pillow itself clips at 255 there, and the script checks that it does); lossy WebP is
 * rejected with a reason (the Java VP8 decoder does not reproduce libwebp's pixels).
 */
class ImageDecoderFixturesTest {
  record Fixture(String file, int width, int height, int tolerance, String expected, String note) {
    @Override
    public String toString() {
      return file;
    }
  }

  static Stream<Fixture> fixtures() {
    List<Fixture> out = new ArrayList<>();
    String[] lines = new String(resource("expected.csv"), StandardCharsets.UTF_8).split("\n");
    assertEquals("file,width,height,tolerance,expected,note", lines[0]);
    for (int i = 1; i < lines.length; i++) {
      String[] f = lines[i].split(",", 6);
      out.add(new Fixture(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]), f[4],
          f[5]));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void decodesAsPillow(Fixture fx) {
    if (fx.expected().equals("rejected")) {
      UserInputException e = assertThrows(UserInputException.class,
          () -> ImageDecoder.decode(resource(fx.file()), fx.file()));
      assertTrue(e.getMessage().contains(fx.file()), e.getMessage());
      return;
    }
    RgbImage img = ImageDecoder.decode(resource(fx.file()), fx.file());
    assertEquals(fx.width(), img.width(), fx.file());
    assertEquals(fx.height(), img.height(), fx.file());
    byte[] expected = resource(fx.file() + ".rgb");
    assertEquals(3 * fx.width() * fx.height(), expected.length);
    int plane = fx.width() * fx.height();
    float[] p = img.planar();
    int worst = 0;
    int off = 0;
    String where = "";
    for (int i = 0; i < plane; i++) {
      for (int c = 0; c < 3; c++) {
        float v = p[c * plane + i];
        int want = expected[3 * i + c] & 0xff;
        // Every decoded value is an 8-bit level / 255, as Pillow's are.
        int level = Math.round(v * 255f);
        assertEquals(level / 255.0, v, 1e-7, fx.file() + ": not a level at " + i);
        int d = Math.abs(level - want);
        off += d > 0 ? 1 : 0;
        if (d > worst) {
          worst = d;
          where = "pixel (" + (i % fx.width()) + ", " + (i / fx.width()) + ") channel " + c + ": " + level
              + " vs Pillow's " + want;
        }
      }
    }
    assertTrue(worst <= fx.tolerance(), fx.file() + " (" + fx.note() + "): off by up to " + worst + " levels ("
        + off + " of " + 3 * plane + " values), " + where);
  }

  /** The fixtures cover what the issue lists; a script change that drops one fails here. */
  @Test
  void fixturesCoverTheListedKinds() {
    List<String> files = fixtures().map(Fixture::file).toList();
    for (String kind : List.of("jpeg-cmyk-adobe.jpg", "jpeg-cmyk-noadobe.jpg", "jpeg-ycck-adobe.jpg",
        "jpeg-ycck-noadobe.jpg", "png-rgb16.png", "tiff-rgb16.tif", "png-grey16.png", "tiff-grey16.tif",
        "png-palette.png", "png-grey-alpha.png", "png-1bit.png", "tiff-lzw.tif", "tiff-deflate.tif",
        "bmp-topdown.bmp", "pnm-rgb.ppm", "webp-lossless.webp", "webp-lossy.webp")) {
      assertTrue(files.contains(kind), kind);
    }
  }

  static byte[] resource(String name) {
    try (InputStream in = ImageDecoderFixturesTest.class.getResourceAsStream("/decode/" + name)) {
      if (in == null) {
        fail("missing test resource decode/" + name + " (run tools/make_decode_fixtures.py)");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
