package org.perceptsweep.core.stats.findings;

/** What the data say about a claim for one subject. */
public enum Verdict {
  SUPPORTED("supported"),
  CONTRADICTED("contradicted"),
  INCONCLUSIVE("inconclusive"),
  NOT_TESTABLE("not testable");

  private final String key;

  Verdict(String key) {
    this.key = key;
  }

  public String key() {
    return key;
  }
}
