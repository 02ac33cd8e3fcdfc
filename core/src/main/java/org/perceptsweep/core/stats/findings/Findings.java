package org.perceptsweep.core.stats.findings;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.perceptsweep.core.Learning;
import org.perceptsweep.core.stats.BootstrapInterval;

/**
 * Tests the study's claims ({@link Claim}) on one dataset: plain Java, no Spark.
 *
 * <p>Terms. A cell's <b>agreement</b> is its SROCC with the human scores, signed so that positive
 * agrees (as in the correlations table). A net's <b>own cells</b> are its real taps (tap index 1 to
 * its tap count; not the pseudo-taps {@code sum} and {@code concat}) with readouts that carry no
 * human calibration (not {@code weighted}, not {@code fitted_weighted*}); its <b>best cell</b> is
 * the own cell of highest agreement. <b>Trained nets</b> are those whose learning is supervised or
 * self-supervised. <b>LPIPS</b> is every {@code sum}/{@code weighted} cell (the LPIPS distance with
 * LPIPS weights, or weights fitted to human scores) and every cell of a net whose learning is
 * perceptual; "LPIPS" in a statistic is the best of them. The <b>dedicated metrics</b> are the
 * classic metrics except the pixel distances ({@code pixels}): PSNR, SSIM, MS-SSIM. A net is
 * <b>simple</b> when its depth (weight layers) is at most the threshold, else <b>very deep</b>.
 *
 * <p>Every statistic is computed on the pairs all used cells measured, on all pairs (the estimate)
 * and in each reference resample (the correlations' resamples: same seed, same count), every
 * choice of a best cell made again inside each resample. The 95% percentile interval decides the
 * verdict by the claim's {@link Rule}.
 */
public final class Findings {
  public static final Set<String> DESCRIPTOR_READOUTS = Set.of("mean_std", "gram", "dists");
  public static final Set<String> PLAIN_READOUTS = Set.of("l2", "unit_l2");
  static final String SUM_TAP = "sum";
  static final String CONCAT_TAP = "concat";
  static final String WEIGHTED = "weighted";
  static final String PIXELS = "pixels";
  static final String SSIM = "ssim";
  public static final String ALL = "all";
  static final String UNDEFINED_RESAMPLE =
      "statistic undefined in a resample (e.g. a constant score or metric among the drawn references)";

  private Findings() {}

  /** A subject of a claim: a statistic with its rule, or a reason it cannot be tested. */
  private record Subject(Claim claim, String name, String kind, String statistic, Stat stat, Rule rule,
      String note) {
    static Subject notTestable(Claim claim, String statistic, String reason) {
      return new Subject(claim, ALL, "set", statistic, null, null, reason);
    }
  }

  /** A net of the dataset with its cells sorted into the groups the claims use. */
  private record NetView(FindingNet net, List<FindingCell> own, List<FindingCell> all, List<FindingCell> sumWeighted,
      List<FindingCell> concat) {
    String name() {
      return net.name();
    }

    Learning learning() {
      return net.learning();
    }

    Stat best() {
      return Stat.best(own);
    }
  }

