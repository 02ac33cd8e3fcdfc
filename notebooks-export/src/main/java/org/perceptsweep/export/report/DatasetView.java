package org.perceptsweep.export.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The correlations of one dataset with the nets table: which cells exist, each net's depth, its
 * best tap per readout and best cell overall. Pure logic; the tables, figures and scatter choice
 * are built on it.
 *
 * <p>Best means the highest agreement SROCC on the whole dataset (distortion {@code all}); a tie
 * goes to the shallower tap, then the readout first in name order. Undefined cells never win.
 */
public final class DatasetView {
  /** The classic baselines of the study, in the order they are shown. */
  public static final List<String> CLASSIC_BASELINES = List.of("psnr", "ssim", "ms_ssim");
  /** LPIPS v0.1 = AlexNet's weighted readout summed over its taps (see shared/models/README.md). */
  public static final CellKey LPIPS = new CellKey("alexnet-imagenet", "sum", "weighted");

  private final String dataset;
  private final List<CorrelationRecord> all;
  private final List<CorrelationRecord> records;
  private final Map<String, NetRecord> nets;

  public DatasetView(String dataset, List<CorrelationRecord> correlations, List<NetRecord> nets) {
    this.dataset = dataset;
    this.records = correlations.stream().filter(r -> r.dataset().equals(dataset)).toList();
    this.all = records.stream().filter(r -> CorrelationRecord.ALL.equals(r.distortion()))
        .sorted(Comparator.comparing(CorrelationRecord::net).thenComparing(CorrelationRecord::readout)
            .thenComparingInt(CorrelationRecord::tapIndex).thenComparing(CorrelationRecord::tap))
        .toList();
    this.nets = new HashMap<>();
    for (NetRecord n : nets) {
      this.nets.put(n.net(), n);
    }
  }

  public String dataset() {
    return dataset;
  }

  /** Cells on the whole dataset (distortion {@code all}), sorted by net, readout, tap index. */
  public List<CorrelationRecord> all() {
    return all;
  }

  public Optional<NetRecord> net(String name) {
    return Optional.ofNullable(nets.get(name));
  }

  public List<String> netNames() {
    return all.stream().map(CorrelationRecord::net).distinct().toList();
  }

  /** Classic metric: kind {@code classic} in the nets table, or (no row there) only tap index 0. */
  public boolean isClassic(String net) {
    NetRecord n = nets.get(net);
    if (n != null) {
      return n.classic();
    }
    return all.stream().filter(r -> r.net().equals(net)).allMatch(r -> r.tapIndex() == 0);
  }

  /** Taps of the net: from the nets table, else the deepest tap index seen. */
  public int tapCount(String net) {
    NetRecord n = nets.get(net);
    if (n != null && n.tapCount() > 0) {
      return n.tapCount();
    }
    return records.stream().filter(r -> r.net().equals(net)).mapToInt(CorrelationRecord::tapIndex).max().orElse(0);
  }

  /** tap_index / tap_count for a tap of the net's depth order; null for the image or a combined tap. */
  public Double relativeDepth(CorrelationRecord r) {
    int count = tapCount(r.net());
    if (r.tapIndex() < 1 || count < 1 || r.tapIndex() > count) {
      return null;
    }
    return r.tapIndex() / (double) count;
  }

  private static final Comparator<CorrelationRecord> BETTER_FIRST =
      Comparator.comparing((CorrelationRecord r) -> -r.srocc()).thenComparingInt(CorrelationRecord::tapIndex)
          .thenComparing(CorrelationRecord::readout).thenComparing(CorrelationRecord::tap);

  /** Best tap per net x readout, keyed "net/readout", in net then readout order. */
  public Map<String, CorrelationRecord> bestPerReadout() {
    Map<String, CorrelationRecord> best = new LinkedHashMap<>();
    for (CorrelationRecord r : all) {
      if (r.srocc() == null || r.srocc().isNaN()) {
        continue;
      }
      best.merge(r.net() + "/" + r.readout(), r, (a, b) -> BETTER_FIRST.compare(a, b) <= 0 ? a : b);
    }
    return best;
  }

  /** Best cell per net over its taps and readouts, in net order. */
  public Map<String, CorrelationRecord> bestPerNet() {
    Map<String, CorrelationRecord> best = new LinkedHashMap<>();
    for (CorrelationRecord r : bestPerReadout().values()) {
      best.merge(r.net(), r, (a, b) -> BETTER_FIRST.compare(a, b) <= 0 ? a : b);
    }
    return best;
  }

  /** The best cell of a non-classic net (of any cell when there are only classic metrics). */
  public Optional<CorrelationRecord> bestCell() {
    List<CorrelationRecord> candidates = new ArrayList<>(bestPerNet().values());
    Optional<CorrelationRecord> net = candidates.stream().filter(r -> !isClassic(r.net())).min(BETTER_FIRST);
    return net.isPresent() ? net : candidates.stream().min(BETTER_FIRST);
  }

  /** Whether any cell of the dataset carries a bootstrap interval. */
  public boolean hasIntervals() {
    return all.stream().anyMatch(CorrelationRecord::hasInterval);
  }

  public boolean hasFit() {
    return all.stream().anyMatch(r -> r.plccFitted() != null || r.fitConverged() != null);
  }

  /** The cell on the whole dataset, if it was measured. */
  public Optional<CorrelationRecord> cell(CellKey key) {
    return all.stream().filter(r -> r.cell().equals(key)).findFirst();
  }

  /** The named baselines present: each classic metric's best cell, and LPIPS. Keyed by label. */
  public Map<String, CorrelationRecord> baselines() {
    Map<String, CorrelationRecord> out = new LinkedHashMap<>();
    Map<String, CorrelationRecord> best = bestPerNet();
    for (String b : CLASSIC_BASELINES) {
      if (best.containsKey(b)) {
        out.put(b, best.get(b));
      }
    }
    cell(LPIPS).filter(r -> r.srocc() != null).ifPresent(r -> out.put("lpips", r));
    return out;
  }

  /** Distortion types (not {@code all}) in name order. */
  public List<String> distortions() {
    return records.stream().map(CorrelationRecord::distortion).filter(d -> !CorrelationRecord.ALL.equals(d))
        .distinct().sorted().toList();
  }

  /** The cell on one distortion subset, if measured. */
  public Optional<CorrelationRecord> cell(CellKey key, String distortion) {
    return records.stream().filter(r -> r.distortion().equals(distortion) && r.cell().equals(key)).findFirst();
  }

  /** Default scatter cells: the best cell and PSNR's best (when present and different). */
  public List<CellKey> defaultScatterCells() {
    List<CellKey> cells = new ArrayList<>();
    bestCell().ifPresent(r -> cells.add(r.cell()));
    CorrelationRecord psnr = bestPerNet().get("psnr");
    if (psnr != null && !cells.contains(psnr.cell())) {
      cells.add(psnr.cell());
    }
    return cells;
  }

  /** The score's meaning for axis labels, e.g. "DMOS (higher = worse)". */
  public String scoreLabel() {
    return all.stream().findFirst().map(r -> scoreLabel(r.scoreKind(), r.higherIsBetter())).orElse("score");
  }

  public static String scoreLabel(String kind, boolean higherIsBetter) {
    String name = kind == null ? "score" : kind.equals("distortion_level") ? "distortion level" : kind.toUpperCase();
    return name + (higherIsBetter ? " (higher = better)" : " (higher = worse)");
  }
}
