package org.perceptsweep.export.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the HTML report in real headless Chromium (Debian's {@code chromium}, which .ci/run
 * installs when missing): the screenshot is not uniform and the DOM Chromium built holds the
 * tables and the figures. Skips without Chromium, except under CI=true, where it fails.
 */
class ReportHtmlChromiumTest {
  static final String CHROMIUM = "/usr/bin/chromium";

  @TempDir
  static Path tmp;

  private static ReportSummary report;

  @BeforeAll
  static void write() {
    if (!Files.isExecutable(Path.of(CHROMIUM))) {
      String msg = CHROMIUM + " not found (apt-get install -y chromium; .ci/run installs it)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        Assertions.fail(msg + "; CI=true requires it");
      }
      Assumptions.abort(msg + "; skipping");
    }
    report = ReportWriter.write(ReportFixtures.input(true, true, true), tmp.resolve("report"));
  }

  @Test
  void screenshotShowsARenderedPage() throws Exception {
    Path shot = tmp.resolve("shot.png");
    run("--screenshot=" + shot, "--window-size=1280,2000");
    BufferedImage img = ImageIO.read(shot.toFile());
    assertNotNull(img, "screenshot decodes");
    assertEquals(1280, img.getWidth());
    assertEquals(2000, img.getHeight());
    assertTrue(ReportFilesTest.luminanceVariance(img) > 50, "not a uniform page");
    // The depth figure's first net colour shows on screen: the <img> loaded and painted.
    int rgb = ReportCharts.colour(0).getRGB() & 0xffffff;
    int seen = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int p = img.getRGB(x, y) & 0xffffff;
        seen += close(p, rgb) ? 1 : 0;
      }
    }
    assertTrue(seen > 100, "figure pixels on screen: " + seen);
  }

  @Test
  void domHasTheTablesAndLoadedFigures() throws Exception {
    String dom = run("--dump-dom", "--window-size=1280,900");
    assertTrue(dom.contains("<h1 id=\"top\">PerceptSweep report</h1>"), dom.substring(0, Math.min(500, dom.length())));
    // One HTML table per report table of the dataset (taps, best, factors, baselines, distortions, comparisons).
    assertEquals(6, count(dom, "<table>"), "tables in the DOM");
    assertTrue(dom.contains("<strong>0.900 [0.850, 0.940]</strong>"), "best tap in bold with its interval");
    List<String> images = new ArrayList<>();
    Matcher m = Pattern.compile("<img src=\"([^\"]+)\"").matcher(dom);
    while (m.find()) {
      images.add(m.group(1));
    }
    assertEquals(report.figures().size(), images.size(), "one <img> per figure");
    for (String src : images) {
      assertTrue(Files.exists(report.folder().resolve(src)), "image file beside the page: " + src);
    }
    assertTrue(!dom.contains("http://") && !dom.contains("https://"), "nothing fetched from the network");
  }

  private static boolean close(int a, int b) {
    return Math.abs(((a >> 16) & 255) - ((b >> 16) & 255)) < 12 && Math.abs(((a >> 8) & 255) - ((b >> 8) & 255)) < 12
        && Math.abs((a & 255) - (b & 255)) < 12;
  }

  private static int count(String s, String needle) {
    int n = 0;
    for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  /** Runs headless Chromium on the report page; returns its standard output (the DOM for --dump-dom). */
  private static String run(String... args) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory(tmp, "chromium-profile");
    List<String> cmd = new ArrayList<>(List.of(CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + profile));
    cmd.addAll(List.of(args));
    cmd.add(report.html().toUri().toString());
    Path out = tmp.resolve("chromium-" + System.nanoTime() + ".out");
    Path err = tmp.resolve("chromium-" + System.nanoTime() + ".err");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      Assertions.fail("chromium did not finish in 120 s: " + Files.readString(err));
    }
    assertEquals(0, p.exitValue(), "chromium failed: " + Files.readString(err));
    return Files.readString(out, StandardCharsets.UTF_8);
  }
}