  /**
   * @param nets the nets table's rows (classic metrics included); cells of nets it lacks are
   *     ignored, except that a missing net whose cells are all at tap index 0 counts as a classic
   *     metric
   * @return rows by claim; in each, the set row first, then the subjects
   */
  public static List<FindingRow> evaluate(FindingsData data, Collection<FindingNet> nets, FindingsSettings settings) {
    Map<String, FindingNet> byName = new TreeMap<>();
    for (FindingNet n : nets) {
      byName.put(n.name(), n);
    }
    Map<String, List<FindingCell>> cellsByNet = new TreeMap<>();
    for (FindingCell c : data.cells()) {
      cellsByNet.computeIfAbsent(c.net(), k -> new ArrayList<>()).add(c);
    }
    Map<String, List<FindingCell>> classic = new TreeMap<>();
    List<NetView> views = new ArrayList<>();
    for (Map.Entry<String, List<FindingCell>> e : cellsByNet.entrySet()) {
      FindingNet n = byName.get(e.getKey());
      boolean allImage = e.getValue().stream().allMatch(c -> c.tapIndex() == 0);
      if ((n == null && allImage) || (n != null && n.classic())) {
        classic.put(e.getKey(), Stat.ordered(e.getValue()));
      } else if (n != null) {
        views.add(view(n, e.getValue()));
      }
    }
    List<Subject> subjects = new ArrayList<>();
    subjects.addAll(netsBeatSsim(views, classic));
    subjects.addAll(onParWithBestMetric(views, classic));
    subjects.addAll(beatLpips(Claim.SUPERVISED_BEAT_LPIPS, Learning.SUPERVISED, views));
    subjects.addAll(beatLpips(Claim.SELF_SUPERVISED_BEAT_LPIPS, Learning.SELF_SUPERVISED, views));
    subjects.addAll(simpleBeatVeryDeep(views, settings.depthThreshold()));
    subjects.addAll(depthTrend(views, settings.depthThreshold()));
    subjects.addAll(trainingData(views));
    subjects.addAll(descriptorsAndConcat(views));
    subjects.addAll(trainingMatters(views));

    Set<FindingCell> used = new LinkedHashSet<>();
    for (Subject s : subjects) {
      if (s.stat() != null) {
        used.addAll(s.stat().uses());
      }
    }
    AgreementTable table = new AgreementTable(data.align(used), data.higherIsBetter(), settings.resamples(),
        settings.seed());
    List<FindingRow> rows = new ArrayList<>();
    for (Subject s : subjects) {
      rows.add(row(s, table, settings));
    }
    return rows;
  }

  private static NetView view(FindingNet n, List<FindingCell> cells) {
    List<FindingCell> own = new ArrayList<>();
    List<FindingCell> sumWeighted = new ArrayList<>();
    List<FindingCell> concat = new ArrayList<>();
    for (FindingCell c : cells) {
      if (isRealTap(n, c) && !isCalibrated(c.readout())) {
        own.add(c);
      }
      if (SUM_TAP.equals(c.tap()) && WEIGHTED.equals(c.readout())) {
        sumWeighted.add(c);
      }
      if (CONCAT_TAP.equals(c.tap())) {
        concat.add(c);
      }
    }
    return new NetView(n, Stat.ordered(own), Stat.ordered(cells), sumWeighted, Stat.ordered(concat));
  }

  static boolean isRealTap(FindingNet n, FindingCell c) {
    return c.tapIndex() >= 1 && c.tapIndex() <= n.tapCount() && !SUM_TAP.equals(c.tap())
        && !CONCAT_TAP.equals(c.tap());
  }

  /** Readouts whose channel weights were fitted to human judgements. */
  static boolean isCalibrated(String readout) {
    return WEIGHTED.equals(readout) || readout.startsWith("fitted_weighted");
  }

  private static List<NetView> trained(List<NetView> views) {
    return views.stream().filter(v -> v.learning() != null && v.learning().trained() && !v.own().isEmpty()).toList();
  }

  /** "; left out (learning unknown): a, b" for nets nobody said how they learned. */
  private static String unknownLearning(List<NetView> views) {
    List<String> unknown = views.stream().filter(v -> v.learning() == null).map(NetView::name).toList();
    return unknown.isEmpty() ? "" : "; left out (learning unknown: set it in the card or the sweep file): "
        + String.join(", ", unknown);
  }

  private static List<Subject> netsBeatSsim(List<NetView> views, Map<String, List<FindingCell>> classic) {
    Claim c = Claim.NETS_BEAT_SSIM;
    String setStat = "smallest over the trained nets of (best-cell agreement minus SSIM's)";
    List<NetView> trained = trained(views);
    if (!classic.containsKey(SSIM)) {
      return List.of(Subject.notTestable(c, setStat, "no SSIM in this sweep: add the classic metric ssim"));
    }
    if (trained.isEmpty()) {
      return List.of(Subject.notTestable(c, setStat, "no trained (supervised or self-supervised) net in this sweep"
          + unknownLearning(views)));
    }
    Stat ssim = Stat.best(classic.get(SSIM));
    return perNetAndSet(c, trained, v -> Stat.minus(v.best(), ssim), "best-cell agreement minus SSIM's",
        Rule.BEATS, Stat.Fold.MIN, setStat, Rule.BEATS, unknownLearning(views));
  }

