package org.perceptsweep.export.report;

import static org.perceptsweep.export.TableRenderers.htmlEscape;

import java.util.List;
import org.perceptsweep.export.TableRenderers;

/**
 * The static HTML page of a report: one file with inline CSS, figures as files next to it, no
 * script and nothing fetched from the network. Readable from about 1000 px wide; tables scroll
 * sideways inside their box on narrower screens.
 */
public final class HtmlReport {
  private HtmlReport() {}

  static final String CSS = """
      body { font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; margin: 0;
             color: #222; background: #fafafa; line-height: 1.45; }
      main { max-width: 1120px; margin: 0 auto; padding: 16px 24px 48px; background: #fff; }
      h1 { font-size: 1.7em; border-bottom: 2px solid #4e79a7; padding-bottom: 6px; }
      h2 { font-size: 1.35em; margin-top: 2em; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
      h3 { font-size: 1.1em; margin: 1.6em 0 0.3em; }
      nav { background: #f0f4f8; padding: 8px 14px; border-radius: 6px; }
      nav a { margin-right: 14px; }
      code { background: #f2f2f2; padding: 1px 4px; border-radius: 3px; font-size: 0.92em; }
      .caption { color: #555; font-size: 0.92em; margin: 0 0 6px; }
      .files { font-size: 0.85em; color: #666; }
      .tbl { overflow-x: auto; max-height: 560px; overflow-y: auto; border: 1px solid #e3e3e3; }
      table { border-collapse: collapse; font-size: 0.88em; width: 100%; }
      th { position: sticky; top: 0; background: #eef2f6; text-align: left; }
      th, td { padding: 3px 8px; border-bottom: 1px solid #eee; white-space: nowrap; }
      td.num { text-align: right; font-variant-numeric: tabular-nums; }
      tbody tr:nth-child(even) { background: #fbfbfb; }
      figure { margin: 18px 0; }
      figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
      figcaption { color: #555; font-size: 0.92em; }
      ul.notes li { color: #8a5a00; }
      """;

  public static String render(List<Block> doc) {
    StringBuilder body = new StringBuilder();
    StringBuilder nav = new StringBuilder();
    for (Block b : doc) {
      if (b instanceof Block.Heading h) {
        int level = Math.min(h.level(), 3);
        body.append("<h").append(level).append(" id=\"").append(htmlEscape(h.anchor())).append("\">")
            .append(htmlEscape(h.text())).append("</h").append(level).append(">\n");
        if (h.level() == 2) {
          nav.append("<a href=\"#").append(htmlEscape(h.anchor())).append("\">").append(htmlEscape(h.text()))
              .append("</a>");
        }
      } else if (b instanceof Block.Text t) {
        body.append("<p>").append(inline(t.text())).append("</p>\n");
      } else if (b instanceof Block.Bullets l) {
        body.append("<ul class=\"notes\">\n");
        l.items().forEach(i -> body.append("<li>").append(inline(i)).append("</li>\n"));
        body.append("</ul>\n");
      } else if (b instanceof Block.Table t) {
        body.append("<h3>").append(htmlEscape(t.table().title())).append("</h3>\n")
            .append("<p class=\"caption\">").append(inline(t.table().caption())).append("</p>\n")
            .append("<div class=\"tbl\">").append(TableRenderers.html(t.table().display())).append("</div>\n")
            .append("<p class=\"files\">Download: <a href=\"").append(htmlEscape(t.csv())).append("\">CSV</a> · ")
            .append("<a href=\"").append(htmlEscape(t.markdown())).append("\">Markdown</a> · ")
            .append("<a href=\"").append(htmlEscape(t.latex())).append("\">LaTeX</a></p>\n");
      } else if (b instanceof Block.Chart c) {
        body.append("<figure><a href=\"").append(htmlEscape(c.svg())).append("\"><img src=\"")
            .append(htmlEscape(c.png())).append("\" width=\"").append(c.figure().width()).append("\" height=\"")
            .append(c.figure().height()).append("\" alt=\"").append(htmlEscape(c.figure().title()))
            .append("\"></a>\n<figcaption><strong>").append(htmlEscape(c.figure().title())).append(".</strong> ")
            .append(inline(c.figure().caption())).append(" (<a href=\"").append(htmlEscape(c.svg()))
            .append("\">SVG</a>)</figcaption></figure>\n");
      }
      // Block.Code is for the notebook only.
    }
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        + "<title>PerceptSweep report</title>\n<style>\n" + CSS + "</style>\n</head>\n<body>\n<main>\n"
        + (nav.length() > 0 ? "<nav>" + nav + "<a href=\"report.ipynb\">notebook</a></nav>\n" : "")
        + body + "</main>\n</body>\n</html>\n";
  }

  /** Escapes text and turns {@code `code`} spans into code elements. */
  static String inline(String text) {
    String[] parts = text.split("`", -1);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      String p = htmlEscape(parts[i]);
      sb.append(i % 2 == 1 && i < parts.length - 1 ? "<code>" + p + "</code>" : p);
    }
    return sb.toString();
  }
}
