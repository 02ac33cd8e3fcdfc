package org.perceptsweep.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.perceptsweep.udf.net.NativeMemory;

/**
 * The glibc malloc settings reach every JVM that runs nets: the launcher, the test JVMs (the pom),
 * the example cluster configuration and the executors of every session (spark.executorEnv). They
 * are written in four places that cannot share a constant; this keeps them equal.
 */
class NativeMemorySettingsTest {
  private static final Path ROOT = Paths.get("").toAbsolutePath().getParent();

  @Test
  void launcherPomAndClusterExampleCarryTheSameTunables() throws IOException {
    assertTrue(Files.readString(ROOT.resolve("bin/percept-sweep"))
        .contains("GLIBC_TUNABLES=\"${GLIBC_TUNABLES:-" + NativeMemory.TUNABLES + "}\""), "bin/percept-sweep");
    assertTrue(Files.readString(ROOT.resolve("pom.xml"))
        .contains("<GLIBC_TUNABLES>" + NativeMemory.TUNABLES + "</GLIBC_TUNABLES>"), "pom.xml");
    assertTrue(Files.readString(ROOT.resolve("conf/spark-defaults.conf.example"))
        .matches("(?s).*\\nspark\\.executorEnv\\.GLIBC_TUNABLES +" + java.util.regex.Pattern.quote(NativeMemory.TUNABLES)
            + "\\n.*"), "conf/spark-defaults.conf.example");
  }

  @Test
  void thisJvmAndTheSessionsExecutorsGetThem() {
    assertEquals(NativeMemory.TUNABLES, System.getenv(NativeMemory.ENV), "the pom's surefire environment");
    assertEquals(NativeMemory.TUNABLES, SparkTestSession.get().sparkContext().getConf()
        .get("spark.executorEnv." + NativeMemory.ENV));
  }
}
