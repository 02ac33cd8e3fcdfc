package org.perceptsweep.udf.net;

/**
 * glibc malloc settings for JVMs that run nets: libtorch takes every tensor from malloc, and
 * glibc's defaults hand blocks of 128 KiB to 32 MiB back to the kernel after use (a dynamic mmap
 * threshold and a trim threshold that follows it), so each forward pass and readout faults its
 * memory in again, page by page. Measured on SqueezeNet over LIVE images (docs/benchmarks.md):
 * 2.4 million page faults and a third of the CPU time in the kernel with the defaults; with these
 * settings and batches sized to the activations ({@link BatchSizing}), a tenth of the faults.
 *
 * <ul>
 *   <li>{@code mmap_threshold=32 MiB} (glibc's largest): blocks up to 32 MiB come from heap memory
 *       that is reused, not mapped afresh per tensor (also fixes the threshold instead of letting it
 *       move);
 *   <li>{@code trim_threshold=4 GiB}, {@code top_pad=64 MiB}: freed heap memory stays with the
 *       process for the next batch instead of going back to the kernel;
 *   <li>{@code hugetlb=1}: what is still mapped (tensors over 32 MiB) uses transparent huge pages
 *       where the kernel allows them (madvise), 512 times fewer faults per megabyte.
 * </ul>
 *
 * The settings must be in the environment before the JVM starts: {@code bin/percept-sweep} exports
 * {@link #TUNABLES} (unless {@code GLIBC_TUNABLES} is already set), the tests' JVMs get it from the
 * pom, and {@code SparkSessions} sets {@code spark.executorEnv.GLIBC_TUNABLES} for executors
 * unless the user set one. glibc versions that lack a tunable ignore it; other C libraries ignore
 * the variable.
 */
public final class NativeMemory {
  public static final String ENV = "GLIBC_TUNABLES";
  public static final String TUNABLES = "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=4294967296"
      + ":glibc.malloc.top_pad=67108864:glibc.malloc.hugetlb=1";

  private NativeMemory() {}
}
