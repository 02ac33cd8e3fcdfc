package org.perceptsweep.udf.net;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.perceptsweep.core.image.ImageDecoder;
import org.perceptsweep.core.image.RgbImage;
import org.perceptsweep.udf.readout.ReadoutSet;

/**
 * Not a test: times AlexNet forwards at 384x512 (the calibration images) on this JVM's libtorch
 * threads. Run with the udf test classpath and
 * {@code -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1}.
 * Args: SHARED_DIR [ROUNDS]. Baseline: forwardReference of one image (a bare forward plus copy-free
 * handover); compare() adds batching and the LPIPS readout on all five taps.
 */
public final class AlexNetForwardBenchmark {
  private AlexNetForwardBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path shared = Path.of(args[0]);
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    Path refFile = shared.resolve("data/calibration/ref/I03.bmp");
    Path distFile = shared.resolve("data/calibration/dist/I03.bmp");
    RgbImage ref = ImageDecoder.decode(Files.readAllBytes(refFile), refFile.toString());
    RgbImage dist = ImageDecoder.decode(Files.readAllBytes(distFile), distFile.toString());
    FeatureNet net = Nets.get(shared.resolve("models/alexnet-imagenet.pt").toString(), null);
    ReadoutSet lpips = ReadoutSet.parse("weighted", shared.resolve("models/lpips-alex-v0.1.json").toString(), null);
    System.out.printf("image %s, threads: num_threads=%s interop=%s OMP_NUM_THREADS=%s%n", ref.sizeString(),
        System.getProperty("ai.djl.pytorch.num_threads"), System.getProperty("ai.djl.pytorch.num_interop_threads"),
        System.getenv("OMP_NUM_THREADS"));
    for (int batch : new int[] {1, 4}) {
      try (NetSession session = net.newSession(batch)) {
        List<RgbImage> distorted = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          distorted.add(dist);
        }
        for (int i = 0; i < 3; i++) { // warm-up: TorchScript's profiling executor optimises after a few runs
          try (ReferenceActivations r = session.forwardReference(ref)) {
            session.compare(r, distorted, lpips);
          }
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
          session.forwardReference(ref).close();
        }
        long t1 = System.nanoTime();
        double lpipsValue = 0;
        try (ReferenceActivations r = session.forwardReference(ref)) {
          long t2 = System.nanoTime();
          for (int i = 0; i < rounds; i++) {
            lpipsValue = session.compare(r, distorted, lpips).get(0).get(ReadoutSet.SUM_TAP).get("weighted");
          }
          long t3 = System.nanoTime();
          System.out.printf("batch %d: forward %.1f ms/image; compare (forward + LPIPS readout) %.1f ms/image;"
              + " LPIPS %.6f%n", batch, (t1 - t0) / 1e6 / rounds, (t3 - t2) / 1e6 / (rounds * distorted.size()),
              lpipsValue);
        }
      }
    }
  }
}
