package io.mesokube.agent.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mesokube.api.v1alpha1.task.HealthCheckSpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HealthCheckTimingTest {

  @Test
  void convertsTheSpecsSeconds() {
    HealthCheckSpec spec =
        new HealthCheckSpec(
            HealthCheckSpec.Type.TCP, null, null, new HealthCheckSpec.Tcp(80), 1, 2, 3, 4, 5);

    assertThat(HealthCheckTiming.of(spec))
        .isEqualTo(
            new HealthCheckTiming(
                Duration.ofSeconds(1),
                Duration.ofSeconds(2),
                Duration.ofSeconds(3),
                4,
                Duration.ofSeconds(5)));
  }

  @Test
  void fillsInTheSchemasDefaults() {
    HealthCheckSpec spec =
        new HealthCheckSpec(
            HealthCheckSpec.Type.TCP,
            null,
            null,
            new HealthCheckSpec.Tcp(80),
            null,
            null,
            null,
            null,
            null);

    assertThat(HealthCheckTiming.of(spec))
        .isEqualTo(
            new HealthCheckTiming(
                Duration.ofSeconds(15),
                Duration.ofSeconds(10),
                Duration.ofSeconds(20),
                3,
                Duration.ofSeconds(10)));
  }

  @Test
  void rejectsImpossibleTimes() {
    assertThatThrownBy(
            () ->
                new HealthCheckTiming(
                    Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1), 1, Duration.ZERO))
        .hasMessage("interval must be positive");
    assertThatThrownBy(
            () ->
                new HealthCheckTiming(
                    Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1), 0, Duration.ZERO))
        .hasMessage("consecutiveFailures must be at least 1");
  }
}
