package io.mesokube.agent.health;

import io.mesokube.api.v1alpha1.task.HealthCheckSpec;
import java.time.Duration;
import java.util.Objects;

/**
 * When a task is checked and how many failures it may have: Mesos' HealthCheck times as durations,
 * so that tests can use milliseconds.
 *
 * @param delay from {@link HealthChecker#start()} to the first check
 * @param interval from the end of a check to the start of the next one
 * @param timeout after which a check fails
 * @param consecutiveFailures counted failures in a row after which the task is killed
 * @param gracePeriod from the task's start, during which failures are ignored until a first
 *     success; it includes the delay
 */
public record HealthCheckTiming(
    Duration delay,
    Duration interval,
    Duration timeout,
    int consecutiveFailures,
    Duration gracePeriod) {

  // The schema's @Default values, for specs that never went through the API server (built in
  // Java); specs read from the cluster always have them set.
  private static final int DEFAULT_DELAY_SECONDS = 15;
  private static final int DEFAULT_INTERVAL_SECONDS = 10;
  private static final int DEFAULT_TIMEOUT_SECONDS = 20;
  private static final int DEFAULT_CONSECUTIVE_FAILURES = 3;
  private static final int DEFAULT_GRACE_PERIOD_SECONDS = 10;

  public HealthCheckTiming {
    requireNotNegative(delay, "delay");
    requirePositive(interval, "interval");
    requirePositive(timeout, "timeout");
    requireNotNegative(gracePeriod, "gracePeriod");
    if (consecutiveFailures < 1) {
      throw new IllegalArgumentException("consecutiveFailures must be at least 1");
    }
  }

  /** The spec's seconds as durations. */
  public static HealthCheckTiming of(HealthCheckSpec spec) {
    return new HealthCheckTiming(
        seconds(spec.delaySeconds(), DEFAULT_DELAY_SECONDS),
        seconds(spec.intervalSeconds(), DEFAULT_INTERVAL_SECONDS),
        seconds(spec.timeoutSeconds(), DEFAULT_TIMEOUT_SECONDS),
        Objects.requireNonNullElse(spec.consecutiveFailures(), DEFAULT_CONSECUTIVE_FAILURES),
        seconds(spec.gracePeriodSeconds(), DEFAULT_GRACE_PERIOD_SECONDS));
  }

  private static Duration seconds(Integer value, int defaultValue) {
    return Duration.ofSeconds(Objects.requireNonNullElse(value, defaultValue));
  }

  private static void requireNotNegative(Duration value, String name) {
    if (Objects.requireNonNull(value, name).isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative");
    }
  }

  private static void requirePositive(Duration value, String name) {
    requireNotNegative(value, name);
    if (value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }
}
