package org.perceptsweep.jobs.extract;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * Pairs done per net during one extract, counted on the executors for the console's progress.
 *
 * <p>One accumulator per net ({@value #ACCUMULATOR_PREFIX}NET), added to as each reference group
 * finishes a net (pairs measured or rejected). Executors send a running task's accumulator values
 * with every heartbeat ({@code spark.executor.heartbeatInterval}), so a listener on the driver sees
 * the counts move while a task is still running, not only when it ends. The jobs of the extract
 * carry its size as local properties ({@value #ID}, {@value #PAIRS}, {@value #NETS}, {@value #LABEL}),
 * so a listener knows the totals without knowing this class's caller.
 */
public final class ExtractProgress implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final String ACCUMULATOR_PREFIX = "perceptsweep.extract.pairs:";
  /** Job property: an id per extract run. */
  public static final String ID = "perceptsweep.extract.id";
  /** Job property: the pairs each net goes through. */
  public static final String PAIRS = "perceptsweep.extract.pairs";
  /** Job property: the nets (and classic metrics), comma-separated, in the extract's order. */
  public static final String NETS = "perceptsweep.extract.nets";
  /** Job property: what is extracted (the datasets). */
  public static final String LABEL = "perceptsweep.extract.label";
  private static final List<String> PROPERTIES = List.of(ID, PAIRS, NETS, LABEL);

  private final Map<String, LongAccumulator> pairsDone;

  private ExtractProgress(Map<String, LongAccumulator> pairsDone) {
    this.pairsDone = pairsDone;
  }

  /** Registers the counters and marks this thread's jobs as the extract's (until {@link #end}). */
  public static ExtractProgress start(SparkContext sc, List<String> nets, long pairs, String label) {
    Map<String, LongAccumulator> m = new LinkedHashMap<>();
    for (String net : nets) {
      m.put(net, sc.longAccumulator(ACCUMULATOR_PREFIX + net));
    }
    sc.setLocalProperty(ID, java.util.UUID.randomUUID().toString());
    sc.setLocalProperty(PAIRS, Long.toString(pairs));
    sc.setLocalProperty(NETS, String.join(",", nets));
    sc.setLocalProperty(LABEL, label);
    return new ExtractProgress(m);
  }

  public static void end(SparkContext sc) {
    for (String p : PROPERTIES) {
      sc.setLocalProperty(p, null);
    }
  }

  /** On an executor: {@code pairs} more pairs went through each of these nets. */
  public void done(Iterable<String> nets, int pairs) {
    if (pairs <= 0) {
      return;
    }
    for (String net : nets) {
      LongAccumulator a = pairsDone.get(net);
      if (a != null) {
        a.add(pairs);
      }
    }
  }
}
