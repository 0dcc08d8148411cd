package io.mesokube.agent.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mesokube.agent.health.HealthCheckStatus.Health;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Mesos' timing, grace period and notification rules, against a real HTTP server. */
class HealthCheckerTest extends HealthCheckTestSupport {

  private static HealthCheckTiming timing(Duration delay, int failures, Duration gracePeriod) {
    return new HealthCheckTiming(delay, INTERVAL, TIMEOUT, failures, gracePeriod);
  }

  @Test
  void firstCheckWaitsForTheDelay() throws IOException {
    try (ScriptedHttpServer server = ScriptedHttpServer.http(200)) {
      start(http(server.port()), timing(Duration.ofMillis(700), 1, Duration.ZERO));

      throughout(Duration.ofMillis(300)).until(() -> server.requests() == 0);
      eventually().until(() -> server.requests() > 0);
    }
  }

  @Test
  void failuresInTheGracePeriodAreIgnoredUntilItEnds() throws IOException {
    try (ScriptedHttpServer server = ScriptedHttpServer.http(500)) {
      HealthChecker checker =
          start(http(server.port()), timing(Duration.ZERO, 2, Duration.ofMillis(700)));

      throughout(Duration.ofMillis(350))
          .untilAsserted(
              () -> {
                assertThat(listener.changes).isEmpty();
                assertThat(checker.status().consecutiveFailures()).isZero();
              });
      assertThat(checker.status().failures()).isGreaterThan(3);
      assertThat(checker.status().health()).isEqualTo(Health.UNKNOWN);

      eventually().untilAsserted(() -> assertThat(listener.kills).hasSize(1));
      assertThat(listener.healthChanges()).containsExactly(false);
    }
  }

  @Test
  void afterAFirstSuccessFailuresCountEvenInTheGracePeriod() throws IOException {
    try (ScriptedHttpServer server = ScriptedHttpServer.http(500, 500, 500, 200, 500)) {
      HealthChecker checker =
          start(http(server.port()), timing(Duration.ZERO, 2, Duration.ofMinutes(10)));

      eventually().untilAsserted(() -> assertThat(listener.kills).hasSize(1));
      assertThat(listener.healthChanges()).containsExactly(true, false);
      assertThat(checker.status())
          .returns(6L, HealthCheckStatus::checks)
          .returns(5L, HealthCheckStatus::failures)
          .returns(2, HealthCheckStatus::consecutiveFailures);
    }
  }

  @Test
  void tellsOnlyChangesOfHealth() throws IOException {
    try (ScriptedHttpServer server =
        ScriptedHttpServer.http(200, 200, 500, 500, 200, 200, 500, 200)) {
      HealthChecker checker = start(http(server.port()), timing(10));

      eventually().until(() -> checker.status().checks() >= 10);
      assertThat(listener.healthChanges()).containsExactly(true, false, true, false, true);
      assertThat(listener.kills).isEmpty();
    }
  }

  @Test
  void stopEndsChecksAndCallbacks() throws IOException {
    try (ScriptedHttpServer server = ScriptedHttpServer.http(200, 200, 200, 500)) {
      HealthChecker checker = start(http(server.port()), timing(1));
      eventually().until(() -> checker.status().checks() >= 1);

      checker.stop();
      long checks = checker.status().checks();
      int requests = server.requests();
      throughout(Duration.ofMillis(300))
          .untilAsserted(
              () -> {
                assertThat(checker.status().checks()).isEqualTo(checks);
                // One request may have been on its way when stop() was called.
                assertThat(server.requests()).isLessThanOrEqualTo(requests + 1);
              });
      assertThat(listener.healthChanges()).containsExactly(true);
      assertThat(listener.kills).isEmpty();
    }
  }

  @Test
  void stopAbortsTheRunningCheckSilently() throws IOException {
    try (ScriptedHttpServer server = ScriptedHttpServer.http(500)) {
      server.hold();
      HealthChecker checker = start(http(server.port()), timing(1));
      eventually().until(() -> server.requests() == 1);

      checker.stop();
      server.release();
      throughout(Duration.ofMillis(300))
          .untilAsserted(
              () -> {
                assertThat(checker.status().checks()).isZero();
                assertThat(listener.changes).isEmpty();
              });
    }
  }

  @Test
  void aListenerThatStopsTheCheckerHearsNothingMore() throws IOException {
    try (ScriptedHttpServer server = ScriptedHttpServer.http(500)) {
      HealthChecker[] checker = new HealthChecker[1];
      RecordingListener stopping =
          new RecordingListener() {
            @Override
            public void onHealthChanged(boolean healthy, String message) {
              super.onHealthChanged(healthy, message);
              checker[0].stop();
            }
          };
      checker[0] =
          checkers.create(http(server.port()), timing(1), TaskEnvironment.of("t"), stopping);
      checker[0].start();

      eventually().untilAsserted(() -> assertThat(stopping.changes).hasSize(1));
      throughout(Duration.ofMillis(200)).untilAsserted(() -> assertThat(stopping.kills).isEmpty());
    }
  }

  @Test
  void aFailingListenerIsNotFatal() throws IOException {
    try (ScriptedHttpServer server = ScriptedHttpServer.http(200, 500)) {
      AtomicInteger calls = new AtomicInteger();
      HealthCheckListener failing =
          new HealthCheckListener() {
            @Override
            public void onHealthChanged(boolean healthy, String message) {
              calls.incrementAndGet();
              throw new IllegalStateException("listener bug");
            }

            @Override
            public void onUnhealthy(String message) {
              calls.incrementAndGet();
              throw new IllegalStateException("listener bug");
            }
          };
      HealthChecker checker = start(http(server.port()), timing(2), failing);

      eventually().until(() -> checker.status().killRequested());
      assertThat(calls).hasValue(3);
    }
  }

  @Test
  void startsOnce() {
    HealthChecker checker = start(tcp(1), timing(1));

    assertThatThrownBy(checker::start).isInstanceOf(IllegalStateException.class);
  }
}
