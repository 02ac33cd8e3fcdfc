package org.perceptsweep.jobs.bench;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The LIVE JPEG subset (../shared/data/live-jpeg/dmos.csv: dist,ref,dmos, paths relative to it) as
 * absolute {ref, dist} pairs; the quick mode keeps the first few references.
 */
final class LiveSet {
  private LiveSet() {}

  /** Pairs of the first {@code maxRefs} references (all when maxRefs <= 0), in file order. */
  static List<String[]> pairs(Path dmosCsv, int maxRefs) {
    Path dir = dmosCsv.toAbsolutePath().getParent();
    List<String[]> out = new ArrayList<>();
    Set<String> refs = new LinkedHashSet<>();
    try (Reader r = Files.newBufferedReader(dmosCsv, StandardCharsets.UTF_8);
         CSVParser p = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
      for (CSVRecord rec : p) {
        String ref = dir.resolve(rec.get("ref")).toString();
        if (maxRefs > 0 && !refs.contains(ref) && refs.size() >= maxRefs) {
          continue;
        }
        refs.add(ref);
        out.add(new String[] {ref, dir.resolve(rec.get("dist")).toString(), rec.get("dmos")});
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dmosCsv, e);
    }
    return out;
  }

  /** A dist,ref,dmos CSV with absolute paths, for 'manifest --dataset csv'. */
  static Path writeCsv(List<String[]> pairs, Path file) {
    StringBuilder sb = new StringBuilder("dist,ref,dmos\n");
    for (String[] p : pairs) {
      sb.append(p[1]).append(',').append(p[0]).append(',').append(p[2]).append('\n');
    }
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return file;
  }
}
