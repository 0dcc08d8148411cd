package io.mesokube.agent.health;

/**
 * A snapshot of one task's health checking, for the agent's metrics.
 *
 * @param health the task's health as last reported to the listener
 * @param consecutiveFailures counted failures since the last success
 * @param checks checks finished, all results
 * @param failures failed checks, including those ignored in the grace period
 * @param killRequested whether {@link HealthCheckListener#onUnhealthy} was called
 * @param lastResult the last check's result; {@code null} before the first check
 */
public record HealthCheckStatus(
    Health health,
    int consecutiveFailures,
    long checks,
    long failures,
    boolean killRequested,
    CheckResult lastResult) {

  /** A task's health as its checker sees it. */
  public enum Health {
    /** No counted result yet: not checked, or only failures inside the grace period. */
    UNKNOWN,
    /** The last counted check passed. */
    HEALTHY,
    /** The last counted check failed. */
    UNHEALTHY
  }
}
