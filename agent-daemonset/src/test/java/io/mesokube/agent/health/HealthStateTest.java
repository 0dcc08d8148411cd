package io.mesokube.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesokube.agent.health.HealthCheckStatus.Health;
import io.mesokube.agent.health.HealthState.Verdict;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Mesos' grace period and counting rules, on a clock the test sets. */
class HealthStateTest {
  private static final Instant STARTED = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration GRACE = Duration.ofSeconds(10);

  private final HealthState state =
      new HealthState(
          new HealthCheckTiming(
              Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1), 2, GRACE),
          STARTED);

  private Verdict result(boolean healthy, Duration sinceStart) {
    return state.record(
        new CheckResult(healthy, healthy ? "ok" : "bad", STARTED.plus(sinceStart), Duration.ZERO));
  }

  @Test
  void failuresUpToTheEndOfTheGracePeriodAreIgnored() {
    assertThat(result(false, Duration.ofSeconds(1))).isEqualTo(new Verdict(null, "bad", null));
    assertThat(result(false, GRACE)).isEqualTo(new Verdict(null, "bad", null));
    assertThat(state.status())
        .returns(Health.UNKNOWN, HealthCheckStatus::health)
        .returns(0, HealthCheckStatus::consecutiveFailures)
        .returns(2L, HealthCheckStatus::failures);

    assertThat(result(false, GRACE.plusMillis(1)))
        .isEqualTo(new Verdict(Health.UNHEALTHY, "bad", null));
    assertThat(result(false, GRACE.plusSeconds(1)))
        .isEqualTo(new Verdict(null, "bad", "the health check failed 2 times in a row; last: bad"));
  }

  @Test
  void afterAFirstSuccessFailuresCountInsideTheGracePeriod() {
    assertThat(result(true, Duration.ofSeconds(1)))
        .isEqualTo(new Verdict(Health.HEALTHY, "ok", null));
    assertThat(result(false, Duration.ofSeconds(2)))
        .isEqualTo(new Verdict(Health.UNHEALTHY, "bad", null));
    assertThat(result(false, Duration.ofSeconds(3)).kill()).isNotNull();
  }

  @Test
  void aZeroGracePeriodIgnoresNothing() {
    HealthState noGrace =
        new HealthState(
            new HealthCheckTiming(
                Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1), 1, Duration.ZERO),
            STARTED);

    Verdict verdict = noGrace.record(new CheckResult(false, "bad", STARTED, Duration.ZERO));

    assertThat(verdict)
        .isEqualTo(
            new Verdict(
                Health.UNHEALTHY, "bad", "the health check failed 1 time in a row; last: bad"));
  }

  @Test
  void aSuccessResetsTheCountAndOnlyChangesAreVerdicts() {
    Duration late = GRACE.plusSeconds(1);
    assertThat(result(true, late).changedTo()).isEqualTo(Health.HEALTHY);
    assertThat(result(true, late).changedTo()).isNull();
    assertThat(result(false, late).changedTo()).isEqualTo(Health.UNHEALTHY);
    assertThat(result(true, late).changedTo()).isEqualTo(Health.HEALTHY);
    assertThat(result(false, late).kill()).isNull();
    assertThat(state.status().consecutiveFailures()).isEqualTo(1);
  }

  @Test
  void theKillIsAskedForOnce() {
    Duration late = GRACE.plusSeconds(1);
    result(false, late);
    assertThat(result(false, late).kill()).isNotNull();
    assertThat(result(false, late).kill()).isNull();
    assertThat(state.status().killRequested()).isTrue();
  }
}