  private static List<Subject> onParWithBestMetric(List<NetView> views, Map<String, List<FindingCell>> classic) {
    Claim c = Claim.ON_PAR_WITH_BEST_METRIC;
    List<FindingCell> dedicated = new ArrayList<>();
    List<String> names = new ArrayList<>();
    classic.forEach((name, cells) -> {
      if (!name.equals(PIXELS)) {
        dedicated.addAll(cells);
        names.add(name);
      }
    });
    String metric = "the best dedicated metric (best of " + (names.isEmpty() ? "none" : String.join(", ", names))
        + " in each sample)";
    String setStat = "largest over the trained nets of (best-cell agreement minus that of " + metric + ")";
    List<NetView> trained = trained(views);
    if (dedicated.isEmpty()) {
      return List.of(Subject.notTestable(c, setStat,
          "no dedicated metric in this sweep: add the classic metrics psnr, ssim, ms_ssim"));
    }
    if (trained.isEmpty()) {
      return List.of(Subject.notTestable(c, setStat, "no trained (supervised or self-supervised) net in this sweep"
          + unknownLearning(views)));
    }
    Stat best = Stat.best(Stat.ordered(dedicated));
    return perNetAndSet(c, trained, v -> Stat.minus(v.best(), best), "best-cell agreement minus that of " + metric,
        Rule.ON_PAR, Stat.Fold.MAX, setStat, Rule.ON_PAR, unknownLearning(views));
  }

  private static List<Subject> beatLpips(Claim c, Learning kind, List<NetView> views) {
    List<FindingCell> lpips = new ArrayList<>();
    for (NetView v : views) {
      lpips.addAll(v.learning() == Learning.PERCEPTUAL ? v.all() : v.sumWeighted());
    }
    String setStat = "smallest over the " + kind.key() + " nets of (best-cell agreement minus LPIPS's)";
    List<NetView> group = trained(views).stream().filter(v -> v.learning() == kind).toList();
    if (group.isEmpty()) {
      return List.of(Subject.notTestable(c, setStat, "no " + kind.key() + " net in this sweep" + unknownLearning(views)));
    }
    if (lpips.isEmpty()) {
      return List.of(Subject.notTestable(c, setStat, "no LPIPS in this sweep: extract a net with readout weighted and"
          + " the LPIPS weights (tap sum), or mark a net learning: perceptual"));
    }
    Stat best = Stat.best(Stat.ordered(lpips));
    List<String> labels = Stat.ordered(lpips).stream().map(FindingCell::label).toList();
    return perNetAndSet(c, group, v -> Stat.minus(v.best(), best),
        "best-cell agreement minus LPIPS's (best of " + String.join(", ", labels) + " in each sample)",
        Rule.BEATS, Stat.Fold.MIN, setStat, Rule.BEATS, unknownLearning(views));
  }

  /** Trained nets with a known depth, split at the threshold; the note names those without. */
  private record Split(List<NetView> simple, List<NetView> deep, String note) {}

  private static Split split(List<NetView> views, int threshold) {
    List<NetView> simple = new ArrayList<>();
    List<NetView> deep = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    for (NetView v : trained(views)) {
      if (v.net().depth() == null) {
        unknown.add(v.name());
      } else if (v.net().depth() <= threshold) {
        simple.add(v);
      } else {
        deep.add(v);
      }
    }
    return new Split(simple, deep, (unknown.isEmpty() ? "" : "; left out (depth unknown: rerun extract, or set"
        + " depth in the card or the sweep file): " + String.join(", ", unknown)) + unknownLearning(views));
  }

