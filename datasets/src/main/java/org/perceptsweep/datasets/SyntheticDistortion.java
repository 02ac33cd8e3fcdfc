package org.perceptsweep.datasets;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.perceptsweep.core.UserInputException;
import org.perceptsweep.core.image.ImageDecoder;
import org.perceptsweep.core.image.RgbImage;

/**
 * The distortion families of the synthetic set, KADID style: one parameter per family, moved from
 * a mild first level to a strong last level. Level k of L uses {@code t = (k-1)/(L-1)} (t = 0 when
 * L = 1) and the parameter {@code first + t (last - first)} (linear) or
 * {@code first (last/first)^t} (geometric). With the default 5 levels:
 *
 * <table>
 *   <caption>Parameters per level (5 levels); values are in [0,1] image units unless stated</caption>
 *   <tr><th>family</th><th>parameter</th><th>scale</th><th>1</th><th>2</th><th>3</th><th>4</th><th>5</th></tr>
 *   <tr><td>gaussian_noise</td><td>noise sigma, per pixel and channel, then clipped to [0,1]</td>
 *       <td>linear</td><td>0.02</td><td>0.065</td><td>0.11</td><td>0.155</td><td>0.20</td></tr>
 *   <tr><td>gaussian_blur</td><td>kernel sigma in pixels (radius ceil(3 sigma), mirrored edges)</td>
 *       <td>geometric</td><td>0.5</td><td>0.841</td><td>1.414</td><td>2.378</td><td>4.0</td></tr>
 *   <tr><td>jpeg</td><td>ImageIO JPEG quality (baseline, 4:2:0), then decoded</td>
 *       <td>linear, rounded</td><td>70</td><td>55</td><td>40</td><td>25</td><td>10</td></tr>
 *   <tr><td>contrast_change</td><td>contrast factor c: mean + c (x - mean), mean per channel</td>
 *       <td>linear</td><td>0.8</td><td>0.65</td><td>0.5</td><td>0.35</td><td>0.2</td></tr>
 *   <tr><td>quantisation</td><td>levels n per channel: round(x (n-1)) / (n-1)</td>
 *       <td>geometric, rounded</td><td>32</td><td>16</td><td>8</td><td>4</td><td>2</td></tr>
 *   <tr><td>colour_saturation</td><td>saturation s: Y + s (x - Y), Y = 0.299 R + 0.587 G + 0.114 B</td>
 *       <td>linear</td><td>0.8</td><td>0.6</td><td>0.4</td><td>0.2</td><td>0.0</td></tr>
 * </table>
 *
 * All arithmetic is plain Java (StrictMath where a library function is needed) so that the same
 * input and seed give the same image on every machine; JPEG goes through the JDK's ImageIO codec.
 */
public enum SyntheticDistortion {
  GAUSSIAN_NOISE("gaussian_noise", 0.02, 0.20, false),
  GAUSSIAN_BLUR("gaussian_blur", 0.5, 4.0, true),
  JPEG("jpeg", 70, 10, false),
  CONTRAST_CHANGE("contrast_change", 0.8, 0.2, false),
  QUANTISATION("quantisation", 32, 2, true),
  COLOUR_SATURATION("colour_saturation", 0.8, 0.0, false);

  private final String id;
  private final double first;
  private final double last;
  private final boolean geometric;

  SyntheticDistortion(String id, double first, double last, boolean geometric) {
    this.id = id;
    this.first = first;
    this.last = last;
    this.geometric = geometric;
  }

  /** The family name used in the manifest's distortion column and in pair ids. */
  public String id() {
    return id;
  }

  public static List<String> names() {
    List<String> out = new ArrayList<>();
    for (SyntheticDistortion d : values()) {
      out.add(d.id);
    }
    return out;
  }

  public static SyntheticDistortion byName(String name) {
    for (SyntheticDistortion d : values()) {
      if (d.id.equals(name)) {
        return d;
      }
    }
    throw new UserInputException("unknown synthetic distortion '" + name + "': use one of " + names());
  }

  /** The parameter of level {@code level} (1-based) of {@code levels}, before any rounding. */
  public double parameter(int level, int levels) {
    if (level < 1 || level > levels) {
      throw new IllegalArgumentException("level " + level + " outside 1.." + levels);
    }
    double t = levels == 1 ? 0 : (level - 1) / (double) (levels - 1);
    return geometric ? first * StrictMath.pow(last / first, t) : first + t * (last - first);
  }

