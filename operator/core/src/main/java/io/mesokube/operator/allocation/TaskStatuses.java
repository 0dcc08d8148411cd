package io.mesokube.operator.allocation;

import io.mesokube.api.v1alpha1.common.Condition;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.api.v1alpha1.task.TaskState;
import io.mesokube.api.v1alpha1.task.TaskStatus;
import io.mesokube.api.v1alpha1.task.TaskStatusEntry;
import java.time.Instant;
import java.util.List;

/** The first status the operator writes for a task it created or refused. */
final class TaskStatuses {
  private TaskStatuses() {}

  /** Condition type saying whether the task has an agent. */
  static final String SCHEDULED = "Scheduled";

  /**
   * A task's first state, with itself as the only history entry, and a Scheduled condition: true
   * once bound, false (with why) otherwise.
   */
  static TaskStatus first(
      String taskId, TaskState state, String reason, String message, boolean bound, Instant now) {
    String time = now.toString();
    Condition scheduled =
        new Condition(
            SCHEDULED,
            bound ? Condition.Status.True : Condition.Status.False,
            null,
            time,
            bound ? "Bound" : "NotLaunched",
            message);
    return new TaskStatus(
        null,
        state,
        reason,
        message,
        null,
        taskId,
        null,
        null,
        null,
        state.isTerminal() ? time : null,
        List.of(new TaskStatusEntry(state, reason, message, time)),
        List.of(scheduled));
  }

  /** The status of a task still waiting for an agent: no state, a Scheduled=False condition. */
  static TaskStatus pending(Task task, String reason, String message, Instant now) {
    String since = now.toString();
    var previous = task.getStatus();
    if (previous != null && previous.conditions() != null) {
      for (Condition c : previous.conditions()) {
        if (c.type().equals(SCHEDULED) && c.status() == Condition.Status.False) {
          since = c.lastTransitionTime();
        }
      }
    }
    Condition scheduled =
        new Condition(
            SCHEDULED,
            Condition.Status.False,
            task.getMetadata().getGeneration(),
            since,
            reason,
            message);
    return new TaskStatus(
        task.getMetadata().getGeneration(),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        List.of(scheduled));
  }
}