  private static List<Subject> simpleBeatVeryDeep(List<NetView> views, int threshold) {
    Claim c = Claim.SIMPLE_BEAT_VERY_DEEP;
    String setStat = "mean best-cell agreement of the simple trained nets (depth <= " + threshold
        + " weight layers) minus that of the very deep ones";
    Split s = split(views, threshold);
    if (s.simple().isEmpty() || s.deep().isEmpty()) {
      return List.of(Subject.notTestable(c, setStat, (s.simple().isEmpty() ? "no simple trained net (depth <= "
          : "no very deep trained net (depth > ") + threshold + " weight layers) in this sweep" + s.note()));
    }
    List<Subject> out = new ArrayList<>();
    out.add(new Subject(c, ALL, "set", setStat, Stat.minus(
        Stat.fold(Stat.Fold.MEAN, names(s.simple()), s.simple().stream().map(NetView::best).toList()),
        Stat.fold(Stat.Fold.MEAN, names(s.deep()), s.deep().stream().map(NetView::best).toList())),
        Rule.BEATS, s.note()));
    for (NetView a : s.simple()) {
      for (NetView b : s.deep()) {
        out.add(new Subject(c, a.name() + " vs " + b.name(), "pair", "best-cell agreement of the simple net ("
            + a.net().depth() + " layers) minus that of the very deep one (" + b.net().depth() + ")",
            Stat.minus(a.best(), b.best()), Rule.BEATS, ""));
      }
    }
    return out;
  }

  private static List<Subject> depthTrend(List<NetView> views, int threshold) {
    Claim c = Claim.DEPTH_TREND;
    String setStat = "mean depth trend of the simple trained nets minus that of the very deep ones";
    String trend = "depth trend: Spearman's rho of relative depth and agreement over the net's taps, at its best"
        + " readout";
    Split s = split(views, threshold);
    List<NetView> simple = s.simple().stream().filter(v -> realTaps(v) >= 3).toList();
    List<NetView> deep = s.deep().stream().filter(v -> realTaps(v) >= 3).toList();
    if (simple.isEmpty() && deep.isEmpty()) {
      return List.of(Subject.notTestable(c, setStat, "no trained net with a known depth and at least 3 taps in this"
          + " sweep" + s.note()));
    }
    List<Subject> out = new ArrayList<>();
    if (simple.isEmpty() || deep.isEmpty()) {
      out.add(Subject.notTestable(c, setStat, (simple.isEmpty() ? "no simple" : "no very deep")
          + " trained net with at least 3 taps to contrast with" + s.note()));
    } else {
      out.add(new Subject(c, ALL, "set", setStat, Stat.minus(
          Stat.fold(Stat.Fold.MEAN, names(simple), simple.stream().map(v -> Stat.depthTrend(v.own())).toList()),
          Stat.fold(Stat.Fold.MEAN, names(deep), deep.stream().map(v -> Stat.depthTrend(v.own())).toList())),
          Rule.BEATS, s.note()));
    }
    for (NetView v : simple) {
      out.add(new Subject(c, v.name(), "net", trend + " (simple, " + v.net().depth() + " layers: should rise)",
          Stat.depthTrend(v.own()), Rule.BEATS, ""));
    }
    for (NetView v : deep) {
      out.add(new Subject(c, v.name(), "net", trend + " (very deep, " + v.net().depth()
          + " layers: should not rise)", Stat.depthTrend(v.own()), Rule.NOT_RISING, ""));
    }
    return out;
  }

  private static int realTaps(NetView v) {
    return (int) v.own().stream().mapToInt(FindingCell::tapIndex).distinct().count();
  }

  private static String key(String s) {
    return s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
  }

