package org.perceptsweep.jobs.bench;

/**
 * One line of the benchmark table: a subject measured against a named baseline in the same run.
 *
 * @param benchmark which benchmark (e.g. "1 pipeline overhead")
 * @param case_ what was measured (data set, metric, scale)
 * @param subject what is being judged (e.g. "extract job (local[2])")
 * @param subjectValue the subject's median figure, in {@code unit}
 * @param baseline the named baseline, measured in the same run
 * @param baselineValue the baseline's median figure, in {@code unit}
 * @param unit unit of both figures (e.g. "images/s")
 * @param ratio median over rounds of subject / baseline (higher is better for the subject), or the
 *     growth factor for growth rows
 * @param target the ratio the issue asks for, or NaN when there is none
 * @param runs timed rounds behind each median
 */
public record BenchRow(String benchmark, String case_, String subject, double subjectValue, String baseline,
    double baselineValue, String unit, double ratio, double target, int runs) {

  /** "met", "missed", or "-" when there is no target. */
  public String verdict() {
    if (Double.isNaN(target)) {
      return "-";
    }
    return ratio >= target ? "met" : "missed";
  }

  public boolean missed() {
    return "missed".equals(verdict());
  }
}
