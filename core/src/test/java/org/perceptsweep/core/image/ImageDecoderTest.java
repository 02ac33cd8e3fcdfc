package org.perceptsweep.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.perceptsweep.core.UserInputException;

/**
 * The decoder's byte fast path and its row path against a plain per-sample reading of the raster
 * (getSample x scale, the definition), on every raster layout ImageIO hands out for the formats
 * the datasets use, plus hand-worked values and the rejects. Pillow's pixels for whole files:
 * {@link ImageDecoderFixturesTest}.
 */
class ImageDecoderTest {
  private static final int W = 37;
  private static final int H = 23;

  @Test
  void handWorkedRgbValues() {
    BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_3BYTE_BGR);
    img.setRGB(0, 0, (255 << 16) | (51 << 8));
    img.setRGB(1, 0, 102);
    float[] p = ImageDecoder.fromBufferedImage(img, "t").planar();
    // Planar: R plane, G plane, B plane; 255 -> 1, 51 -> 0.2, 102 -> 0.4.
    assertArrayEquals(new float[] {1f, 0f, 0.2f, 0f, 0f, 0.4f}, p, 1e-7f);
  }

  @Test
  void everyLayoutMatchesThePerSampleDefinition() {
    int[] types = {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR, BufferedImage.TYPE_INT_RGB,
        BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_USHORT_GRAY};
    for (int type : types) {
      BufferedImage img = randomImage(type, 7 + type);
      assertArrayEquals(perSample(img), ImageDecoder.fromBufferedImage(img, "t").planar(), "image type " + type);
    }
  }

  @Test
  void greyFillsAllThreeChannels() {
    BufferedImage img = randomImage(BufferedImage.TYPE_BYTE_GRAY, 3);
    float[] p = ImageDecoder.fromBufferedImage(img, "t").planar();
    int plane = W * H;
    for (int i = 0; i < plane; i++) {
      assertEquals(p[i], p[plane + i]);
      assertEquals(p[i], p[2 * plane + i]);
    }
  }

  @Test
  void encodedPngAndJpegDecodeToTheirRasters() throws IOException {
    BufferedImage img = randomImage(BufferedImage.TYPE_3BYTE_BGR, 11);
    for (String format : new String[] {"png", "jpg"}) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      assertTrue(ImageIO.write(img, format, bytes), format);
      BufferedImage read = ImageIO.read(new java.io.ByteArrayInputStream(bytes.toByteArray()));
      RgbImage decoded = ImageDecoder.decode(bytes.toByteArray(), "t." + format);
      assertEquals(W, decoded.width());
      assertEquals(H, decoded.height());
      assertArrayEquals(perSample(read), decoded.planar(), format);
    }
  }

  @Test
  void unreadableBytesNameTheFile() {
    UserInputException e = assertThrows(UserInputException.class,
        () -> ImageDecoder.decode(new byte[] {1, 2, 3}, "broken.png"));
    assertTrue(e.getMessage().contains("broken.png"), e.getMessage());
    assertTrue(e.getMessage().contains("not an image format PerceptSweep reads (the file starts with bytes 01 02 03)"),
        e.getMessage());
    e = assertThrows(UserInputException.class, () -> ImageDecoder.decode(new byte[0], "empty.bmp"));
    assertTrue(e.getMessage().contains("empty.bmp") && e.getMessage().contains("the file is empty"), e.getMessage());
    byte[] jp2 = {0, 0, 0, 0x0c, 'j', 'P', ' ', ' ', 0x0d, 0x0a, (byte) 0x87, 0x0a, 0, 0, 0, 0x14};
    e = assertThrows(UserInputException.class, () -> ImageDecoder.decode(jp2, "img.jp2"));
    assertTrue(e.getMessage().contains("img.jp2") && e.getMessage().contains("JPEG 2000 (JP2) file, a format"
        + " PerceptSweep does not read"), e.getMessage());
    // A reader for it may be on the classpath (TwelveMonkeys' ICO), but it is not one of the formats read.
    e = assertThrows(UserInputException.class,
        () -> ImageDecoder.decode(ImageDecoderFixturesTest.resource("ico-icon.ico"), "a.ico"));
    assertTrue(e.getMessage().contains("a.ico: it is a Windows icon (ICO) file, a format PerceptSweep does not read"),
        e.getMessage());
  }

  /** A file cut short is refused, and the reason names the file and the format its reader saw. */
  @ParameterizedTest
  @CsvSource({"jpeg-rgb-420.jpg, 100, JPEG", "jpeg-rgb-420.jpg, 10, JPEG", "jpeg-cmyk-adobe.jpg, 100, JPEG",
      "jpeg-ycck-adobe.jpg, 100, JPEG", "png-rgb.png, 100, PNG", "png-rgb16.png, 100, PNG",
      "tiff-lzw.tif, 1000, TIFF", "bmp-rgb.bmp, 100, BMP", "gif-palette.gif, 300, GIF",
      "pnm-rgb.ppm, 100, PNM", "webp-lossless.webp, 80, WebP"})
  void truncatedFilesAreRejectedNamingFileAndFormat(String file, int cut, String format) {
    byte[] whole = ImageDecoderFixturesTest.resource(file);
    byte[] cutShort = Arrays.copyOf(whole, whole.length - cut);
    UserInputException e = assertThrows(UserInputException.class, () -> ImageDecoder.decode(cutShort, "data/" + file));
    assertTrue(e.getMessage().startsWith("cannot decode image data/" + file + " (" + format + "): "), e.getMessage());
  }

  /**
   * Where Pillow and this decoder differ on cut files (README): a JPEG missing only its end marker
   * holds all its data and is read (Pillow refuses it); a PNG missing its end chunk is read by both.
   */
  @Test
  void filesCutAfterTheirDataAreRead() {
    for (String file : new String[] {"jpeg-rgb-420.jpg", "png-rgb.png"}) {
      byte[] whole = ImageDecoderFixturesTest.resource(file);
      RgbImage cut = ImageDecoder.decode(Arrays.copyOf(whole, whole.length - (file.endsWith("jpg") ? 2 : 12)), file);
      assertArrayEquals(ImageDecoder.decode(whole, file).planar(), cut.planar(), file);
    }
  }

  @Test
  void lossyWebPIsRejectedWithItsReason() {
    UserInputException e = assertThrows(UserInputException.class,
        () -> ImageDecoder.decode(ImageDecoderFixturesTest.resource("webp-lossy.webp"), "x/webp-lossy.webp"));
    assertTrue(e.getMessage().startsWith("cannot decode image x/webp-lossy.webp (WebP): lossy WebP (VP8) is not read"),
        e.getMessage());
    assertTrue(e.getMessage().contains("convert it to PNG"), e.getMessage());
  }

  /** Pillow 9.4's CMYK to RGB, worked by hand: nk = 255 - K, channel = nk - round(C * nk / 255). */
  @Test
  void cmykToRgbIsPillows() {
    int[] rgb = new int[3];
    // nk = 175: 175 - round(100 * 175 / 255 = 68.6) = 106; 175 - round(34.3) = 141; 175 - round(137.3) = 38.
    ImageDecoder.cmykToRgb(100, 50, 200, 80, rgb);
    assertArrayEquals(new int[] {106, 141, 38}, rgb);
    ImageDecoder.cmykToRgb(0, 0, 0, 0, rgb);
    assertArrayEquals(new int[] {255, 255, 255}, rgb);
    ImageDecoder.cmykToRgb(255, 0, 128, 255, rgb);
    assertArrayEquals(new int[] {0, 0, 0}, rgb);
  }

  /** 16 bits keep the high byte (Pillow's RGB;16 unpacking), 1/2/4 bits scale to the full range. */
  @Test
  void sampleDepths() {
    assertEquals(0x12 / 255.0, ImageDecoder.sample(0x12ff, 16), 1e-7);
    assertEquals(1.0, ImageDecoder.sample(0xffff, 16), 1e-7);
    assertEquals(1.0, ImageDecoder.sample(1, 1), 1e-7);
    assertEquals(85 / 255.0, ImageDecoder.sample(1, 2), 1e-7);
    assertEquals(17 * 5 / 255.0, ImageDecoder.sample(5, 4), 1e-7);
  }

  private static BufferedImage randomImage(int type, long seed) {
    Random rnd = new Random(seed);
    BufferedImage img = new BufferedImage(W, H, type);
    WritableRaster raster = img.getRaster();
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        for (int b = 0; b < raster.getNumBands(); b++) {
          int bits = img.getColorModel().getComponentSize(b);
          raster.setSample(x, y, b, rnd.nextInt(1 << bits));
        }
      }
    }
    return img;
  }

  /**
   * The definition: colour component c of pixel (x, y) is getSample / (2^bits - 1) up to 8 bits, and
   * its high byte / 255 above (Pillow's 16-bit to 8-bit); grey fills R, G, B.
   */
  private static float[] perSample(BufferedImage img) {
    Raster raster = img.getRaster();
    int colours = img.getColorModel().getNumColorComponents();
    int plane = W * H;
    float[] out = new float[3 * plane];
    for (int c = 0; c < 3; c++) {
      int band = colours == 1 ? 0 : c;
      int bits = img.getColorModel().getComponentSize(band);
      int shift = Math.max(0, bits - 8);
      double scale = 1.0 / ((1L << (bits - shift)) - 1);
      for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
          out[c * plane + y * W + x] = (float) ((raster.getSample(x, y, band) >> shift) * scale);
        }
      }
    }
    return out;
  }
}
