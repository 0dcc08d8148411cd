package io.mesokube.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesokube.agent.health.HealthCheckStatus.Health;
import io.mesokube.api.v1alpha1.task.HealthCheckSpec.Http.Scheme;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpHealthCheckTest extends HealthCheckTestSupport {

  @Test
  void killsOnceAfterConsecutiveFailuresAndStopsChecking() throws IOException {
    try (ScriptedHttpServer server = ScriptedHttpServer.http(200, 500)) {
      HealthChecker checker = start(http(server.port()), timing(3));

      eventually().untilAsserted(() -> assertThat(listener.kills).hasSize(1));
      assertThat(listener.kills.getFirst())
          .contains("the health check failed 3 times in a row")
          .contains("/health returned 500");
      assertThat(listener.healthChanges()).containsExactly(true, false);
      assertThat(checker.status())
          .returns(Health.UNHEALTHY, HealthCheckStatus::health)
          .returns(3, HealthCheckStatus::consecutiveFailures)
          .returns(4L, HealthCheckStatus::checks)
          .returns(true, HealthCheckStatus::killRequested);
      throughout(Duration.ofMillis(300))
          .untilAsserted(
              () -> {
                assertThat(server.requests()).isEqualTo(4);
                assertThat(listener.kills).hasSize(1);
              });
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {200, 204, 301, 302, 399})
  void answersFrom200To399AreHealthy(int status) throws IOException {
    try (ScriptedHttpServer server = ScriptedHttpServer.http(status)) {
      start(http(server.port()), timing(1));

      eventually().untilAsserted(() -> assertThat(listener.healthChanges()).containsExactly(true));
      assertThat(listener.lastMessage())
          .isEqualTo("HTTP GET http://127.0.0.1:" + server.port() + "/health returned " + status);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 404, 503})
  void otherAnswersAreNot(int status) throws IOException {
    try (ScriptedHttpServer server = ScriptedHttpServer.http(status)) {
      start(http(server.port()), timing(1));

      eventually().untilAsserted(() -> assertThat(listener.kills).hasSize(1));
      assertThat(listener.healthChanges()).containsExactly(false);
    }
  }

  @Test
  void httpsTrustsAnyCertificateForAnyName() throws Exception {
    try (ScriptedHttpServer server = ScriptedHttpServer.https(SelfSignedTls.serverContext(), 200)) {
      start(http(server.port(), Scheme.HTTPS), timing(1));

      eventually().untilAsserted(() -> assertThat(listener.healthChanges()).containsExactly(true));
      assertThat(listener.lastMessage()).startsWith("HTTP GET https://127.0.0.1:");
    }
  }

  @Test
  void anAnswerSlowerThanTheTimeoutFails() throws IOException {
    try (ScriptedHttpServer server = ScriptedHttpServer.http(200)) {
      server.hold();
      HealthCheckTiming timing =
          new HealthCheckTiming(Duration.ZERO, INTERVAL, Duration.ofMillis(150), 2, Duration.ZERO);
      HealthChecker checker = start(http(server.port()), timing);

      eventually().untilAsserted(() -> assertThat(listener.kills).hasSize(1));
      assertThat(listener.lastMessage()).endsWith("/health timed out after 150 ms");
      assertThat(checker.status().lastResult().duration()).isLessThan(Duration.ofSeconds(1));
    }
  }

  @Test
  void checksNeverOverlap() throws IOException {
    try (ScriptedHttpServer server = ScriptedHttpServer.http(200)) {
      server.hold();
      HealthCheckTiming timing =
          new HealthCheckTiming(
              Duration.ZERO, Duration.ofMillis(1), Duration.ofSeconds(10), 1, Duration.ZERO);
      start(http(server.port()), timing);

      eventually().until(() -> server.requests() == 1);
      throughout(Duration.ofMillis(300)).until(() -> server.requests() == 1);
      server.release();
      eventually().until(() -> server.requests() > 5);
      assertThat(server.mostConcurrent()).isEqualTo(1);
      assertThat(listener.healthChanges()).isEqualTo(List.of(true));
    }
  }
}
