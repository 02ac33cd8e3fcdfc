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
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.perceptsweep.core.UserInputException;

/**
 * The decoder's byte fast path and its row path against a plain per-sample reading of the raster
 * (getSample x scale, the definition), on every raster layout ImageIO hands out for the formats
 * the datasets use, plus hand-worked values.
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

  /** The definition: colour component c of pixel (x, y) is getSample / (2^bits - 1); grey fills R, G, B. */
  private static float[] perSample(BufferedImage img) {
    Raster raster = img.getRaster();
    int colours = img.getColorModel().getNumColorComponents();
    int plane = W * H;
    float[] out = new float[3 * plane];
    for (int c = 0; c < 3; c++) {
      int band = colours == 1 ? 0 : c;
      double scale = 1.0 / ((1L << img.getColorModel().getComponentSize(band)) - 1);
      for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
          out[c * plane + y * W + x] = (float) (raster.getSample(x, y, band) * scale);
        }
      }
    }
    return out;
  }
}
