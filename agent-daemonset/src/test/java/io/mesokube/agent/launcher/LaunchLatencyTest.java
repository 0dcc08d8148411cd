package io.mesokube.agent.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reports how long {@link TaskLauncher#launch} takes, the agent's share of bound-to-RUNNING (target
 * p99 under 1 s). A figure, never a failure: timings vary with the machine.
 */
class LaunchLatencyTest {
  private static final int LAUNCHES = 50;

  @TempDir Path tempDir;

  @Test
  void reportsLaunchLatency() throws Exception {
    List<Long> micros = new ArrayList<>();
    try (LaunchFixture fixture = new LaunchFixture(tempDir)) {
      List<TaskProcess> launched = new ArrayList<>();
      for (int i = 0; i < LAUNCHES; i++) {
        long start = System.nanoTime();
        launched.add(fixture.launch(fixture.spec("latency-" + i, "/bin/true")));
        micros.add((System.nanoTime() - start) / 1000);
      }
      for (TaskProcess task : launched) {
        assertThat(task.exit()).succeedsWithin(Duration.ofSeconds(10));
      }
    }
    micros.sort(null);
    System.out.printf(
        "launch latency over %d launches: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
        LAUNCHES,
        micros.get(LAUNCHES / 2) / 1000.0,
        micros.get(LAUNCHES * 99 / 100) / 1000.0,
        micros.getLast() / 1000.0);
  }
}
