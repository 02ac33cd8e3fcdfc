package org.perceptsweep.jobs.progress;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The console's progress line, as plain text from plain numbers (no Spark): a bar redrawn in place
 * for a terminal, or a plain line for a file or CI log.
 */
public final class ProgressText {
  private ProgressText() {}

  /**
   * One extract as the console sees it.
   *
   * @param label what is extracted (the datasets)
   * @param pairs pairs each net goes through
   * @param done pairs done per net, in the extract's net order
   * @param seconds since the extract started
   */
  public record Extract(String label, long pairs, Map<String, Long> done, double seconds) {
    public Extract {
      done = new LinkedHashMap<>(done);
    }

    long units() {
      return pairs * done.size();
    }

    long unitsDone() {
      long sum = 0;
      for (long d : done.values()) {
        sum += Math.min(d, pairs); // a recomputed task may count twice
      }
      return sum;
    }

    double fraction() {
      return units() == 0 ? 1 : (double) unitsDone() / units();
    }
  }

  /**
   * What is shown: the sweep's cells (total 0: not a sweep), the extract under way (or null), and
   * otherwise the current stage (may be null) with its Spark tasks (manifest, aggregate).
   */
  public record Snapshot(double seconds, int cellsDone, int cellsTotal, Extract extract, String stage,
      long tasksDone, long tasksSubmitted) {}

  /** The in-place bar: one line, at most {@code width} characters, no line break. */
  public static String bar(Snapshot s, int width) {
    double fraction = s.cellsTotal() > 0
        ? (s.cellsDone() + (s.extract() == null ? 0 : s.extract().fraction())) / s.cellsTotal()
        : s.extract() != null ? s.extract().fraction() : 0;
    int cells = 20;
    int filled = (int) Math.floor(cells * Math.min(1, fraction));
    StringBuilder sb = new StringBuilder("[").append("#".repeat(filled)).append(".".repeat(cells - filled))
        .append("] ");
    sb.append(String.join(" | ", parts(s, "  ")));
    return sb.length() <= width ? sb.toString() : sb.substring(0, Math.max(0, width - 3)) + "...";
  }

  /** The plain line for logs: elapsed time, then the same facts as the bar. */
  public static String line(Snapshot s) {
    return "progress " + clock(s.seconds()) + "  " + String.join("; ", parts(s, ", "));
  }

  private static List<String> parts(Snapshot s, String netSeparator) {
    List<String> parts = new ArrayList<>();
    if (s.cellsTotal() > 0) {
      parts.add(String.format(Locale.ROOT, "cells %d/%d", s.cellsDone(), s.cellsTotal()));
    }
    Extract e = s.extract();
    if (e != null) {
      double rate = e.seconds() > 0 ? e.unitsDone() / e.seconds() : 0;
      String eta = rate > 0 && e.unitsDone() < e.units() ? duration((e.units() - e.unitsDone()) / rate) : "-";
      parts.add(String.format(Locale.ROOT, "extract %s (%d pairs x %d nets) %d%%, %s pairs/s, ETA %s", e.label(),
          e.pairs(), e.done().size(), (int) Math.floor(100 * e.fraction()), rate(rate), eta));
      List<String> nets = new ArrayList<>();
      e.done().forEach((net, d) -> nets.add(net + " " + Math.min(d, e.pairs()) + "/" + e.pairs()));
      parts.add(String.join(netSeparator, nets));
    } else {
      parts.add(String.format(Locale.ROOT, "%stasks %d/%d", s.stage() == null ? "" : s.stage() + ": ",
          s.tasksDone(), s.tasksSubmitted()));
    }
    return parts;
  }

  private static String rate(double perSecond) {
    return perSecond >= 10 ? String.format(Locale.ROOT, "%.0f", perSecond)
        : String.format(Locale.ROOT, "%.1f", perSecond);
  }

  /** 42s, 4m05s, 1h02m. */
  public static String duration(double seconds) {
    long s = Math.round(seconds);
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
  }

  /** 00:04:05. */
  static String clock(double seconds) {
    long s = (long) seconds;
    return String.format(Locale.ROOT, "%02d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60);
  }
}
