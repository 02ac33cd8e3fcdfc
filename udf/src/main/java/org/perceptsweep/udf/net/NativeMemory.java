package org.perceptsweep.udf.net;

/**
 * glibc malloc settings for JVMs that run nets. libtorch takes every tensor from malloc, and with
 * glibc's defaults a tensor over 32 MiB (a MobileNetV2 expansion at 768x512 is 38 MiB for one
 * image) is mapped afresh on every forward pass and handed back afterwards, and smaller freed
 * memory goes back to the kernel too: each pass faults its memory in again, page by page, and the
 * kernel zeroes it. Measured (docs/benchmarks.md): SqueezeNet with batches of 8, 2.4 million page
 * faults and a third of the CPU time in the kernel; MobileNetV2 on LIVE, a tenth of the extract's
 * CPU time in the kernel with batches sized to the activations, a fiftieth with these settings.
 *
 * <ul>
 *   <li>{@code arena_max=1}, {@code mmap_max=0}: every block, however large, comes from the one
 *       main heap, where freed memory is reused by the next tensor instead of being unmapped (a
 *       per-thread arena cannot hold a block over 64 MiB, and mapped blocks are never reused). The
 *       task threads then share one allocator lock, for the few hundred allocations of a pass;
 *   <li>{@code trim_threshold=4 GiB}, {@code top_pad=64 MiB}: freed heap memory stays with the
 *       process for the next batch instead of going back to the kernel, so the resident size stays
 *       at the largest batch's working set;
 *   <li>{@code hugetlb=1}: the heap uses transparent huge pages where the kernel allows them
 *       (madvise mode), 512 times fewer faults per megabyte the first time it grows.
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
  public static final String TUNABLES = "glibc.malloc.arena_max=1:glibc.malloc.mmap_max=0"
      + ":glibc.malloc.trim_threshold=4294967296:glibc.malloc.top_pad=67108864:glibc.malloc.hugetlb=1";

  private NativeMemory() {}
}
