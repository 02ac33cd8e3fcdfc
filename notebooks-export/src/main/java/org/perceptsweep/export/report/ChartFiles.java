package org.perceptsweep.export.report;

import java.awt.Rectangle;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.svg.SVGGraphics2D;

/** Writes one chart as PNG (ImageIO, via JFreeChart) and as SVG (JFreeSVG), same size and drawing. */
public final class ChartFiles {
  private ChartFiles() {}

  public static Figure write(JFreeChart chart, Path dir, String id, String title, String caption, int width,
      int height) {
    Path png = dir.resolve(id + ".png");
    Path svg = dir.resolve(id + ".svg");
    try {
      Files.createDirectories(dir);
      try (OutputStream out = Files.newOutputStream(png)) {
        ChartUtils.writeChartAsPNG(out, chart, width, height);
      }
      SVGGraphics2D g2 = new SVGGraphics2D(width, height);
      chart.draw(g2, new Rectangle(0, 0, width, height));
      Files.writeString(svg, g2.getSVGDocument(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("writing chart " + png, e);
    }
    return new Figure(id, title, caption, png, svg, width, height);
  }
}
