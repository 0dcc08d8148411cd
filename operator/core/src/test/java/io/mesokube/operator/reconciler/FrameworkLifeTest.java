package io.mesokube.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.mesokube.api.v1alpha1.common.Resources;
import io.mesokube.api.v1alpha1.framework.Framework;
import io.mesokube.api.v1alpha1.framework.FrameworkPhase;
import io.mesokube.api.v1alpha1.framework.FrameworkSpec;
import io.mesokube.api.v1alpha1.framework.SchedulerType;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.api.v1alpha1.task.TaskSpec;
import io.mesokube.api.v1alpha1.task.TaskState;
import io.mesokube.api.v1alpha1.task.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameworkLifeTest {
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  private static final Resources CLUSTER = Resources.of(8, 8192);

  private static Framework framework(SchedulerType scheduler, long failoverSeconds) {
    Framework f = new Framework();
    f.setMetadata(
        new ObjectMetaBuilder()
            .withName("fw")
            .withNamespace("ns")
            .withUid("u-1")
            .withGeneration(1L)
            .build());
    f.setSpec(
        new FrameworkSpec(
            List.of("batch"), null, scheduler, failoverSeconds, true, null, "nobody", null, null));
    return f;
  }

  private static Lease lease(Instant renewed, int seconds) {
    return new LeaseBuilder()
        .withNewSpec()
        .withRenewTime(renewed.atZone(ZoneOffset.UTC))
        .withLeaseDurationSeconds(seconds)
        .endSpec()
        .build();
  }

  private static Task task(String agent, TaskState state, double cpus) {
    Task t = new Task();
    t.setMetadata(new ObjectMetaBuilder().withName("t").withNamespace("ns").build());
    t.setSpec(
        new TaskSpec(
            "fw", null, Resources.of(cpus, 64), null, null, null, null, agent, null, false));
    if (state != null) {
      t.setStatus(
          new TaskStatus(null, state, null, null, null, null, null, null, null, null, null, null));
    }
    return t;
  }

  private static FrameworkLife life(Framework f, Lease lease, List<Task> tasks) {
    return FrameworkLife.of(f, lease, tasks, null, CLUSTER, null, NOW);
  }

  @Test
  void managedFrameworksAreActiveWithoutALease() {
    FrameworkLife life =
        life(
            framework(SchedulerType.Managed, 60),
            null,
            List.of(task("a", TaskState.TASK_RUNNING, 2)));
    assertThat(life.status().phase()).isEqualTo(FrameworkPhase.Active);
    assertThat(life.status().connected()).isTrue();
    assertThat(life.status().frameworkId()).isEqualTo("u-1-0000");
    assertThat(life.status().allocated().cpus()).isEqualTo(2.0);
    assertThat(life.status().dominantShare()).isEqualTo(0.25);
    assertThat(life.tearDown()).isFalse();
  }

  @Test
  void anOffersFrameworkFollowsItsLease() {
    Framework f = framework(SchedulerType.Offers, 60);
    assertThat(life(f, null, List.of()).status().phase()).isEqualTo(FrameworkPhase.Pending);

    FrameworkLife connected = life(f, lease(NOW.minusSeconds(5), 15), List.of());
    assertThat(connected.status().phase()).isEqualTo(FrameworkPhase.Active);
    assertThat(connected.nextCheck()).isEqualTo(Duration.ofMillis(10_100));

    FrameworkLife lapsed = life(f, lease(NOW.minusSeconds(30), 15), List.of(task("a", null, 1)));
    assertThat(lapsed.status().phase()).isEqualTo(FrameworkPhase.Disconnected);
    assertThat(lapsed.status().disconnectedTime()).isEqualTo(NOW.minusSeconds(15).toString());
    assertThat(lapsed.tearDown()).isFalse();
    assertThat(lapsed.nextCheck()).isEqualTo(Duration.ofMillis(45_100));
  }

  @Test
  void pastTheFailoverTimeoutItsTasksAreKilledThenItCompletes() {
    Framework f = framework(SchedulerType.Offers, 10);
    Lease lapsed = lease(NOW.minusSeconds(60), 15);
    Task running = task("a", TaskState.TASK_RUNNING, 1);

    FrameworkLife tearingDown =
        life(f, lapsed, List.of(running, task("a", TaskState.TASK_FINISHED, 1)));
    assertThat(tearingDown.status().phase()).isEqualTo(FrameworkPhase.TearingDown);
    assertThat(tearingDown.tasksToKill()).containsExactly(running);

    FrameworkLife done = life(f, lapsed, List.of(task("a", TaskState.TASK_KILLED, 1)));
    assertThat(done.status().phase()).isEqualTo(FrameworkPhase.Completed);
    assertThat(done.tasksToKill()).isEmpty();
  }

  @Test
  void conditionsKeepTheirTransitionTimeWhileUnchanged() {
    Framework f = framework(SchedulerType.Managed, 60);
    FrameworkLife first = life(f, null, List.of());
    f.setStatus(first.status());
    FrameworkLife later =
        FrameworkLife.of(f, null, List.of(), null, CLUSTER, null, NOW.plusSeconds(30));
    assertThat(later.status()).isEqualTo(first.status());
  }
}
