package io.mesokube.agent.health;

import io.mesokube.agent.health.HealthCheckStatus.Health;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Mesos' rules for what check results mean for one task, without threads or timers: the grace
 * period, the count of failures in a row, and which results change the task's health. Not
 * thread-safe; its {@link HealthChecker} guards it.
 */
final class HealthState {
  private final HealthCheckTiming timing;
  private final Instant taskStartedAt;
  private boolean succeeded; // Mesos' "!initializing": the grace period no longer applies
  private int consecutiveFailures;
  private long checks;
  private long failures;
  private boolean killRequested;
  private Health health = Health.UNKNOWN;
  private CheckResult lastResult;

  HealthState(HealthCheckTiming timing, Instant taskStartedAt) {
    this.timing = timing;
    this.taskStartedAt = Objects.requireNonNull(taskStartedAt, "taskStartedAt");
  }

  /**
   * What the listener must hear about a result.
   *
   * @param changedTo the new health, or {@code null} when it did not change
   * @param kill why the task must be killed, or {@code null}; set once per task
   */
  record Verdict(Health changedTo, String message, String kill) {}

  /** Counts a result and says what it changes. */
  Verdict record(CheckResult result) {
    checks++;
    lastResult = result;
    if (result.healthy()) {
      succeeded = true;
      consecutiveFailures = 0;
      return new Verdict(change(Health.HEALTHY), result.message(), null);
    }
    failures++;
    if (inGracePeriod(result.finishedAt())) {
      return new Verdict(null, result.message(), null);
    }
    consecutiveFailures++;
    String kill = null;
    // Invariant: the kill is asked for once; the checker stops checking once it is.
    if (consecutiveFailures >= timing.consecutiveFailures() && !killRequested) {
      killRequested = true;
      kill =
          "the health check failed "
              + consecutiveFailures
              + (consecutiveFailures == 1 ? " time" : " times")
              + " in a row; last: "
              + result.message();
    }
    return new Verdict(change(Health.UNHEALTHY), result.message(), kill);
  }

  boolean killRequested() {
    return killRequested;
  }

  HealthCheckStatus status() {
    return new HealthCheckStatus(
        health, consecutiveFailures, checks, failures, killRequested, lastResult);
  }

  /**
   * Mesos' rule: a failure is ignored while no check has passed yet and the task is not older than
   * its grace period (which includes the delay); a zero grace period ignores nothing.
   */
  private boolean inGracePeriod(Instant now) {
    return !succeeded
        && !timing.gracePeriod().isZero()
        && Duration.between(taskStartedAt, now).compareTo(timing.gracePeriod()) <= 0;
  }

  private Health change(Health next) {
    if (health == next) {
      return null;
    }
    health = next;
    return next;
  }
}
