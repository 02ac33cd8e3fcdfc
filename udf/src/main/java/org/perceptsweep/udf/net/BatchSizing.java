package org.perceptsweep.udf.net;

/**
 * How many distorted images one forward pass takes when the caller leaves it to the session
 * ({@link NetSession#AUTO_BATCH}): as many as keep the largest tap of the batch within a memory
 * budget, measured on the reference's own activations (same net, same image size).
 *
 * <p>Why a budget and not a fixed count: on the CPU a forward pass is no faster per image in a
 * batch (one libtorch thread per task works through the images one plane at a time), but the
 * memory a batch needs grows with it, and memory the allocator has to get from the kernel is
 * faulted in and zeroed page by page (measured: 2.4 million page faults and a third of the CPU time
 * in the kernel for SqueezeNet at 768x512 with batches of 8 under glibc's default settings; see
 * docs/benchmarks.md and {@link NativeMemory}). A net's intermediate tensors are of the order of
 * its largest tap; 16 MiB keeps them under glibc's default 32 MiB mmap threshold where the
 * launcher's malloc settings are not in place. On a GPU, batches fill the device: a larger budget
 * and cap.
 */
public final class BatchSizing {
  /** CPU: the largest tap of a batch stays within 16 MiB. */
  public static final long CPU_BUDGET_BYTES = 16L << 20;
  public static final int CPU_MAX_BATCH = 8;
  /** GPU: the largest tap of a batch stays within 512 MiB. */
  public static final long GPU_BUDGET_BYTES = 512L << 20;
  public static final int GPU_MAX_BATCH = 32;

  private BatchSizing() {}

  /**
   * @param largestTapBytes bytes of the largest tap of one image (float32: 4 x C x h x w)
   * @param gpu whether the net runs on a GPU
   * @return at least 1, at most the device's cap
   */
  public static int choose(long largestTapBytes, boolean gpu) {
    long budget = gpu ? GPU_BUDGET_BYTES : CPU_BUDGET_BYTES;
    int cap = gpu ? GPU_MAX_BATCH : CPU_MAX_BATCH;
    if (largestTapBytes <= 0) {
      return cap;
    }
    return (int) Math.max(1, Math.min(cap, budget / largestTapBytes));
  }
}
