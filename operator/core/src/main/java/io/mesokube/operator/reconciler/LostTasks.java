package io.mesokube.operator.reconciler;

import io.mesokube.api.v1alpha1.task.Reasons;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.api.v1alpha1.task.TaskState;
import io.mesokube.api.v1alpha1.task.TaskStatus;
import io.mesokube.api.v1alpha1.task.TaskStatusEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The states the operator writes for the tasks of an agent it lost, as Mesos' master does: on an
 * unreachable agent TASK_UNREACHABLE for partition-aware frameworks and TASK_LOST for the others
 * (reason REASON_AGENT_REMOVED); on a gone agent TASK_GONE (REASON_AGENT_REMOVED_BY_OPERATOR, the
 * reason Mesos gives when an agent is marked gone). Plain logic, no I/O.
 */
final class LostTasks {
  /** At most this many history entries are kept, the oldest dropped (the schema's limit). */
  static final int HISTORY = 32;

  /** A status to write on a task, computed from the task as cached. */
  record Update(Task task, TaskStatus status) {}

  private LostTasks() {}

  /**
   * The tasks of an agent found unreachable. A task the agent updated after {@code deadline}, when
   * it was already thought silent, is left alone: the agent is back, and its Lease renewal is on
   * its way (an operator whose Lease cache lags must not overwrite the agent's fresh TASK_RUNNING).
   * Both times come from the agent's clock, so the comparison holds under clock skew.
   */
  static List<Update> unreachable(
      List<Task> tasks,
      Predicate<Task> partitionAware,
      Instant deadline,
      String message,
      Instant now) {
    List<Update> updates = new ArrayList<>();
    for (Task task : tasks) {
      Instant changed = lastChange(task);
      if (changed != null && !changed.isBefore(deadline)) {
        continue;
      }
      TaskState next = partitionAware.test(task) ? TaskState.TASK_UNREACHABLE : TaskState.TASK_LOST;
      mark(task, next, Reasons.AGENT_REMOVED, message, now, updates);
    }
    return updates;
  }

  /**
   * The tasks of a gone agent: TASK_GONE for partition-aware frameworks (their TASK_UNREACHABLE
   * tasks end here), TASK_LOST for the others that are not terminal yet.
   */
  static List<Update> gone(
      List<Task> tasks, Predicate<Task> partitionAware, String message, Instant now) {
    List<Update> updates = new ArrayList<>();
    for (Task task : tasks) {
      if (partitionAware.test(task)) {
        mark(task, TaskState.TASK_GONE, Reasons.AGENT_REMOVED_BY_OPERATOR, message, now, updates);
      } else {
        mark(task, TaskState.TASK_LOST, Reasons.AGENT_REMOVED, message, now, updates);
      }
    }
    return updates;
  }

  /** Adds the update to {@code next}, unless the task is there already or may not go there. */
  private static void mark(
      Task task, TaskState next, String reason, String message, Instant now, List<Update> updates) {
    TaskStatus previous = task.getStatus();
    TaskState state = previous == null ? null : previous.state();
    if (task.getSpec().agent() == null
        || state == next
        || (state != null && !state.canTransitionTo(next))) {
      return;
    }
    updates.add(new Update(task, withState(task, next, reason, message, now)));
  }

  /** The task's status with a new state entered now, appended to its history. */
  static TaskStatus withState(
      Task task, TaskState state, String reason, String message, Instant now) {
    TaskStatus s = task.getStatus();
    String time = now.toString();
    List<TaskStatusEntry> history = new ArrayList<>();
    if (s != null && s.history() != null) {
      history.addAll(s.history());
    }
    history.add(new TaskStatusEntry(state, reason, message, time));
    return new TaskStatus(
        s != null && s.observedGeneration() != null
            ? s.observedGeneration()
            : task.getMetadata().getGeneration(),
        state,
        reason,
        message,
        s == null ? null : s.exitCode(),
        s != null && s.taskId() != null
            ? s.taskId()
            : task.getMetadata().getNamespace() + "/" + task.getMetadata().getName(),
        s == null ? null : s.healthy(),
        s == null ? null : s.sandbox(),
        s == null ? null : s.startTime(),
        state.isTerminal() ? time : s == null ? null : s.finishTime(),
        List.copyOf(history.subList(Math.max(0, history.size() - HISTORY), history.size())),
        s == null ? null : s.conditions());
  }

  /** When the task's state last changed, from its history; null if it has none. */
  private static Instant lastChange(Task task) {
    TaskStatus s = task.getStatus();
    if (s == null || s.history() == null || s.history().isEmpty()) {
      return null;
    }
    return Heartbeat.parse(s.history().get(s.history().size() - 1).time());
  }
}
