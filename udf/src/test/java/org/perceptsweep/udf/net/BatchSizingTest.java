package org.perceptsweep.udf.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Batch sizes from the largest tap of one image: hand-worked for the shared nets on LIVE-sized images. */
class BatchSizingTest {
  @Test
  void cpuBatchesKeepTheLargestTapWithin16MiB() {
    // SqueezeNet relu1 at 768x512: 64 x 255 x 383 floats = 25,000,320 bytes > 16 MiB: one image per batch.
    assertEquals(1, BatchSizing.choose(4L * 64 * 255 * 383, false));
    // AlexNet relu1 at 768x512: 64 x 127 x 191 floats = 6,209,536 bytes; 16,777,216 / 6,209,536 = 2.7.
    assertEquals(2, BatchSizing.choose(4L * 64 * 127 * 191, false));
    // The built-in net on 256x256 images, 16 x 128 x 128 floats = 1 MiB: 16 would fit, the cap is 8.
    assertEquals(8, BatchSizing.choose(4L * 16 * 128 * 128, false));
    assertEquals(BatchSizing.CPU_MAX_BATCH, BatchSizing.choose(0, false));
  }

  @Test
  void gpuBatchesAreLargerAndCapped() {
    // 25,000,320 bytes per image: 536,870,912 / 25,000,320 = 21.5.
    assertEquals(21, BatchSizing.choose(4L * 64 * 255 * 383, true));
    assertEquals(BatchSizing.GPU_MAX_BATCH, BatchSizing.choose(4L * 16 * 128 * 128, true));
    // A tap larger than the whole budget still gets one image per batch.
    assertEquals(1, BatchSizing.choose(1L << 30, true));
  }
}
