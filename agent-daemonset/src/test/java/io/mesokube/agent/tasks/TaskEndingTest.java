package io.mesokube.agent.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesokube.agent.checkpoint.StatusUpdate;
import io.mesokube.agent.images.ImageException;
import io.mesokube.agent.launcher.ExitStatus;
import io.mesokube.agent.launcher.LostCause;
import io.mesokube.api.v1alpha1.task.Reasons;
import io.mesokube.api.v1alpha1.task.TaskState;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TaskEndingTest {
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

  @Test
  void exitZeroIsFinished() {
    StatusUpdate u = TaskEnding.ended(ExitStatus.exited(0), null, false, 64, NOW);
    assertThat(u.state()).isEqualTo(TaskState.TASK_FINISHED);
    assertThat(u.exitCode()).isZero();
  }

  @Test
  void aNonZeroExitFailsWithItsCode() {
    StatusUpdate u = TaskEnding.ended(ExitStatus.exited(3), null, false, 64, NOW);
    assertThat(u.state()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(u.reason()).isEqualTo(Reasons.COMMAND_EXECUTOR_FAILED);
    assertThat(u.exitCode()).isEqualTo(3);
    assertThat(u.message()).isEqualTo("Command exited with status 3");
  }

  @Test
  void anOomKillIsAMemoryLimitationEvenDuringAKill() {
    StatusUpdate u =
        TaskEnding.ended(ExitStatus.signaled(9), TaskEnding.KillCause.REQUESTED, true, 64, NOW);
    assertThat(u.state()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(u.reason()).isEqualTo(Reasons.CONTAINER_LIMITATION_MEMORY);
    assertThat(u.exitCode()).isEqualTo(137);
  }

  @Test
  void whatTheAgentKilledIsKilled() {
    assertThat(
            TaskEnding.ended(
                    ExitStatus.signaled(15), TaskEnding.KillCause.REQUESTED, false, 64, NOW)
                .state())
        .isEqualTo(TaskState.TASK_KILLED);
    StatusUpdate unhealthy =
        TaskEnding.ended(ExitStatus.signaled(15), TaskEnding.KillCause.UNHEALTHY, false, 64, NOW);
    assertThat(unhealthy.state()).isEqualTo(TaskState.TASK_KILLED);
    assertThat(unhealthy.healthy()).isFalse();
    assertThat(unhealthy.reason()).isEqualTo(Reasons.TASK_HEALTH_CHECK_STATUS_UPDATED);
  }

  @Test
  void aLostSupervisorIsReportedAsMesosDoes() {
    assertThat(TaskEnding.lost(LostCause.SUPERVISOR_DIED, "x", false, NOW).reason())
        .isEqualTo(Reasons.EXECUTOR_TERMINATED);
    assertThat(TaskEnding.lost(LostCause.HOST_REBOOTED, "x", true, NOW).state())
        .isEqualTo(TaskState.TASK_GONE);
    assertThat(TaskEnding.lost(LostCause.HOST_REBOOTED, "x", false, NOW).state())
        .isEqualTo(TaskState.TASK_LOST);
    assertThat(TaskEnding.lost(LostCause.NEVER_STARTED, "x", false, NOW).reason())
        .isEqualTo(Reasons.CONTAINER_LAUNCH_FAILED);
  }

  @Test
  void anImageNotProvidedIsRefusedOrFailedByWhy() {
    StatusUpdate invalid =
        TaskEnding.notProvided(
            new ImageException(ImageException.Kind.INVALID_REFERENCE, "UPPER/case"), NOW);
    assertThat(invalid.state()).isEqualTo(TaskState.TASK_ERROR);
    assertThat(invalid.reason()).isEqualTo(Reasons.TASK_INVALID);
    StatusUpdate denied =
        TaskEnding.notProvided(new ImageException(ImageException.Kind.DENIED, "link-local"), NOW);
    assertThat(denied.state()).isEqualTo(TaskState.TASK_ERROR);
    assertThat(denied.reason()).isEqualTo(Reasons.TASK_UNAUTHORIZED);
    assertThat(denied.message()).isEqualTo("link-local");
    StatusUpdate down =
        TaskEnding.notProvided(
            new ImageException(ImageException.Kind.UNREACHABLE, "registry down"), NOW);
    assertThat(down.state()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(down.reason()).isEqualTo(Reasons.CONTAINER_LAUNCH_FAILED);
    assertThat(down.message()).isEqualTo("Failed to provision the image: registry down");
  }

  @Test
  void whatADownAgentKillsOrRefusesCarriesTheDrainingReason() {
    StatusUpdate killed =
        TaskEnding.ended(ExitStatus.signaled(15), TaskEnding.KillCause.MAINTENANCE, false, 64, NOW);
    assertThat(killed.state()).isEqualTo(TaskState.TASK_KILLED);
    assertThat(killed.reason()).isEqualTo(Reasons.AGENT_DRAINING);
    assertThat(killed.exitCode()).isEqualTo(143);
    assertThat(killed.message()).startsWith("Killed because the agent is Down for maintenance");

    StatusUpdate dropped = TaskEnding.notLaunchedWhileDown(false, "kernel upgrade", NOW);
    assertThat(dropped.state()).isEqualTo(TaskState.TASK_DROPPED);
    assertThat(dropped.reason()).isEqualTo(Reasons.AGENT_DRAINING);
    assertThat(dropped.message()).contains("kernel upgrade");
    assertThat(TaskEnding.notLaunchedWhileDown(true, "x", NOW).state())
        .isEqualTo(TaskState.TASK_KILLED);
  }
}
