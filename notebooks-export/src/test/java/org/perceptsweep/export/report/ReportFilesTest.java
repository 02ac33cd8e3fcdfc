package org.perceptsweep.export.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

/** The written report: figures (PNG/SVG), table files and the notebook against nbformat 4's rules. */
class ReportFilesTest {
  @TempDir
  static Path tmp;

  private static ReportSummary full;
  private static ReportSummary bare;

  @BeforeAll
  static void write() {
    full = ReportWriter.write(ReportFixtures.input(true, true, true), tmp.resolve("full"));
    bare = ReportWriter.write(ReportFixtures.input(false, false, false), tmp.resolve("bare"));
  }

  @Test
  void everyFigureIsAValidNonBlankPngAndSvgOfItsSize() throws Exception {
    Set<String> ids = new HashSet<>();
    full.figures().forEach(f -> ids.add(f.id()));
    assertEquals(Set.of("toy-depth", "toy-factor-goal", "toy-factor-training_data", "toy-factor-architecture",
        "toy-scatter-alexnet-imagenet-relu2-unit_l2", "toy-scatter-psnr-image-psnr", "toy-distortions"), ids);
    for (Figure f : full.figures()) {
      BufferedImage img = ImageIO.read(f.png().toFile());
      assertNotNull(img, "PNG decodes: " + f.png());
      assertEquals(f.width(), img.getWidth(), f.id());
      assertEquals(f.height(), img.getHeight(), f.id());
      assertTrue(luminanceVariance(img) > 100, "not blank: " + f.id() + " variance " + luminanceVariance(img));
      DocumentBuilderFactory xml = DocumentBuilderFactory.newInstance();
      // JFreeSVG writes the SVG 1.1 DOCTYPE; parse without fetching its DTD (no network in tests).
      xml.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
      Element svg = xml.newDocumentBuilder().parse(f.svg().toFile()).getDocumentElement();
      assertEquals("svg", svg.getTagName(), f.id());
      assertEquals(f.width(), Double.parseDouble(svg.getAttribute("width")), 0.0, f.id());
      assertEquals(f.height(), Double.parseDouble(svg.getAttribute("height")), 0.0, f.id());
      assertTrue(svg.getElementsByTagName("path").getLength() + svg.getElementsByTagName("rect").getLength() > 10,
          "SVG draws shapes: " + f.id());
      assertTrue(svg.getElementsByTagName("text").getLength() > 3, "SVG has text: " + f.id());
    }
  }

  @Test
  void depthFigureHasOneColouredLinePerNet() throws Exception {
    BufferedImage img = ImageIO.read(tmp.resolve("full/figures/toy-depth.png").toFile());
    for (int i = 0; i < 3; i++) {
      int rgb = ReportCharts.colour(i).getRGB() & 0xffffff;
      int count = 0;
      for (int y = 0; y < img.getHeight(); y++) {
        for (int x = 0; x < img.getWidth(); x++) {
          count += (img.getRGB(x, y) & 0xffffff) == rgb ? 1 : 0;
        }
      }
      assertTrue(count > 200, "net " + i + " line drawn in its colour: " + count + " pixels");
    }
  }

  @Test
  void withoutNetsTableThereAreNoFactorFigures() {
    assertTrue(bare.figures().stream().noneMatch(f -> f.id().contains("factor")));
    assertTrue(bare.figures().stream().anyMatch(f -> f.id().equals("toy-depth")));
  }

  @Test
  void tablesAreWrittenInThreeFormats() throws Exception {
    for (String stem : List.of("taps", "best", "factors", "baselines", "distortions", "table-comparisons")) {
      String csv = Files.readString(tmp.resolve("full/tables/toy-" + stem + ".csv"));
      String md = Files.readString(tmp.resolve("full/tables/toy-" + stem + ".md"));
      String tex = Files.readString(tmp.resolve("full/tables/toy-" + stem + ".tex"));
      assertFalse(csv.isBlank(), stem);
      assertTrue(md.contains("|---|"), stem);
      assertTrue(tex.contains("\\begin{tabular}") && tex.contains("\\end{tabular}"), stem);
    }
    String tex = Files.readString(tmp.resolve("full/tables/toy-taps.tex"));
    assertTrue(tex.contains("alexnet-imagenet & unit\\_l2 & relu2 & 0.40 & 60 & \\textbf{0.900 [0.850, 0.940]}"), tex);
  }

