package org.perceptsweep.jobs.cluster;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * The application as {@code spark-submit} gets it.
 *
 * <p>With {@code -Dperceptsweep.app.jar=FILE} (the shaded jar that {@code mvn -Papp package} builds):
 * that one jar, nothing else. Otherwise, so that {@code mvn test} needs no shading (about 15 s and
 * 140 MiB per build), the jar-less equivalent: spark-jobs' classes as the primary jar and every other
 * entry of the application classpath as {@code --jars} (classes folders of sibling modules, in a
 * reactor build, are packed into jars first). Either way the driver and the executors see the
 * application only through what is submitted; the installed Spark has none of it.
 */
public record AppJar(Path primary, List<Path> jars, boolean shaded) {
  public static final String SHADED_JAR_PROPERTY = "perceptsweep.app.jar";
  public static final String MAIN_CLASS = "org.perceptsweep.jobs.cli.PerceptSweepCli";

  public static AppJar forSubmit(StandaloneCluster cluster, Path workDir) throws IOException {
    String shadedJar = System.getProperty(SHADED_JAR_PROPERTY);
    if (shadedJar != null && !shadedJar.isBlank()) {
      Path p = Paths.get(shadedJar).toAbsolutePath();
      if (!Files.isRegularFile(p)) {
        throw new IllegalStateException(p + " does not exist: build it with mvn -Papp -DskipTests package");
      }
      return new AppJar(p, List.of(), true);
    }
    List<String> app = cluster.appClasspath();
    Path primary = null;
    List<Path> jars = new ArrayList<>();
    for (int i = 0; i < app.size(); i++) {
      Path entry = Paths.get(app.get(i));
      Path jar = Files.isDirectory(entry) ? pack(entry, workDir.resolve("app-" + i + ".jar")) : entry;
      if (i == 0) {
        primary = jar; // spark-jobs' own classes come first (StandaloneCluster.appClasspath)
      } else {
        jars.add(jar);
      }
    }
    return new AppJar(primary, jars, false);
  }

  /** spark-submit's arguments for the application jar(s): {@code [--jars a,b,...] --class MAIN PRIMARY}. */
  public List<String> submitArgs() {
    List<String> args = new ArrayList<>();
    if (!jars.isEmpty()) {
      args.add("--jars");
      args.add(String.join(",", jars.stream().map(Path::toString).toList()));
    }
    args.add("--class");
    args.add(MAIN_CLASS);
    args.add(primary.toString());
    return args;
  }

  private static Path pack(Path classes, Path jar) throws IOException {
    Manifest mf = new Manifest();
    mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jos = new JarOutputStream(out, mf);
         Stream<Path> files = Files.walk(classes)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        String name = classes.relativize(f).toString().replace('\\', '/');
        if (name.equals("META-INF/MANIFEST.MF")) {
          continue;
        }
        jos.putNextEntry(new JarEntry(name));
        Files.copy(f, jos);
        jos.closeEntry();
      }
    }
    return jar;
  }
}
