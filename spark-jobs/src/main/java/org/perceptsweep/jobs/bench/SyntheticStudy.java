package org.perceptsweep.jobs.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.perceptsweep.core.manifest.ManifestRow;
import org.perceptsweep.datasets.SyntheticDataset;
import org.perceptsweep.datasets.SyntheticSpec;

/**
 * A built-in synthetic set of any size (more references than the demo's 8 via {@link SyntheticSpec}),
 * generated once and listed in a dist,ref,level,distortion CSV, so that timed runs start from
 * 'manifest --dataset csv' like any user dataset.
 */
record SyntheticStudy(Path csv, int pairs, int references) {
  static SyntheticStudy generate(SyntheticSpec spec, Path dir, Configuration conf) {
    List<ManifestRow> rows = SyntheticDataset.generate(spec, dir.resolve("images").toString(), conf).rows();
    StringBuilder sb = new StringBuilder("dist,ref,level,distortion\n");
    for (ManifestRow r : rows) {
      sb.append(local(r.distPath())).append(',').append(local(r.refPath())).append(',').append(r.level())
          .append(',').append(r.distortion()).append('\n');
    }
    Path csv = dir.resolve("pairs.csv");
    try {
      Files.createDirectories(dir);
      Files.writeString(csv, sb.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + csv, e);
    }
    return new SyntheticStudy(csv, rows.size(), spec.references());
  }

  /** 'manifest' of this set into {@code out} (score = level, higher is worse). */
  void manifest(Path out) {
    CliCall.run("manifest", "--dataset", "csv", "--root", csv.toString(), "--lower-is-better", "--name", "synthetic",
        "--score-column", "level", "--out", out.toString());
  }

  private static String local(String uri) {
    return uri.startsWith("file:") ? java.net.URI.create(uri).getPath() : uri;
  }
}
