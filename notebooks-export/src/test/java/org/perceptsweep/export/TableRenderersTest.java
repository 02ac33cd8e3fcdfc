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
  void rejectsRaggedRows() {
    assertThrows(IllegalArgumentException.class,
        () -> new ResultTable(List.of("a", "b"), List.of(List.of("x"))));
  }
}
