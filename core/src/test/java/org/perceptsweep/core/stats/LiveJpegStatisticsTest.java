package org.perceptsweep.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.perceptsweep.core.image.ImageDecoder;
import org.perceptsweep.core.image.RgbImage;
import org.perceptsweep.testing.SharedData;

/**
 * The statistics on real human scores: PSNR (RGB, 8-bit peak) on the JPEG part of LIVE Release 2
 * (175 pairs, 29 references, DMOS higher = worse). The shared data README gives SROCC -0.85 for it.
 * PSNR is computed here only to have a real metric; the project's PSNR lives in udf.
 */
class LiveJpegStatisticsTest {
  private static double[] psnr;
  private static double[] dmos;
  private static String[] refIds;

  @BeforeAll
  static void computePsnr() throws IOException {
    long start = System.nanoTime();
    Path root = SharedData.data("live-jpeg");
    List<String> lines = Files.readAllLines(root.resolve("dmos.csv"));
    int n = lines.size() - 1;
    psnr = new double[n];
    dmos = new double[n];
    refIds = new String[n];
    Map<String, RgbImage> refs = new HashMap<>();
    for (int i = 0; i < n; i++) {
      String[] f = lines.get(i + 1).split(",");
      RgbImage ref = refs.computeIfAbsent(f[1], p -> decode(root.resolve(p)));
      RgbImage dist = decode(root.resolve(f[0]));
      psnr[i] = psnrOf(ref, dist);
      dmos[i] = Double.parseDouble(f[2]);
      refIds[i] = f[1];
    }
    System.out.printf("decoded %d pairs in %.1f s%n", n, (System.nanoTime() - start) / 1e9);
  }

  private static RgbImage decode(Path p) {
    try (InputStream in = Files.newInputStream(p)) {
      return ImageDecoder.decode(in, p.toString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** 10 log10(1 / MSE) over all three channels in [0, 1]: the 8-bit PSNR with peak 255. */
  private static double psnrOf(RgbImage a, RgbImage b) {
    float[] x = a.planar();
    float[] y = b.planar();
    double sum = 0;
    for (int i = 0; i < x.length; i++) {
      double d = Math.round(x[i] * 255f) - Math.round(y[i] * 255f);
      sum += d * d;
    }
    double mse = sum / x.length / (255.0 * 255.0);
    return 10 * Math.log10(1 / mse);
  }

  @Test
  void psnrAgainstDmosReproducesThePublishedSrocc() {
    CorrelationResult r = Correlations.of(psnr, dmos);
    System.out.printf("LIVE jpeg PSNR vs DMOS: n=%d SROCC=%.4f KROCC=%.4f PLCC=%.4f%n",
        r.n(), r.srocc(), r.krocc(), r.plcc());
    assertEquals(175, r.n());
    assertEquals(-0.85, r.srocc(), 0.005);
    // PSNR (higher = better) against DMOS (higher = worse): agreement +0.85.
    assertEquals(0.85, Agreement.sign(false, false) * r.srocc(), 0.005);
    assertTrue(r.krocc() < 0 && r.plcc() < 0);
  }

  @Test
  void logisticFitAndReferenceBootstrapOnRealScores() {
    LogisticFitResult fit = LogisticFit.fit(psnr, dmos);
    assertTrue(fit.converged(), fit.failureReason());
    // The logistic can only make the relation more linear: |fitted PLCC| >= |raw PLCC|.
    double rawPlcc = Correlations.of(psnr, dmos).plcc();
    assertTrue(fit.plcc() >= Math.abs(rawPlcc) - 1e-12, fit.plcc() + " vs " + rawPlcc);
    BootstrapResult boot = ReferenceBootstrap.run(psnr, dmos, refIds, 20240611L);
    System.out.printf("LIVE jpeg PSNR: fitted PLCC=%.4f RMSE=%.3f (%d iterations) curve=%s%n",
        fit.plcc(), fit.rmse(), fit.iterations(), fit.curve());
    System.out.printf("LIVE jpeg PSNR bootstrap (29 refs, 1000 resamples): SROCC %.4f [%.4f, %.4f],"
        + " PLCC %.4f [%.4f, %.4f], undefined %d%n", boot.srocc().estimate(), boot.srocc().lower(),
        boot.srocc().upper(), boot.plcc().estimate(), boot.plcc().lower(), boot.plcc().upper(),
        boot.srocc().undefinedResamples());
    assertEquals(29, boot.references());
    assertEquals(0, boot.srocc().undefinedResamples());
    assertNull(boot.srocc().undefinedReason());
    assertTrue(boot.srocc().lower() < boot.srocc().upper());
  }
}
