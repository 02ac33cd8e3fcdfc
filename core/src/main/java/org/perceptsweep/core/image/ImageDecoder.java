package org.perceptsweep.core.image;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.perceptsweep.core.UserInputException;

/**
 * Decodes BMP, PNG, JPEG, GIF and TIFF (whatever ImageIO reads) into {@link RgbImage}.
 *
 * <ul>
 *   <li>8-bit RGB: values / 255.
 *   <li>Grey (8 or 16 bit): replicated to three channels; read from the raster, not through
 *       {@code getRGB}, which would apply a gamma conversion to grey colour spaces.
 *   <li>Palette: looked up in the palette.
 *   <li>Alpha: dropped (not composited), so a transparent pixel keeps its stored colour.
 *   <li>16-bit: scaled by 1/65535.
 * </ul>
 */
public final class ImageDecoder {
  private ImageDecoder() {}

  public static RgbImage decode(byte[] bytes, String name) {
    return decode(new ByteArrayInputStream(bytes), name);
  }

  /** Decodes one image; {@code name} is the path used in error messages. */
  public static RgbImage decode(InputStream in, String name) {
    BufferedImage img;
    // A memory-cached stream: ImageIO.read(InputStream) would copy every image to a temp file first
    // (ImageIO's disk cache is on by default), which costs more than decoding a small JPEG.
    // ImageIO.read(ImageInputStream) closes the stream itself, except when no reader takes it.
    try {
      ImageInputStream stream = new MemoryCacheImageInputStream(in);
      img = ImageIO.read(stream);
      if (img == null) {
        stream.close();
      }
    } catch (IOException | RuntimeException e) {
      throw new UserInputException(
          "cannot decode image " + name + ": " + e.getMessage() + " (truncated or corrupt file?)", e);
    }
    if (img == null) {
      throw new UserInputException(
          "cannot decode image " + name + ": not a readable BMP, PNG, JPEG, GIF or TIFF file");
    }
    return fromBufferedImage(img, name);
  }

  public static RgbImage fromBufferedImage(BufferedImage img, String name) {
    int w = img.getWidth();
    int h = img.getHeight();
    int plane = w * h;
    float[] out = new float[3 * plane];
    ColorModel cm = img.getColorModel();
    Raster raster = img.getRaster();
    if (cm instanceof IndexColorModel) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int argb = img.getRGB(x, y);
          int i = y * w + x;
          out[i] = ((argb >> 16) & 0xff) / 255f;
          out[plane + i] = ((argb >> 8) & 0xff) / 255f;
          out[2 * plane + i] = (argb & 0xff) / 255f;
        }
      }
      return new RgbImage(w, h, out);
    }
    int colours = cm.getNumColorComponents();
    if (colours != 1 && colours != 3) {
      throw new UserInputException("cannot use image " + name + ": it has " + colours
          + " colour components (CMYK?); convert it to RGB or grey");
    }
    double[] scale = new double[colours];
    for (int c = 0; c < colours; c++) {
      scale[c] = 1.0 / ((1L << cm.getComponentSize(c)) - 1);
    }
    if (!readBytesDirectly(raster, colours, scale, out)) {
      readRows(raster, colours, scale, out);
    }
    return new RgbImage(w, h, out);
  }

  /**
   * The fast path for what ImageIO gives for JPEG and most PNGs: 8-bit samples in byte arrays
   * (interleaved or banded). Reads the bytes through a 256-entry table, about 10x faster than a
   * virtual getSample call per sample; the values are the same ({@code (float) (v * scale)}).
   *
   * @return false when the raster is laid out otherwise (the caller reads it row by row)
   */
  private static boolean readBytesDirectly(Raster raster, int colours, double[] scale, float[] out) {
    if (!(raster.getSampleModel() instanceof ComponentSampleModel sm)
        || !(raster.getDataBuffer() instanceof DataBufferByte buffer)
        || raster.getSampleModelTranslateX() != 0 || raster.getSampleModelTranslateY() != 0) {
      return false;
    }
    for (int c = 0; c < colours; c++) {
      if (sm.getSampleSize(c) != 8) {
        return false;
      }
    }
    int w = raster.getWidth();
    int h = raster.getHeight();
    int plane = w * h;
    int pixelStride = sm.getPixelStride();
    int scanlineStride = sm.getScanlineStride();
    for (int c = 0; c < colours; c++) {
      float[] table = new float[256];
      for (int v = 0; v < 256; v++) {
        table[v] = (float) (v * scale[c]);
      }
      int bank = sm.getBankIndices()[c];
      byte[] data = buffer.getData(bank);
      int base = buffer.getOffsets()[bank] + sm.getBandOffsets()[c];
      // Grey: the one band fills all three channels.
      for (int target = c; target < (colours == 1 ? 3 : c + 1); target++) {
        int o = target * plane;
        for (int y = 0; y < h; y++) {
          int src = base + y * scanlineStride;
          int dst = o + y * w;
          for (int x = 0; x < w; x++, src += pixelStride) {
            out[dst + x] = table[data[src] & 0xff];
          }
        }
      }
    }
    return true;
  }

  /** Any other layout (16-bit, packed ints): a row of samples per call, scaled to [0, 1]. */
  private static void readRows(Raster raster, int colours, double[] scale, float[] out) {
    int w = raster.getWidth();
    int h = raster.getHeight();
    int plane = w * h;
    int[] row = new int[w];
    for (int c = 0; c < colours; c++) {
      for (int y = 0; y < h; y++) {
        raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, c, row);
        int dst = y * w;
        for (int x = 0; x < w; x++) {
          float v = (float) (row[x] * scale[c]);
          if (colours == 1) {
            out[dst + x] = v;
            out[plane + dst + x] = v;
            out[2 * plane + dst + x] = v;
          } else {
            out[c * plane + dst + x] = v;
          }
        }
      }
    }
  }

  /** 8-bit sRGB BufferedImage of an image, rounding to the nearest level (for writing PNG/JPEG). */
  public static BufferedImage toBufferedImage(RgbImage image) {
    int w = image.width();
    int h = image.height();
    int plane = w * h;
    float[] p = image.planar();
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        int r = to8bit(p[i]);
        int g = to8bit(p[plane + i]);
        int b = to8bit(p[2 * plane + i]);
        out.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    return out;
  }

  private static int to8bit(float v) {
    int q = Math.round(v * 255f);
    return q < 0 ? 0 : Math.min(q, 255);
  }
}
