package org.perceptsweep.core.stats.findings;

import java.util.Locale;

/**
 * How an interval of a statistic becomes a verdict. The interval is the 95% percentile interval
 * over the reference resamples; "above 0" means its lower end is above 0, and so on.
 */
public enum Rule {
  /** "A beats B" (or "rises"): supported above 0, contradicted below 0, else inconclusive. */
  BEATS,
  /** "does not rise": supported below 0, contradicted above 0, else inconclusive. */
  NOT_RISING,
  /**
   * "on par or better": supported inside +-delta or above 0, contradicted below -delta, else
   * inconclusive.
   */
  ON_PAR,
  /** "little difference": supported inside +-delta, contradicted outside it, else inconclusive. */
  EQUIVALENT,
  /** For a largest absolute difference: supported below delta, contradicted above it, else inconclusive. */
  WITHIN;

  /** A verdict and its reason in words. */
  public record Judgement(Verdict verdict, String reason) {}

  public Judgement judge(double lower, double upper, double delta) {
    String interval = "interval [" + fmt(lower) + ", " + fmt(upper) + "]";
    String d = fmt(delta);
    switch (this) {
      case BEATS:
        return lower > 0 ? new Judgement(Verdict.SUPPORTED, interval + " lies above 0")
            : upper < 0 ? new Judgement(Verdict.CONTRADICTED, interval + " lies below 0")
            : new Judgement(Verdict.INCONCLUSIVE, interval + " contains 0");
      case NOT_RISING:
        return upper < 0 ? new Judgement(Verdict.SUPPORTED, interval + " lies below 0: it falls")
            : lower > 0 ? new Judgement(Verdict.CONTRADICTED, interval + " lies above 0: it rises")
            : new Judgement(Verdict.INCONCLUSIVE, interval + " contains 0: no clear trend either way");
      case ON_PAR:
        if (lower > -delta && upper < delta) {
          return new Judgement(Verdict.SUPPORTED, interval + " lies inside +-" + d);
        }
        if (lower > 0) {
          return new Judgement(Verdict.SUPPORTED, interval + " lies above 0");
        }
        return upper < -delta ? new Judgement(Verdict.CONTRADICTED, interval + " lies below -" + d)
            : new Judgement(Verdict.INCONCLUSIVE, interval + " is neither inside +-" + d + " nor above 0");
      case EQUIVALENT:
        if (lower > -delta && upper < delta) {
          return new Judgement(Verdict.SUPPORTED, interval + " lies inside +-" + d);
        }
        return lower > delta || upper < -delta
            ? new Judgement(Verdict.CONTRADICTED, interval + " lies outside +-" + d)
            : new Judgement(Verdict.INCONCLUSIVE, interval + (lower <= -delta && upper >= delta
                ? " reaches past both -" + d + " and +" + d : " crosses " + (upper >= delta ? "+" : "-") + d));
      case WITHIN:
        return upper < delta ? new Judgement(Verdict.SUPPORTED, interval + " lies below " + d)
            : lower > delta ? new Judgement(Verdict.CONTRADICTED, interval + " lies above " + d)
            : new Judgement(Verdict.INCONCLUSIVE, interval + " contains " + d);
      default:
        throw new IllegalStateException(name());
    }
  }

  static String fmt(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }
}