  private static List<Subject> trainingData(List<NetView> views) {
    Claim c = Claim.TRAINING_DATA_LITTLE_DIFFERENCE;
    String setStat = "largest absolute difference of best-cell agreement over the pairs of trained nets of the same"
        + " architecture and goal with different training data";
    List<NetView> trained = trained(views);
    List<Subject> pairs = new ArrayList<>();
    for (int i = 0; i < trained.size(); i++) {
      for (int j = i + 1; j < trained.size(); j++) {
        NetView a = trained.get(i);
        NetView b = trained.get(j);
        if (key(a.net().architecture()).equals(key(b.net().architecture()))
            && key(a.net().goal()).equals(key(b.net().goal()))
            && !key(a.net().trainingData()).equals(key(b.net().trainingData()))) {
          pairs.add(new Subject(c, a.name() + " vs " + b.name(), "pair", "best-cell agreement difference ("
              + a.net().trainingData() + " vs " + b.net().trainingData() + ")", Stat.minus(a.best(), b.best()),
              Rule.EQUIVALENT, ""));
        }
      }
    }
    if (pairs.isEmpty()) {
      Map<String, TreeSet<String>> goals = new TreeMap<>();
      for (NetView v : trained) {
        goals.computeIfAbsent(v.net().architecture(), k -> new TreeSet<>()).add(v.net().goal());
      }
      List<String> shared = new ArrayList<>();
      for (NetView v : trained) {
        long same = trained.stream().filter(o -> key(o.net().architecture()).equals(key(v.net().architecture())))
            .count();
        if (same > 1 && !shared.contains(v.net().architecture())) {
          shared.add(v.net().architecture());
        }
      }
      StringBuilder why = new StringBuilder("no two trained nets share architecture and goal with different training"
          + " data in this sweep");
      for (String arch : shared) {
        why.append("; ").append(arch).append(" goals: ").append(String.join(" / ", goals.get(arch)));
      }
      return List.of(Subject.notTestable(c, setStat, why + unknownLearning(views)));
    }
    return withSet(c, pairs, Stat.Fold.MAX_ABS, setStat, Rule.WITHIN, unknownLearning(views));
  }

  private static List<Subject> descriptorsAndConcat(List<NetView> views) {
    Claim c = Claim.DESCRIPTORS_CONCAT_NO_EFFECT;
    String setStat = "largest absolute difference over the nets of (best descriptor cell minus best plain cell) and"
        + " (best concat cell minus best single tap)";
    List<Subject> parts = new ArrayList<>();
    for (NetView v : views) {
      if (v.learning() == Learning.PERCEPTUAL) {
        continue;
      }
      List<FindingCell> descriptors = v.own().stream().filter(x -> DESCRIPTOR_READOUTS.contains(x.readout())).toList();
      List<FindingCell> plain = v.own().stream().filter(x -> PLAIN_READOUTS.contains(x.readout())).toList();
      if (!descriptors.isEmpty() && !plain.isEmpty()) {
        parts.add(new Subject(c, v.name() + ": descriptors", "net", "best-cell agreement with statistical"
            + " descriptors (" + readouts(descriptors) + ") minus with plain responses (" + readouts(plain) + ")",
            Stat.minus(Stat.best(descriptors), Stat.best(plain)), Rule.EQUIVALENT, ""));
      }
      Set<String> concatReadouts = new TreeSet<>();
      v.concat().forEach(x -> concatReadouts.add(x.readout()));
      List<FindingCell> single = v.own().stream().filter(x -> concatReadouts.contains(x.readout())).toList();
      if (!v.concat().isEmpty() && !single.isEmpty()) {
        parts.add(new Subject(c, v.name() + ": concat", "net", "agreement of the concatenated taps minus the best"
            + " single tap (readouts " + String.join(", ", concatReadouts) + ")",
            Stat.minus(Stat.best(v.concat()), Stat.best(single)), Rule.EQUIVALENT, ""));
      }
    }
    if (parts.isEmpty()) {
      return List.of(Subject.notTestable(c, setStat, "no net has statistical-descriptor readouts (mean_std, gram,"
          + " dists) next to plain ones (l2, unit_l2), nor a concat pseudo-tap: extract with e.g. --readouts"
          + " l2,unit_l2,mean_std --combine concat"));
    }
    return withSet(c, parts, Stat.Fold.MAX_ABS, setStat, Rule.WITHIN, "");
  }

  private static String readouts(List<FindingCell> cells) {
    return String.join(", ", new TreeSet<>(cells.stream().map(FindingCell::readout).toList()));
  }

  private static List<Subject> trainingMatters(List<NetView> views) {
    Claim c = Claim.TRAINING_MATTERS;
    String setStat = "smallest over the trained/untrained twins of (best-cell agreement of the trained net minus"
        + " its untrained twin's)";
    List<Subject> pairs = new ArrayList<>();
    List<NetView> untrained = views.stream().filter(v -> v.learning() == Learning.NONE && !v.own().isEmpty()).toList();
    for (NetView t : trained(views)) {
      for (NetView u : untrained) {
        if (key(t.net().architecture()).equals(key(u.net().architecture()))) {
          pairs.add(new Subject(c, t.name() + " vs " + u.name(), "pair", "best-cell agreement of the trained net"
              + " minus its untrained twin's", Stat.minus(t.best(), u.best()), Rule.BEATS, ""));
        }
      }
    }
    if (pairs.isEmpty()) {
      return List.of(Subject.notTestable(c, setStat, "no trained net with an untrained twin (learning none, same"
          + " architecture) in this sweep" + unknownLearning(views)));
    }
    return withSet(c, pairs, Stat.Fold.MIN, setStat, Rule.BEATS, unknownLearning(views));
  }

