package org.perceptsweep.udf.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.perceptsweep.core.image.ImageDecoder;
import org.perceptsweep.core.image.RgbImage;
import org.perceptsweep.testing.SharedData;

/**
 * PSNR on a real full-reference set: the LIVE JPEG subset (175 pairs) in ../shared/data, whose
 * README gives the known result: PSNR (RGB) has SROCC -0.85 against DMOS (higher DMOS = worse).
 */
class ClassicMetricsLiveJpegTest {

  @Test
  void psnrRankCorrelationWithDmosMatchesTheKnownValue() throws IOException {
    Path csv = SharedData.data("live-jpeg/dmos.csv");
    Path root = csv.getParent();
    List<String> lines = Files.readAllLines(csv);
    assertEquals("dist,ref,dmos", lines.get(0), "dmos.csv header");
    Map<String, RgbImage> refs = new HashMap<>();
    int n = lines.size() - 1;
    double[] psnr = new double[n];
    double[] dmos = new double[n];
    for (int i = 0; i < n; i++) {
      String[] fields = lines.get(i + 1).split(",");
      RgbImage ref = refs.computeIfAbsent(fields[1], name -> decode(root.resolve(name)));
      psnr[i] = ClassicMetrics.psnr(ref, decode(root.resolve(fields[0])));
      dmos[i] = Double.parseDouble(fields[2]);
    }
    assertEquals(175, n);
    assertEquals(-0.85, spearman(psnr, dmos), 0.005); // known value given to 2 decimals
  }

  private static RgbImage decode(Path path) {
    try (InputStream in = Files.newInputStream(path)) {
      return ImageDecoder.decode(in, path.toString());
    } catch (IOException e) {
      throw new AssertionError("cannot read " + path, e);
    }
  }

  /** Spearman's rho: Pearson correlation of ranks, tied values sharing their mean rank. */
  static double spearman(double[] x, double[] y) {
    double[] rx = ranks(x);
    double[] ry = ranks(y);
    double mx = Arrays.stream(rx).average().orElseThrow();
    double my = Arrays.stream(ry).average().orElseThrow();
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < rx.length; i++) {
      sxy += (rx[i] - mx) * (ry[i] - my);
      sxx += (rx[i] - mx) * (rx[i] - mx);
      syy += (ry[i] - my) * (ry[i] - my);
    }
    return sxy / Math.sqrt(sxx * syy);
  }

  private static double[] ranks(double[] values) {
    Integer[] order = new Integer[values.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
    double[] ranks = new double[values.length];
    for (int start = 0; start < order.length; ) {
      int end = start;
      while (end + 1 < order.length && values[order[end + 1]] == values[order[start]]) {
        end++;
      }
      double mean = (start + end) / 2.0 + 1;
      for (int k = start; k <= end; k++) {
        ranks[order[k]] = mean;
      }
      start = end + 1;
    }
    return ranks;
  }
}
