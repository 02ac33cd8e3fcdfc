package org.perceptsweep.export.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.perceptsweep.export.TableRenderers;

/**
 * The report as a Jupyter notebook (nbformat 4.5): markdown cells for the text and tables, code
 * cells that reload the Parquet tables with pandas/pyarrow (not run: no outputs, execution count
 * null), and one code cell per figure whose {@code display_data} output holds the PNG (base64), so
 * the figures show without running anything.
 */
public final class NotebookWriter {
  public static final int NBFORMAT = 4;
  public static final int NBFORMAT_MINOR = 5;
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private NotebookWriter() {}

  /** The notebook JSON; figure paths in the blocks are relative to {@code folder}. */
  public static String render(List<Block> doc, Path folder) {
    ObjectNode nb = JSON.createObjectNode();
    ObjectNode meta = nb.putObject("metadata");
    ObjectNode kernel = meta.putObject("kernelspec");
    kernel.put("display_name", "Python 3");
    kernel.put("language", "python");
    kernel.put("name", "python3");
    meta.putObject("language_info").put("name", "python");
    nb.put("nbformat", NBFORMAT);
    nb.put("nbformat_minor", NBFORMAT_MINOR);
    ArrayNode cells = nb.putArray("cells");
    int[] id = {0};
    StringBuilder markdown = new StringBuilder();
    for (Block b : doc) {
      if (b instanceof Block.Heading h) {
        flush(cells, markdown, id);
        markdown.append("#".repeat(h.level())).append(' ').append(h.text()).append("\n\n");
      } else if (b instanceof Block.Text t) {
        markdown.append(t.text()).append("\n\n");
      } else if (b instanceof Block.Bullets l) {
        l.items().forEach(i -> markdown.append("- ").append(i).append('\n'));
        markdown.append('\n');
      } else if (b instanceof Block.Table t) {
        markdown.append("**").append(t.table().title()).append(".** ").append(t.table().caption()).append("\n\n")
            .append(TableRenderers.markdown(t.table().display())).append("\nFiles: [CSV](").append(t.csv())
            .append("), [Markdown](").append(t.markdown()).append("), [LaTeX](").append(t.latex()).append(")\n\n");
        flush(cells, markdown, id);
      } else if (b instanceof Block.Chart c) {
        markdown.append("**").append(c.figure().title()).append(".** ").append(c.figure().caption())
            .append(" ([SVG](").append(c.svg()).append("))\n");
        flush(cells, markdown, id);
        ObjectNode cell = code(cells, "from IPython.display import Image, display\n"
            + "display(Image(filename=" + ReportWriter.pythonString(c.png()) + "))", id);
        ObjectNode out = ((ArrayNode) cell.get("outputs")).addObject();
        out.put("output_type", "display_data");
        ObjectNode data = out.putObject("data");
        data.put("image/png", base64(folder.resolve(c.png())));
        data.set("text/plain", lines("<Figure " + c.figure().width() + "x" + c.figure().height() + ": "
            + c.figure().title() + ">"));
        ObjectNode size = out.putObject("metadata").putObject("image/png");
        size.put("width", c.figure().width());
        size.put("height", c.figure().height());
      } else if (b instanceof Block.Code c) {
        flush(cells, markdown, id);
        code(cells, c.source(), id);
      }
    }
    flush(cells, markdown, id);
    try {
      return JSON.writeValueAsString(nb) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("notebook JSON", e);
    }
  }

  private static void flush(ArrayNode cells, StringBuilder markdown, int[] id) {
    String text = markdown.toString().strip();
    markdown.setLength(0);
    if (text.isEmpty()) {
      return;
    }
    ObjectNode cell = cells.addObject();
    cell.put("cell_type", "markdown");
    cell.put("id", "cell-" + (++id[0]));
    cell.putObject("metadata");
    cell.set("source", lines(text));
  }

  private static ObjectNode code(ArrayNode cells, String source, int[] id) {
    ObjectNode cell = cells.addObject();
    cell.put("cell_type", "code");
    cell.put("id", "cell-" + (++id[0]));
    cell.putObject("metadata");
    cell.putNull("execution_count");
    cell.set("source", lines(source));
    cell.putArray("outputs");
    return cell;
  }

  /** Multi-line text as nbformat stores it: a list of lines, each but the last ending in a newline. */
  static ArrayNode lines(String text) {
    ArrayNode a = JSON.createArrayNode();
    String[] parts = text.split("\n", -1);
    for (int i = 0; i < parts.length; i++) {
      a.add(i < parts.length - 1 ? parts[i] + "\n" : parts[i]);
    }
    return a;
  }

  private static String base64(Path png) {
    try {
      return Base64.getEncoder().encodeToString(Files.readAllBytes(png));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