  private interface PerNet {
    Stat of(NetView v);
  }

  private static List<Subject> perNetAndSet(Claim c, List<NetView> nets, PerNet stat, String netStatistic,
      Rule netRule, Stat.Fold fold, String setStatistic, Rule setRule, String setNote) {
    List<Subject> parts = new ArrayList<>();
    for (NetView v : nets) {
      parts.add(new Subject(c, v.name(), "net", netStatistic, stat.of(v), netRule, ""));
    }
    return withSet(c, parts, fold, setStatistic, setRule, setNote);
  }

  private static List<Subject> withSet(Claim c, List<Subject> parts, Stat.Fold fold, String setStatistic,
      Rule setRule, String setNote) {
    List<Subject> out = new ArrayList<>();
    out.add(new Subject(c, ALL, "set", setStatistic, Stat.fold(fold, parts.stream().map(Subject::name).toList(),
        parts.stream().map(Subject::stat).toList()), setRule, setNote));
    out.addAll(parts);
    return out;
  }

  private static List<String> names(List<NetView> views) {
    return views.stream().map(NetView::name).toList();
  }

  private static FindingRow row(Subject s, AgreementTable t, FindingsSettings settings) {
    int b = t.resamples();
    if (s.stat() == null) {
      return new FindingRow(s.claim(), s.name(), s.kind(), s.statistic(), null, null, null, Verdict.NOT_TESTABLE,
          s.note(), null, t.pairs(), t.references(), b, 0);
    }
    double estimate = s.stat().at(t, 0);
    String cells = s.stat().cells(t);
    if (Double.isNaN(estimate)) {
      return new FindingRow(s.claim(), s.name(), s.kind(), s.statistic(), null, null, null, Verdict.NOT_TESTABLE,
          "the statistic is undefined on all " + t.pairs() + " pairs (a constant or undefined cell, or too few taps)"
              + s.note(), cells, t.pairs(), t.references(), b, 0);
    }
    if (t.noResamples() != null) {
      return new FindingRow(s.claim(), s.name(), s.kind(), s.statistic(), estimate, null, null, Verdict.NOT_TESTABLE,
          "no interval to judge by: " + t.noResamples() + s.note(), cells, t.pairs(), t.references(), b, b);
    }
    double[] reps = new double[b];
    for (int i = 0; i < b; i++) {
      reps[i] = s.stat().at(t, i + 1);
    }
    BootstrapInterval ci = BootstrapInterval.percentile(estimate, null, reps, UNDEFINED_RESAMPLE);
    if (ci.lower() == null) {
      return new FindingRow(s.claim(), s.name(), s.kind(), s.statistic(), estimate, null, null, Verdict.NOT_TESTABLE,
          ci.undefinedReason() + s.note(), cells, t.pairs(), t.references(), b, ci.undefinedResamples());
    }
    Rule.Judgement j = s.rule().judge(ci.lower(), ci.upper(), settings.delta());
    String reason = j.reason() + (ci.undefinedReason() == null ? "" : "; " + ci.undefinedReason()) + s.note();
    return new FindingRow(s.claim(), s.name(), s.kind(), s.statistic(), estimate, ci.lower(), ci.upper(), j.verdict(),
        reason, cells, t.pairs(), t.references(), b, ci.undefinedResamples());
  }

  /** The rows of one claim, set row first. */
  public static Map<Claim, List<FindingRow>> byClaim(List<FindingRow> rows) {
    Map<Claim, List<FindingRow>> out = new LinkedHashMap<>();
    for (FindingRow r : rows) {
      out.computeIfAbsent(r.claim(), k -> new ArrayList<>()).add(r);
    }
    return out;
  }
}
