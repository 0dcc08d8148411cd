package io.mesokube.operator.allocation;

import io.mesokube.api.v1alpha1.task.TaskState;
import io.mesokube.api.v1alpha1.task.TaskStatus;
import io.mesokube.api.v1alpha1.task.TaskStatusEntry;
import java.time.Instant;
import java.util.List;

/** The first status the operator writes for a task it created or refused. */
final class TaskStatuses {
  private TaskStatuses() {}

  /** A task's first status: the given state, with itself as the only history entry. */
  static TaskStatus first(
      String taskId, TaskState state, String reason, String message, Instant now) {
    String time = now.toString();
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
        null);
  }
}
