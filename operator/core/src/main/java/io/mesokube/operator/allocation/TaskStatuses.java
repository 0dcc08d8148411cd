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
   * The terminal status of a task refused before launch (TASK_ERROR, TASK_DROPPED): the state,
   * itself as the only history entry, and Scheduled=False.
   */
  static TaskStatus refused(
      String taskId, TaskState state, String reason, String message, Instant now) {
    String time = now.toString();
    Condition scheduled =
        new Condition(SCHEDULED, Condition.Status.False, null, time, "NotLaunched", message);
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
        time,
        List.of(new TaskStatusEntry(state, reason, message, time)),
        List.of(scheduled));
  }

  /** The status of a task just bound after it waited: Scheduled=True, no state yet. */
  static TaskStatus scheduled(Task task, String agent, Instant now) {
    Condition scheduled =
        new Condition(
            SCHEDULED,
            Condition.Status.True,
            task.getMetadata().getGeneration(),
            now.toString(),
            "Bound",
            "placed on agent " + agent);
    return conditionOnly(task, scheduled);
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
    return conditionOnly(task, scheduled);
  }

  /** A status that carries one condition and no state: the task has not reached an agent. */
  private static TaskStatus conditionOnly(Task task, Condition condition) {
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
        List.of(condition));
  }
}