  /**
   * Applies this family at a level. {@code rng} is used only by gaussian_noise; pass one seeded per
   * (seed, reference, family, level) so that the result does not depend on generation order.
   */
  public RgbImage apply(RgbImage img, int level, int levels, SplittableRandom rng) {
    double p = parameter(level, levels);
    return switch (this) {
      case GAUSSIAN_NOISE -> addNoise(img, p, rng);
      case GAUSSIAN_BLUR -> blur(img, p);
      case JPEG -> jpeg(img, (int) Math.round(p));
      case CONTRAST_CHANGE -> contrast(img, p);
      case QUANTISATION -> quantise(img, (int) Math.round(p));
      case COLOUR_SATURATION -> saturation(img, p);
    };
  }

  static RgbImage addNoise(RgbImage img, double sigma, SplittableRandom rng) {
    float[] in = img.planar();
    float[] out = new float[in.length];
    for (int i = 0; i < in.length; i += 2) {
      // Box-Muller with StrictMath: two independent normals per draw, identical on every JVM
      double u1 = 1.0 - rng.nextDouble(); // (0, 1], keeps log finite
      double u2 = rng.nextDouble();
      double r = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
      out[i] = clip01(in[i] + sigma * r * StrictMath.cos(2 * Math.PI * u2));
      if (i + 1 < in.length) {
        out[i + 1] = clip01(in[i + 1] + sigma * r * StrictMath.sin(2 * Math.PI * u2));
      }
    }
    return new RgbImage(img.width(), img.height(), out);
  }

  static RgbImage blur(RgbImage img, double sigma) {
    int radius = (int) Math.ceil(3 * sigma);
    double[] k = new double[2 * radius + 1];
    double sum = 0;
    for (int i = -radius; i <= radius; i++) {
      k[i + radius] = StrictMath.exp(-(i * i) / (2 * sigma * sigma));
      sum += k[i + radius];
    }
    for (int i = 0; i < k.length; i++) {
      k[i] /= sum;
    }
    int w = img.width();
    int h = img.height();
    float[] in = img.planar();
    float[] tmp = new float[in.length];
    float[] out = new float[in.length];
    for (int c = 0; c < 3; c++) {
      int off = c * w * h;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          double acc = 0;
          for (int i = -radius; i <= radius; i++) {
            acc += k[i + radius] * in[off + y * w + mirror(x + i, w)];
          }
          tmp[off + y * w + x] = (float) acc;
        }
      }
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          double acc = 0;
          for (int i = -radius; i <= radius; i++) {
            acc += k[i + radius] * tmp[off + mirror(y + i, h) * w + x];
          }
          out[off + y * w + x] = clip01(acc);
        }
      }
    }
    return new RgbImage(w, h, out);
  }

  /** Reflects an index into [0, n) without repeating the edge sample (…2 1 0 1 2…). */
  static int mirror(int i, int n) {
    if (n == 1) {
      return 0;
    }
    int period = 2 * (n - 1);
    int m = Math.floorMod(i, period);
    return m < n ? m : period - m;
  }

  static RgbImage jpeg(RgbImage img, int quality) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream ios = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(ios);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality / 100f);
      writer.write(null, new IIOImage(ImageDecoder.toBufferedImage(img), null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException("JPEG encoding in memory failed", e);
    } finally {
      writer.dispose();
    }
    return ImageDecoder.decode(new ByteArrayInputStream(bytes.toByteArray()), "in-memory JPEG q" + quality);
  }

  static RgbImage contrast(RgbImage img, double factor) {
    int plane = img.width() * img.height();
    float[] in = img.planar();
    float[] out = new float[in.length];
    for (int c = 0; c < 3; c++) {
      double mean = 0;
      for (int i = 0; i < plane; i++) {
        mean += in[c * plane + i];
      }
      mean /= plane;
      for (int i = 0; i < plane; i++) {
        out[c * plane + i] = clip01(mean + factor * (in[c * plane + i] - mean));
      }
    }
    return new RgbImage(img.width(), img.height(), out);
  }

  static RgbImage quantise(RgbImage img, int levels) {
    float[] in = img.planar();
    float[] out = new float[in.length];
    int steps = levels - 1;
    for (int i = 0; i < in.length; i++) {
      out[i] = (float) (Math.round(in[i] * steps) / (double) steps);
    }
    return new RgbImage(img.width(), img.height(), out);
  }

  static RgbImage saturation(RgbImage img, double s) {
    int plane = img.width() * img.height();
    float[] in = img.planar();
    float[] out = new float[in.length];
    for (int i = 0; i < plane; i++) {
      double r = in[i];
      double g = in[plane + i];
      double b = in[2 * plane + i];
      double y = 0.299 * r + 0.587 * g + 0.114 * b;
      out[i] = clip01(y + s * (r - y));
      out[plane + i] = clip01(y + s * (g - y));
      out[2 * plane + i] = clip01(y + s * (b - y));
    }
    return new RgbImage(img.width(), img.height(), out);
  }

  static float clip01(double v) {
    return (float) (v < 0 ? 0 : Math.min(v, 1));
  }
}