  @Test
  void notebookFollowsNbformat4() throws Exception {
    for (ReportSummary s : List.of(full, bare)) {
      JsonNode nb = new ObjectMapper().readTree(Files.readString(s.notebook()));
      assertEquals(Set.of("cells", "metadata", "nbformat", "nbformat_minor"), fields(nb));
      assertEquals(4, nb.get("nbformat").asInt());
      assertTrue(nb.get("nbformat").isInt() && nb.get("nbformat_minor").isInt());
      assertTrue(nb.get("nbformat_minor").asInt() >= 5, "cell ids need 4.5");
      assertTrue(nb.get("metadata").isObject());
      assertEquals("python3", nb.at("/metadata/kernelspec/name").asText());
      assertEquals("python", nb.at("/metadata/language_info/name").asText());
      Set<String> ids = new HashSet<>();
      Pattern idPattern = Pattern.compile("^[a-zA-Z0-9-_]{1,64}$");
      int images = 0;
      int codeWithPandas = 0;
      for (JsonNode cell : nb.get("cells")) {
        String type = cell.get("cell_type").asText();
        assertTrue(Set.of("markdown", "code", "raw").contains(type), type);
        String id = cell.get("id").asText();
        assertTrue(idPattern.matcher(id).matches(), id);
        assertTrue(ids.add(id), "unique id " + id);
        assertTrue(cell.get("metadata").isObject());
        assertSource(cell.get("source"));
        if (type.equals("markdown")) {
          assertEquals(Set.of("cell_type", "id", "metadata", "source"), fields(cell));
        } else if (type.equals("code")) {
          assertEquals(Set.of("cell_type", "id", "metadata", "source", "execution_count", "outputs"), fields(cell));
          assertTrue(cell.get("execution_count").isNull() || cell.get("execution_count").isInt());
          assertTrue(cell.get("outputs").isArray());
          if (String.join("", texts(cell.get("source"))).contains("pd.read_parquet")) {
            codeWithPandas++;
          }
          for (JsonNode out : cell.get("outputs")) {
            assertEquals("display_data", out.get("output_type").asText());
            assertEquals(Set.of("output_type", "data", "metadata"), fields(out));
            assertTrue(out.get("metadata").isObject());
            byte[] png = Base64.getDecoder().decode(out.at("/data/image~1png").asText());
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
            assertNotNull(img, "embedded PNG decodes");
            assertEquals(img.getWidth(), out.at("/metadata/image~1png/width").asInt());
            assertSource(out.at("/data/text~1plain"));
            images++;
          }
        }
      }
      assertEquals(s.figures().size(), images, "every figure embedded once");
      assertEquals(1, codeWithPandas, "the cell that reloads the Parquet tables");
    }
  }

  /** nbformat multiline strings: a string, or a list of strings with newlines only at the ends. */
  private static void assertSource(JsonNode source) {
    if (source.isTextual()) {
      return;
    }
    assertTrue(source.isArray(), "source is a string or list of strings");
    List<String> lines = texts(source);
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      int nl = l.indexOf('\n');
      assertTrue(nl < 0 || nl == l.length() - 1, "newline only at the end of a line: " + l);
      if (i < lines.size() - 1) {
        assertTrue(l.endsWith("\n"), "every line but the last ends in a newline");
      }
    }
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new java.util.ArrayList<>();
    array.forEach(n -> {
      assertTrue(n.isTextual());
      out.add(n.asText());
    });
    return out;
  }

  private static Set<String> fields(JsonNode node) {
    Set<String> out = new HashSet<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }

  static double luminanceVariance(BufferedImage img) {
    double sum = 0;
    double sq = 0;
    long n = (long) img.getWidth() * img.getHeight();
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int rgb = img.getRGB(x, y);
        double l = 0.299 * ((rgb >> 16) & 255) + 0.587 * ((rgb >> 8) & 255) + 0.114 * (rgb & 255);
        sum += l;
        sq += l * l;
      }
    }
    double mean = sum / n;
    return sq / n - mean * mean;
  }
}
