package org.perceptsweep.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableRenderersTest {
  private final ResultTable table = new ResultTable(List.of("net", "tap", "srocc", "n"),
      List.of(Arrays.asList("alex,net", "relu1", 0.123456789, 175), Arrays.asList("psnr", "image", null, 2)));

  @Test
  void csvQuotesCommasKeepsFullPrecisionAndEmptiesNulls() {
    StringWriter w = new StringWriter();
    TableRenderers.writeCsv(table, w);
    assertEquals("net,tap,srocc,n\n\"alex,net\",relu1,0.123456789,175\npsnr,image,,2\n", w.toString());
  }

  @Test
  void markdownRoundsToFourDecimalsAndShowsUndefinedAsDash() {
    assertEquals("| net | tap | srocc | n |\n|---|---|---|---|\n| alex,net | relu1 | 0.1235 | 175 |\n"
        + "| psnr | image | - | 2 |\n", TableRenderers.markdown(table));
  }

  @Test
  void textAlignsNumbersRight() {
    String expected = ""
        + "net       tap     srocc    n\n"
        + "----------------------------\n"
        + "alex,net  relu1  0.1235  175\n"
        + "psnr      image       -    2\n";
    assertEquals(expected, TableRenderers.text(table));
  }

  @Test
  void notesGoUnderTheTableNumberedOncePerDistinctText() {
    ResultTable t = new ResultTable(List.of("net", "srocc", "undefined"), List.of(
        Arrays.asList("ms_ssim", null, "logistic fit: not converged in 100 iterations"),
        Arrays.asList("psnr", 0.5, null),
        Arrays.asList("pixels", null, "logistic fit: not converged in 100 iterations"),
        Arrays.asList("ssim", null, "constant distances: SROCC undefined")));
    String expected = ""
        + "net       srocc  undefined\n"
        + "--------------------------\n"
        + "ms_ssim       -  [1]\n"
        + "psnr     0.5000\n"
        + "pixels        -  [1]\n"
        + "ssim          -  [2]\n"
        + "[1] logistic fit: not converged in 100 iterations\n"
        + "[2] constant distances: SROCC undefined\n";
    assertEquals(expected, TableRenderers.textWithNotes(t, "undefined"));
  }

  @Test
  void withoutNotesTheNoteColumnIsLeftOut() {
    ResultTable t = new ResultTable(List.of("net", "undefined"), List.of(Arrays.asList("psnr", null)));
    assertEquals("net\n----\npsnr\n", TableRenderers.textWithNotes(t, "undefined"));
    assertThrows(IllegalArgumentException.class, () -> TableRenderers.textWithNotes(t, "nosuch"));
  }

  @Test
  void rejectsRaggedRows() {
    assertThrows(IllegalArgumentException.class,
        () -> new ResultTable(List.of("a", "b"), List.of(List.of("x"))));
  }

  @Test
  void latexEscapesSpecialCharactersAlignsNumbersAndBoldsMarkedValues() {
    ResultTable t = new ResultTable(List.of("net_name", "srocc"),
        List.of(Arrays.asList("a&b_100%", new Marked(0.5)), Arrays.asList("x{y}", 0.25)));
    assertEquals("\\begin{tabular}{lr}\n\\toprule\nnet\\_name & srocc \\\\\n\\midrule\n"
        + "a\\&b\\_100\\% & \\textbf{0.5000} \\\\\nx\\{y\\} & 0.2500 \\\\\n\\bottomrule\n\\end{tabular}\n",
        TableRenderers.latex(t));
  }

  @Test
  void htmlEscapesAndMarksNumbersAndBestValues() {
    ResultTable t = new ResultTable(List.of("net", "srocc"), List.of(Arrays.asList("<b>&", new Marked(0.5))));
    assertEquals("<table>\n<thead><tr><th>net</th><th>srocc</th></tr></thead>\n<tbody>\n"
        + "<tr><td>&lt;b&gt;&amp;</td><td class=\"num\"><strong>0.5000</strong></td></tr>\n</tbody>\n</table>\n",
        TableRenderers.html(t));
  }

  @Test
  void markedValuesAreBoldInMarkdownStarredInTextPlainInCsv() {
    ResultTable t = new ResultTable(List.of("srocc"), List.of(Arrays.asList(new Marked(0.123456789))));
    assertEquals("| srocc |\n|---|\n| **0.1235** |\n", TableRenderers.markdown(t));
    assertEquals("  srocc\n-------\n0.1235*\n", TableRenderers.text(t));
    StringWriter w = new StringWriter();
    TableRenderers.writeCsv(t, w);
    assertEquals("srocc\n0.123456789\n", w.toString());
  }
}
