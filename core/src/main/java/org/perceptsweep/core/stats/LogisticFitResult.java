package org.perceptsweep.core.stats;

/**
 * Outcome of a {@link LogisticFit}. When {@code converged} is false there are no numbers: curve,
 * plcc and rmse are null and {@code failureReason} says why.
 *
 * @param n pairs
 * @param converged true when Levenberg-Marquardt met its tolerances within the iteration limit
 *     and the parameters are finite
 * @param curve the fitted curve (parameters in the metric's own units)
 * @param plcc Pearson correlation of the fitted scores q(metric) with the human scores; null when
 *     the fitted scores are constant. Not signed like {@link CorrelationResult#plcc}: the curve
 *     absorbs the metric's direction, and at a least-squares optimum the residual is orthogonal to
 *     the fitted scores and to the constant, so this is sd(fitted) / sd(score) >= 0. Never
 *     multiply it by {@link Agreement#sign}.
 * @param rmse root mean square of q(metric) - score, divided by n (not n - 5)
 * @param iterations optimizer iterations used
 * @param failureReason why there is no fit, or why plcc is null; null otherwise
 */
public record LogisticFitResult(
    int n,
    boolean converged,
    LogisticCurve curve,
    Double plcc,
    Double rmse,
    int iterations,
    String failureReason) {

  static LogisticFitResult failed(int n, int iterations, String reason) {
    return new LogisticFitResult(n, false, null, null, null, iterations, reason);
  }
}
