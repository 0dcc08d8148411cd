package io.mesokube.agent.status;

import io.mesokube.agent.checkpoint.StatusUpdate;
import io.mesokube.api.v1alpha1.common.Condition;
import io.mesokube.api.v1alpha1.task.TaskState;
import io.mesokube.api.v1alpha1.task.TaskStatus;
import io.mesokube.api.v1alpha1.task.TaskStatusEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Folds one status update into a Task's status, or says it is already there. Pure logic: the
 * delivery loop retries an update until the API server holds it, so applying it must be idempotent
 * — an update is recognised in the history by its state and timestamp, which the agent generated
 * and checkpointed once.
 */
public final class StatusApplier {
  /** History entries kept; the schema allows 32. */
  static final int HISTORY = 32;

  // The schema's limits: a longer message would be refused, and the update never delivered.
  private static final int MAX_MESSAGE = 4096;
  private static final int MAX_REASON = 128;

  /** What to do with an update. */
  public sealed interface Outcome {
    /** Write this status. */
    record Write(TaskStatus status) implements Outcome {}

    /** The status already holds the update: acknowledge it without a write. */
    record AlreadyApplied() implements Outcome {}

    /**
     * The update is older news than the stored state, which is not terminal either: a state the
     * operator decided meanwhile (TASK_UNREACHABLE while the agent was away) that the update may
     * not follow (a pull's progress, TASK_STARTING). Acknowledge it without a write; the task's
     * next update (TASK_RUNNING, or its end) moves the state on.
     */
    record Outdated() implements Outcome {}

    /**
     * The update can never be applied (the task is terminal in another state, e.g. the operator
     * marked it TASK_LOST meanwhile): acknowledge it and let the agent act on the stored state.
     */
    record Superseded(TaskState stored) implements Outcome {}
  }

  private StatusApplier() {}

  /**
   * @param current the Task's stored status, or null
   * @param sandbox the task's sandbox directory
   * @param taskId Mesos' task id ({@code namespace/name})
   */
  public static Outcome apply(
      StatusUpdate raw, TaskStatus current, Long generation, String sandbox, String taskId) {
    StatusUpdate update = fitted(raw);
    TaskState stored = current == null ? null : current.state();
    List<TaskStatusEntry> history =
        current == null || current.history() == null ? List.of() : current.history();
    String time = update.timestamp().toString();
    if (history.stream().anyMatch(e -> e.state() == update.state() && time.equals(e.time()))) {
      return new Outcome.AlreadyApplied();
    }
    boolean healthOnly = false;
    boolean messageOnly = false;
    if (stored == update.state()) {
      if (isHealthChange(update, current)) {
        healthOnly = true;
      } else if (isNews(update, current)) {
        // Progress within a state (a pull says how far it got while the task is STARTING): the
        // message changes, the history keeps one entry per state.
        messageOnly = true;
      } else {
        // The state is stored already (say, a RUNNING re-sent after a reconciliation): the
        // history never repeats a state for one update.
        return new Outcome.AlreadyApplied();
      }
    } else if (stored != null && !stored.canTransitionTo(update.state())) {
      return stored.isTerminal() ? new Outcome.Superseded(stored) : new Outcome.Outdated();
    }
    List<TaskStatusEntry> nextHistory = new ArrayList<>(history);
    if (!healthOnly && !messageOnly) {
      nextHistory.add(new TaskStatusEntry(update.state(), update.reason(), update.message(), time));
      while (nextHistory.size() > HISTORY) {
        nextHistory.remove(0);
      }
    }
    boolean terminal = update.state().isTerminal();
    String startTime = current == null ? null : current.startTime();
    if (startTime == null && update.state() == TaskState.TASK_RUNNING) {
      startTime = time;
    }
    Boolean healthy =
        update.healthy() != null ? update.healthy() : current == null ? null : current.healthy();
    return new Outcome.Write(
        new TaskStatus(
            generation,
            update.state(),
            (healthOnly || messageOnly) && current != null ? current.reason() : update.reason(),
            healthOnly && current != null ? current.message() : update.message(),
            update.exitCode() != null
                ? update.exitCode()
                : current == null ? null : current.exitCode(),
            taskId,
            healthy,
            sandbox,
            startTime,
            terminal ? time : null,
            List.copyOf(nextHistory),
            conditions(current, healthy, update)));
  }

  private static StatusUpdate fitted(StatusUpdate u) {
    String message = cut(u.message(), MAX_MESSAGE);
    String reason = cut(u.reason(), MAX_REASON);
    if (message == u.message() && reason == u.reason()) {
      return u;
    }
    return new StatusUpdate(
        u.sequence(),
        u.uuid(),
        u.state(),
        reason,
        message,
        u.exitCode(),
        u.healthy(),
        u.timestamp());
  }

  private static String cut(String text, int max) {
    return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }

  private static boolean isHealthChange(StatusUpdate update, TaskStatus current) {
    return update.healthy() != null
        && (current == null || !Objects.equals(current.healthy(), update.healthy()));
  }

  /**
   * Whether {@code update} says something new in the stored state: a message, neither an end nor a
   * health check's result (whose repeats change nothing).
   */
  private static boolean isNews(StatusUpdate update, TaskStatus current) {
    return current != null
        && update.healthy() == null
        && !update.state().isTerminal()
        && update.message() != null
        && !update.message().equals(current.message());
  }

  private static List<Condition> conditions(TaskStatus current, Boolean healthy, StatusUpdate u) {
    List<Condition> out = new ArrayList<>();
    if (current != null && current.conditions() != null) {
      for (Condition c : current.conditions()) {
        if (!c.type().equals("Healthy")) {
          out.add(c);
        }
      }
    }
    if (healthy != null) {
      Condition previous =
          current == null || current.conditions() == null
              ? null
              : current.conditions().stream()
                  .filter(c -> c.type().equals("Healthy"))
                  .findFirst()
                  .orElse(null);
      Condition.Status status = healthy ? Condition.Status.True : Condition.Status.False;
      String since =
          previous != null && previous.status() == status
              ? previous.lastTransitionTime()
              : u.timestamp().toString();
      out.add(
          new Condition(
              "Healthy",
              status,
              null,
              since,
              healthy ? "HealthCheckPassed" : "HealthCheckFailed",
              healthy ? "the task passes its health check" : "the task fails its health check"));
    }
    return out.isEmpty() ? null : List.copyOf(out);
  }
}
