package io.mesokube.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AgentThreadsTest {
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService thread =
      AgentThreads.single("t", (name, e) -> failures.add(name + ": " + e.getMessage()));

  @Test
  void whatExecutedWorkThrowsIsReportedNotSwallowed() {
    thread.execute(
        () -> {
          throw new IllegalStateException("boom");
        });
    await().atMost(Duration.ofSeconds(5)).until(() -> !failures.isEmpty());
    assertThat(failures).containsExactly("t: boom");
    thread.shutdownNow();
  }

  @Test
  void aPeriodicTaskThatThrowsIsReportedAndCancellationIsNot() throws Exception {
    var cancelled = thread.schedule(() -> {}, 1, TimeUnit.HOURS);
    cancelled.cancel(false);
    int[] runs = {0};
    thread.scheduleWithFixedDelay(
        () -> {
          if (++runs[0] == 2) {
            throw new IllegalArgumentException("second run");
          }
        },
        0,
        10,
        TimeUnit.MILLISECONDS);
    await().atMost(Duration.ofSeconds(5)).until(() -> !failures.isEmpty());
    assertThat(failures).containsExactly("t: second run");
    thread.shutdownNow();
  }
}
