package org.perceptsweep.export.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.perceptsweep.export.ResultTable;

/**
 * A small made-up study: dataset "toy" (DMOS, 60 pairs, 2 distortion types), three nets with
 * different goals and data, PSNR and SSIM, readouts l2 and unit_l2, with or without intervals.
 * The agreement values are chosen by formula so that tests can say which tap is best.
 */
final class ReportFixtures {
  private ReportFixtures() {}

  static final List<NetRecord> NETS = List.of(
      new NetRecord("alexnet-imagenet", "net", "alexnet", "classification", "imagenet-1k", 5,
          List.of("relu1", "relu2", "relu3", "relu4", "relu5")),
      new NetRecord("alexnet-untrained", "net", "alexnet", "none", "none", 5,
          List.of("relu1", "relu2", "relu3", "relu4", "relu5")),
      new NetRecord("mobilenet_v2-voc", "net", "mobilenet_v2", "segmentation", "voc", 4,
          List.of("block1", "block3", "block6", "block10")),
      new NetRecord("psnr", "classic", "psnr", "hand-crafted", "none", 1, List.of("image")),
      new NetRecord("ssim", "classic", "ssim", "hand-crafted", "none", 1, List.of("image")));

  /** Agreement of a tap: peaks at relative depth {@code peak}, scaled per net and readout. */
  static double agreement(String net, String readout, double depth) {
    double top = switch (net) {
      case "alexnet-imagenet" -> 0.9;
      case "alexnet-untrained" -> 0.7;
      default -> 0.8;
    };
    double peak = net.startsWith("mobilenet") ? 0.5 : 0.4;
    double r = top - 0.5 * (depth - peak) * (depth - peak);
    return readout.equals("unit_l2") ? r : r - 0.05;
  }

  static List<CorrelationRecord> correlations(boolean intervals) {
    List<CorrelationRecord> out = new ArrayList<>();
    List<String> distortions = List.of("all", "blur", "jpeg");
    for (String d : distortions) {
      int n = d.equals("all") ? 60 : 30;
      double shift = d.equals("blur") ? -0.1 : d.equals("jpeg") ? 0.05 : 0;
      for (NetRecord net : NETS) {
        if (net.classic()) {
          double s = (net.net().equals("psnr") ? 0.75 : 0.8) + shift;
          out.add(rec(d, net.net(), "image", 0, net.net(), n, s, intervals));
          continue;
        }
        for (String readout : List.of("l2", "unit_l2")) {
          for (int i = 1; i <= net.tapCount(); i++) {
            double s = agreement(net.net(), readout, i / (double) net.tapCount()) + shift;
            out.add(rec(d, net.net(), net.taps().get(i - 1), i, readout, n, s, intervals));
          }
        }
      }
    }
    return out;
  }

  private static CorrelationRecord rec(String distortion, String net, String tap, int tapIndex, String readout, int n,
      double srocc, boolean intervals) {
    CorrelationRecord r = CorrelationRecord.basic("toy", net, tap, tapIndex, readout, distortion, n, srocc,
        srocc * 0.75, srocc - 0.02, "dmos", false);
    return intervals ? r.withInterval(srocc - 0.05, Math.min(1, srocc + 0.04)) : r;
  }

  /** Points for a scatter: DMOS falls as the metric grows, along a logistic, with noise. */
  static ScatterData scatter(CellKey cell) {
    Random rnd = new Random(7);
    double[] x = new double[60];
    double[] y = new double[60];
    for (int i = 0; i < x.length; i++) {
      x[i] = 20 + 25 * rnd.nextDouble();
      y[i] = 80 / (1 + Math.exp(0.3 * (x[i] - 32))) + 4 * rnd.nextGaussian();
    }
    return new ScatterData("toy", cell, x, y, "dmos", false);
  }

  static ReportInput input(boolean intervals, boolean withNets, boolean extraTables) {
    Map<String, ResultTable> extra = new LinkedHashMap<>();
    if (extraTables) {
      extra.put("comparisons", new ResultTable(List.of("dataset", "a", "b", "srocc_diff", "ci_low", "ci_high",
          "p_a_better"), List.of(List.of("toy", "alexnet-imagenet/relu2/unit_l2", "psnr/image/psnr", 0.147, 0.05,
              0.23, 0.99))));
    }
    List<String> columns = new ArrayList<>(List.of("dataset", "net", "tap", "tap_index", "readout", "distortion",
        "n", "srocc", "krocc", "plcc"));
    if (intervals) {
      columns.addAll(List.of("srocc_ci_low", "srocc_ci_high"));
    }
    return new ReportInput("/tmp/study", correlations(intervals), withNets ? NETS : List.of(),
        List.of(scatter(new CellKey("alexnet-imagenet", "relu2", "unit_l2")), scatter(new CellKey("psnr", "image", "psnr"))),
        extra, columns, List.of());
  }
}
