package org.perceptsweep.core.image;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import javax.imageio.ImageIO;
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
    try {
      img = ImageIO.read(in);
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
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        if (colours == 1) {
          float v = (float) (raster.getSample(x, y, 0) * scale[0]);
          out[i] = v;
          out[plane + i] = v;
          out[2 * plane + i] = v;
        } else {
          for (int c = 0; c < 3; c++) {
            out[c * plane + i] = (float) (raster.getSample(x, y, c) * scale[c]);
          }
        }
      }
    }
    return new RgbImage(w, h, out);
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
