package org.perceptsweep.core.image;

import com.twelvemonkeys.imageio.color.YCbCrConverter;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.perceptsweep.core.UserInputException;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The one image decoder: ImageIO with the TwelveMonkeys readers ({@link ImagePlugins}), giving the
 * pixels of Pillow's {@code Image.open(f).convert("RGB")}, as values / 255.
 *
 * <ul>
 *   <li>8-bit RGB, grey, palette: the stored values; grey fills R, G and B. Read from the raster,
 *       never through {@code getRGB}, which would apply the image's colour space (gamma for grey, an
 *       embedded ICC profile): Pillow's convert ignores both.
 *   <li>Alpha: dropped, not composited, so a transparent pixel keeps its stored colour.
 *   <li>Fewer than 8 bits: scaled to 0..255 as Pillow does (1, 2, 4 bits: x 255, 85, 17; RGB565's
 *       5 and 6 bits: x 255 / 31 and x 255 / 63, rounded down).
 *   <li>16-bit: the high byte ({@code v >> 8}), as Pillow does for 16-bit RGB. For 16-bit grey,
 *       Pillow clips each value at 255 instead (nearly every pixel white); we take the high byte there
 *       too (README, Datasets).
 *   <li>CMYK (JPEG, TIFF): Pillow's conversion, no ICC profile ({@link #cmykToRgb}). JPEG follows
 *       libjpeg: 4 components are YCCK when an Adobe APP14 marker says a transform (then converted to
 *       CMYK), else CMYK; their samples are inverted (Adobe's convention, which Pillow always assumes).
 * </ul>
 *
 * <p>What no reader takes, or a reader fails on (a truncated or corrupt file), is a
 * {@link UserInputException} that names the file and the format.
 */
public final class ImageDecoder {
  /** The formats {@link #decode} reads (the README's Datasets section lists the same). */
  public static final String FORMATS = "BMP, GIF, JPEG, PNG, PNM (PBM, PGM, PPM, PAM), TIFF, lossless WebP";

  /** The readers' format names (as {@link #formatName} gives them) that decode uses. */
  private static final Set<String> READ = Set.of("BMP", "GIF", "JPEG", "PNG", "PNM", "PAM", "TIFF", "BigTIFF", "WebP");

  static {
    ImagePlugins.register();
  }

  private ImageDecoder() {}

  public static RgbImage decode(byte[] bytes, String name) {
    return decode(new ByteArrayInputStream(bytes), name);
  }

  /** Decodes the first image of a file; {@code name} is the path used in error messages. */
  public static RgbImage decode(InputStream in, String name) {
    // A memory-cached stream: ImageIO's default would copy every image to a temp file first (its disk
    // cache is on by default), which costs more than decoding a small JPEG. Closing it leaves `in` open.
    ImageInputStream stream = new MemoryCacheImageInputStream(in);
    try {
      ImageReader reader = null;
      String format = null;
      // The first reader for a format of ours: others on the classpath (WBMP, ICO, ...) are not used,
      // so what is read does not depend on which plugins a class loader happens to see.
      for (Iterator<ImageReader> readers = ImageIO.getImageReaders(stream); readers.hasNext() && reader == null; ) {
        ImageReader candidate = readers.next();
        format = formatName(candidate);
        if (READ.contains(format)) {
          reader = candidate;
        } else {
          candidate.dispose();
        }
      }
      if (reader == null) {
        throw new UserInputException("cannot decode image " + name + ": " + ImageFormats.describeUnknown(stream)
            + "; PerceptSweep reads " + FORMATS + ": convert it to PNG");
      }
      try {
        if (format.equals("WebP") && !ImageFormats.isWholeWebP(stream)) {
          throw new IIOException("the file is shorter than its RIFF header says");
        }
        if (format.equals("WebP") && ImageFormats.isLossyWebP(stream)) {
          throw new UserInputException("cannot decode image " + name + " (WebP): lossy WebP (VP8) is not read: the"
              + " Java decoder does not reproduce libwebp's pixels, which Pillow and the Python IQA tools use (no"
              + " chroma interpolation; README, Datasets); convert it to PNG (e.g. dwebp FILE -o FILE.png)");
        }
        stream.seek(0);
        // JPEG keeps its metadata and can seek back: a 4-component one is read twice (its APP14 marker,
        // then its raster). The others need neither.
        boolean jpeg = format.equals("JPEG");
        reader.setInput(stream, !jpeg, !jpeg);
        TruncationWatch truncation = new TruncationWatch();
        reader.addIIOReadWarningListener(truncation);
        RgbImage image = read(reader, format, name);
        if (truncation.warning != null) {
          throw new IIOException(truncation.warning);
        }
        return image;
      } catch (UserInputException e) {
        throw e;
      } catch (IOException | RuntimeException e) {
        throw new UserInputException("cannot decode image " + name + " (" + format + "): " + reason(e)
            + " (truncated or corrupt file?)", e);
      } finally {
        reader.dispose();
      }
    } catch (IOException e) {
      throw new UserInputException("cannot read image " + name + ": " + e.getMessage(), e);
    } finally {
      try {
        stream.close();
      } catch (IOException ignored) {
        // a memory cache: nothing to release but memory
      }
    }
  }

  private static RgbImage read(ImageReader reader, String format, String name) throws IOException {
    ImageReadParam param = reader.getDefaultReadParam();
    if (format.equals("JPEG")) {
      ImageTypeSpecifier raw = reader.getRawImageType(0);
      if (raw != null && raw.getNumBands() == 4) {
        return jpegFourComponents(reader);
      }
      // An embedded ICC profile other than sRGB: keep the stored samples (Pillow does not apply it;
      // the reader would convert to sRGB for its default destination).
      if (raw != null && raw.getNumBands() == 3 && !raw.getColorModel().getColorSpace().isCS_sRGB()) {
        param.setDestinationType(raw);
      }
    }
    return fromBufferedImage(reader.read(0, param), name);
  }

  /**
   * A JPEG of 4 components, decoded as libjpeg (and so Pillow) does: the raw samples, YCCK converted
   * to CMYK when the Adobe APP14 marker says so, then Pillow's inverted CMYK ({@code CMYK;I}) to RGB.
   * The reader's own conversion is not used: it goes through an ICC profile, and it guesses YCbCrA
   * from component ids where libjpeg reads CMYK.
   */
  private static RgbImage jpegFourComponents(ImageReader reader) throws IOException {
    boolean ycck = adobeTransform(reader.getImageMetadata(0)) > 0;
    Raster raster = reader.readRaster(0, null);
    int w = raster.getWidth();
    int h = raster.getHeight();
    int plane = w * h;
    float[] out = new float[3 * plane];
    int[] row = new int[4 * w];
    byte[] ycc = new byte[3];
    int[] rgb = new int[3];
    for (int y = 0; y < h; y++) {
      raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, row);
      for (int x = 0; x < w; x++) {
        int s = 4 * x;
        int c;
        int m;
        int ye;
        if (ycck) {
          // libjpeg's YCCK to CMYK is CMY = 255 - RGB(YCC); inverted again (CMYK;I) that is RGB(YCC).
          ycc[0] = (byte) row[s];
          ycc[1] = (byte) row[s + 1];
          ycc[2] = (byte) row[s + 2];
          YCbCrConverter.convertJPEGYCbCr2RGB(ycc, ycc, 0);
          c = ycc[0] & 0xff;
          m = ycc[1] & 0xff;
          ye = ycc[2] & 0xff;
        } else {
          c = 255 - row[s];
          m = 255 - row[s + 1];
          ye = 255 - row[s + 2];
        }
        cmykToRgb(c, m, ye, 255 - row[s + 3], rgb);
        int i = y * w + x;
        out[i] = level(rgb[0]);
        out[plane + i] = level(rgb[1]);
        out[2 * plane + i] = level(rgb[2]);
      }
    }
    return new RgbImage(w, h, out);
  }

  /** The Adobe APP14 marker's transform (0 none, 1 YCC, 2 YCCK), or -1 when there is none. */
  private static int adobeTransform(IIOMetadata metadata) {
    if (metadata == null) {
      return -1;
    }
    NodeList nodes = ((Element) metadata.getAsTree("javax_imageio_jpeg_image_1.0")).getElementsByTagName("app14Adobe");
    return nodes.getLength() == 0 ? -1 : Integer.parseInt(((Element) nodes.item(0)).getAttribute("transform"));
  }

  /**
   * Pillow's CMYK to RGB ({@code cmyk2rgb} in libImaging/Convert.c, Pillow 9): each colour is the
   * white left by K, less C (M, Y) of it, in 8-bit integer arithmetic; no ICC profile.
   */
  static void cmykToRgb(int c, int m, int y, int k, int[] rgb) {
    int nk = 255 - k;
    rgb[0] = nk - mulDiv255(c, nk);
    rgb[1] = nk - mulDiv255(m, nk);
    rgb[2] = nk - mulDiv255(y, nk);
  }

  /** a * b / 255 rounded, exactly as Pillow's MULDIV255 macro. */
  private static int mulDiv255(int a, int b) {
    int t = a * b + 128;
    return ((t >> 8) + t) >> 8;
  }

  private static float level(int v) {
    return (float) (v * (1.0 / 255));
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
          out[i] = level((argb >> 16) & 0xff);
          out[plane + i] = level((argb >> 8) & 0xff);
          out[2 * plane + i] = level(argb & 0xff);
        }
      }
      return new RgbImage(w, h, out);
    }
    int colours = cm.getNumColorComponents();
    int space = cm.getColorSpace().getType();
    int dataType = raster.getDataBuffer().getDataType();
    if (dataType == DataBuffer.TYPE_FLOAT || dataType == DataBuffer.TYPE_DOUBLE) {
      throw new UserInputException("cannot use image " + name
          + ": it has floating-point samples, which PerceptSweep does not read; convert it to 8 or 16 bit");
    }
    for (int c = 0; c < colours; c++) {
      if (cm.getComponentSize(c) > 16) {
        throw new UserInputException("cannot use image " + name + ": it has " + cm.getComponentSize(c)
            + "-bit samples, which PerceptSweep does not read; convert it to 8 or 16 bit");
      }
    }
    if (colours == 4 && space == ColorSpace.TYPE_CMYK) {
      readCmyk(raster, cm, out);
      return new RgbImage(w, h, out);
    }
    if (!(colours == 1 && space == ColorSpace.TYPE_GRAY) && !(colours == 3 && space == ColorSpace.TYPE_RGB)) {
      throw new UserInputException("cannot use image " + name + ": it has " + colours + " colour components in "
          + spaceName(space) + ", which PerceptSweep does not read; convert it to RGB or grey");
    }
    if (!readBytesDirectly(raster, colours, cm, out)) {
      readRows(raster, colours, cm, out);
    }
    return new RgbImage(w, h, out);
  }

  /**
   * The fast path for what ImageIO gives for JPEG and most PNGs: 8-bit samples in byte arrays
   * (interleaved or banded). Reads the bytes through a 256-entry table, about 10x faster than a
   * virtual getSample call per sample; the values are the same as {@link #readRows}'.
   *
   * @return false when the raster is laid out otherwise (the caller reads it row by row)
   */
  private static boolean readBytesDirectly(Raster raster, int colours, ColorModel cm, float[] out) {
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
    float[] table = new float[256];
    for (int v = 0; v < 256; v++) {
      table[v] = sample(v, 8);
    }
    for (int c = 0; c < colours; c++) {
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

  /** Any other layout (16-bit, packed ints, fewer than 8 bits): a row of samples per call. */
  private static void readRows(Raster raster, int colours, ColorModel cm, float[] out) {
    int w = raster.getWidth();
    int h = raster.getHeight();
    int plane = w * h;
    int[] row = new int[w];
    for (int c = 0; c < colours; c++) {
      int bits = cm.getComponentSize(c);
      for (int y = 0; y < h; y++) {
        raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, c, row);
        int dst = y * w;
        for (int x = 0; x < w; x++) {
          float v = sample(row[x], bits);
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

  /** CMYK samples (not inverted: 0 = no ink, as TIFF stores them) through Pillow's conversion. */
  private static void readCmyk(Raster raster, ColorModel cm, float[] out) {
    int w = raster.getWidth();
    int h = raster.getHeight();
    int plane = w * h;
    int[][] rows = new int[4][w];
    int[] rgb = new int[3];
    for (int y = 0; y < h; y++) {
      for (int c = 0; c < 4; c++) {
        raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, c, rows[c]);
      }
      for (int x = 0; x < w; x++) {
        cmykToRgb(to8bit(rows[0][x], cm.getComponentSize(0)), to8bit(rows[1][x], cm.getComponentSize(1)),
            to8bit(rows[2][x], cm.getComponentSize(2)), to8bit(rows[3][x], cm.getComponentSize(3)), rgb);
        int i = y * w + x;
        out[i] = level(rgb[0]);
        out[plane + i] = level(rgb[1]);
        out[2 * plane + i] = level(rgb[2]);
      }
    }
  }

  /** One sample of {@code bits} bits as a value in [0, 1]: the 8-bit level Pillow makes of it, / 255. */
  static float sample(int v, int bits) {
    return level(to8bit(v, bits));
  }

  /**
   * Pillow's 8-bit level of a sample: above 8 bits the high byte; below, v x 255 / (2^bits - 1)
   * rounded down (1, 2, 4 bits: exactly x 255, 85, 17; 5 and 6-bit RGB565 as Pillow's BGR;16 unpacker).
   */
  private static int to8bit(int v, int bits) {
    return bits > 8 ? v >>> (bits - 8) : bits == 8 ? v : v * 255 / ((1 << bits) - 1);
  }

  /** An exception as a short reason: its message (and its cause's), or what an EOF means. */
  private static String reason(Throwable e) {
    String own = e instanceof EOFException ? "the file ends early"
        : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    Throwable cause = e.getCause();
    if (cause == null || cause == e || (cause.getMessage() != null && own.contains(cause.getMessage()))) {
      return own;
    }
    return own + ": " + reason(cause);
  }

  private static String spaceName(int type) {
    return switch (type) {
      case ColorSpace.TYPE_RGB -> "RGB";
      case ColorSpace.TYPE_GRAY -> "grey";
      case ColorSpace.TYPE_CMYK -> "CMYK";
      case ColorSpace.TYPE_Lab -> "Lab";
      case ColorSpace.TYPE_YCbCr -> "YCbCr";
      case ColorSpace.TYPE_XYZ -> "XYZ";
      default -> "a colour space of type " + type;
    };
  }

  private static String formatName(ImageReader reader) throws IOException {
    String name = reader.getFormatName().toUpperCase(Locale.ROOT);
    return switch (name) {
      case "JPG" -> "JPEG";
      case "TIF" -> "TIFF";
      case "WEBP" -> "WebP";
      case "BIGTIFF" -> "BigTIFF";
      default -> name;
    };
  }

  /**
   * Records the libjpeg warning for data that ends early: the JDK's JPEG decoder fills the rest with
   * grey and goes on, where Pillow (and so this decoder) refuses a truncated file.
   */
  private static final class TruncationWatch implements IIOReadWarningListener {
    String warning;

    @Override
    public void warningOccurred(ImageReader source, String warning) {
      if (this.warning == null && warning != null && warning.toLowerCase(Locale.ROOT).contains("premature end")) {
        this.warning = warning;
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
