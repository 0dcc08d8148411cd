package io.mesokube.agent.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesokube.agent.checkpoint.StatusUpdate;
import io.mesokube.agent.status.StatusApplier.Outcome;
import io.mesokube.api.v1alpha1.task.TaskState;
import io.mesokube.api.v1alpha1.task.TaskStatus;
import io.mesokube.api.v1alpha1.task.TaskStatusEntry;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StatusApplierTest {
  private static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");

  @Test
  void theFirstUpdateStartsTheHistory() {
    StatusUpdate running = StatusUpdate.of(TaskState.TASK_RUNNING, null, null, null, null, T0);

    TaskStatus status = write(StatusApplier.apply(running, null, 1L, "/sb", "ns/t"));

    assertThat(status.state()).isEqualTo(TaskState.TASK_RUNNING);
    assertThat(status.startTime()).isEqualTo(T0.toString());
    assertThat(status.sandbox()).isEqualTo("/sb");
    assertThat(status.taskId()).isEqualTo("ns/t");
    assertThat(status.history())
        .containsExactly(new TaskStatusEntry(TaskState.TASK_RUNNING, null, null, T0.toString()));
  }

  @Test
  void anUpdateAlreadyInTheHistoryIsNotWrittenAgain() {
    StatusUpdate running = StatusUpdate.of(TaskState.TASK_RUNNING, null, null, null, null, T0);
    TaskStatus stored = write(StatusApplier.apply(running, null, 1L, "/sb", "ns/t"));
    StatusUpdate finished =
        StatusUpdate.of(TaskState.TASK_FINISHED, null, "done", 0, null, T0.plusSeconds(5));
    TaskStatus done = write(StatusApplier.apply(finished, stored, 1L, "/sb", "ns/t"));

    // A resend of either, after a lost acknowledgement, changes nothing.
    assertThat(StatusApplier.apply(running, done, 1L, "/sb", "ns/t"))
        .isInstanceOf(Outcome.AlreadyApplied.class);
    assertThat(StatusApplier.apply(finished, done, 1L, "/sb", "ns/t"))
        .isInstanceOf(Outcome.AlreadyApplied.class);
    assertThat(done.history())
        .extracting(TaskStatusEntry::state)
        .containsExactly(TaskState.TASK_RUNNING, TaskState.TASK_FINISHED);
    assertThat(done.finishTime()).isEqualTo(T0.plusSeconds(5).toString());
    assertThat(done.exitCode()).isZero();
  }

  @Test
  void aTerminalStatusWrittenByOthersSupersedesTheAgentsUpdate() {
    TaskStatus lost =
        write(
            StatusApplier.apply(
                StatusUpdate.of(TaskState.TASK_LOST, "REASON_AGENT_REMOVED", null, null, null, T0),
                null,
                1L,
                null,
                "ns/t"));

    Outcome outcome =
        StatusApplier.apply(
            StatusUpdate.of(TaskState.TASK_FINISHED, null, null, 0, null, T0.plusSeconds(1)),
            lost,
            1L,
            "/sb",
            "ns/t");

    assertThat(outcome).isEqualTo(new Outcome.Superseded(TaskState.TASK_LOST));
  }

  @Test
  void aHealthChangeKeepsTheStateAndAddsNoHistory() {
    TaskStatus running =
        write(
            StatusApplier.apply(
                StatusUpdate.of(TaskState.TASK_RUNNING, null, null, null, null, T0),
                null,
                1L,
                "/sb",
                "ns/t"));

    TaskStatus unhealthy =
        write(
            StatusApplier.apply(
                StatusUpdate.of(
                    TaskState.TASK_RUNNING, null, "503", null, false, T0.plusSeconds(9)),
                running,
                1L,
                "/sb",
                "ns/t"));

    assertThat(unhealthy.healthy()).isFalse();
    assertThat(unhealthy.history()).hasSize(1);
    assertThat(unhealthy.conditions())
        .singleElement()
        .satisfies(c -> assertThat(c.reason()).isEqualTo("HealthCheckFailed"));
    // The same result again is no change.
    assertThat(
            StatusApplier.apply(
                StatusUpdate.of(
                    TaskState.TASK_RUNNING, null, "503", null, false, T0.plusSeconds(19)),
                unhealthy,
                1L,
                "/sb",
                "ns/t"))
        .isInstanceOf(Outcome.AlreadyApplied.class);
  }

  @Test
  void progressWithinAStateChangesTheMessageAndAddsNoHistory() {
    TaskStatus starting =
        write(
            StatusApplier.apply(
                StatusUpdate.of(
                    TaskState.TASK_STARTING, null, "provisioning image i", null, null, T0),
                null,
                1L,
                null,
                "ns/t"));
    StatusUpdate tick =
        StatusUpdate.of(
            TaskState.TASK_STARTING,
            null,
            "pulling image i: 3.1 MB received in 10 s",
            null,
            null,
            T0.plusSeconds(10));
    TaskStatus pulling = write(StatusApplier.apply(tick, starting, 1L, null, "ns/t"));

    assertThat(pulling.state()).isEqualTo(TaskState.TASK_STARTING);
    assertThat(pulling.message()).isEqualTo("pulling image i: 3.1 MB received in 10 s");
    assertThat(pulling.history()).isEqualTo(starting.history());
    // Delivered again: already there.
    assertThat(StatusApplier.apply(tick, pulling, 1L, null, "ns/t"))
        .isInstanceOf(StatusApplier.Outcome.AlreadyApplied.class);

    TaskStatus running =
        write(
            StatusApplier.apply(
                StatusUpdate.of(
                    TaskState.TASK_RUNNING, null, "pulled image i", null, null, T0.plusSeconds(20)),
                pulling,
                1L,
                "/sb",
                "ns/t"));
    assertThat(running.history())
        .extracting(TaskStatusEntry::message)
        .containsExactly("provisioning image i", "pulled image i");
  }

  @Test
  void progressAfterTheOperatorMarkedTheTaskUnreachableIsOutdatedNotSuperseded() {
    // The agent was away while the task's image was pulled: the operator stored TASK_UNREACHABLE.
    // The pull's progress (TASK_STARTING) may not follow it, but it ends nothing: the launch's
    // TASK_RUNNING does.
    TaskStatus unreachable =
        write(
            StatusApplier.apply(
                StatusUpdate.of(TaskState.TASK_UNREACHABLE, null, "agent away", null, null, T0),
                null,
                1L,
                null,
                "ns/t"));
    StatusUpdate tick =
        StatusUpdate.of(
            TaskState.TASK_STARTING,
            null,
            "pulling image i: 3.1 MB received in 10 s",
            null,
            null,
            T0.plusSeconds(10));
    assertThat(StatusApplier.apply(tick, unreachable, 1L, null, "ns/t"))
        .isInstanceOf(Outcome.Outdated.class);
    TaskStatus running =
        write(
            StatusApplier.apply(
                StatusUpdate.of(
                    TaskState.TASK_RUNNING, null, "pulled image i", null, null, T0.plusSeconds(20)),
                unreachable,
                1L,
                "/sb",
                "ns/t"));
    assertThat(running.state()).isEqualTo(TaskState.TASK_RUNNING);
  }

  @Test
  void aTaskBackFromUnreachableRunsAgain() {
    TaskStatus running =
        write(
            StatusApplier.apply(
                StatusUpdate.of(TaskState.TASK_RUNNING, null, null, null, null, T0),
                null,
                1L,
                "/sb",
                "ns/t"));
    TaskStatus unreachable =
        write(
            StatusApplier.apply(
                StatusUpdate.of(
                    TaskState.TASK_UNREACHABLE,
                    "REASON_AGENT_REMOVED",
                    null,
                    null,
                    null,
                    T0.plusSeconds(40)),
                running,
                1L,
                "/sb",
                "ns/t"));

    TaskStatus back =
        write(
            StatusApplier.apply(
                StatusUpdate.of(
                    TaskState.TASK_RUNNING, null, "back", null, null, T0.plusSeconds(50)),
                unreachable,
                1L,
                "/sb",
                "ns/t"));

    assertThat(back.history())
        .extracting(TaskStatusEntry::state)
        .containsExactly(
            TaskState.TASK_RUNNING, TaskState.TASK_UNREACHABLE, TaskState.TASK_RUNNING);
    assertThat(back.startTime()).isEqualTo(T0.toString());
  }

  @Test
  void theHistoryKeepsTheLatestEntries() {
    TaskStatus status = null;
    for (int i = 0; i < StatusApplier.HISTORY + 5; i++) {
      TaskState state = i % 2 == 0 ? TaskState.TASK_RUNNING : TaskState.TASK_UNREACHABLE;
      status =
          write(
              StatusApplier.apply(
                  StatusUpdate.of(state, null, null, null, null, T0.plusSeconds(i)),
                  status,
                  1L,
                  "/sb",
                  "ns/t"));
    }
    assertThat(status.history()).hasSize(StatusApplier.HISTORY);
    assertThat(status.history().getLast().time())
        .isEqualTo(T0.plusSeconds(StatusApplier.HISTORY + 4).toString());
  }

  private static TaskStatus write(Outcome outcome) {
    assertThat(outcome).isInstanceOf(Outcome.Write.class);
    return ((Outcome.Write) outcome).status();
  }
}
