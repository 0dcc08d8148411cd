package io.mesokube.scheduler;

import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.api.v1alpha1.task.TaskStatus;
import io.mesokube.api.v1alpha1.task.TaskStatusEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;

/**
 * Turns observed Task objects into status updates, each state transition once and in order.
 *
 * <p>A transition is identified by its state and the time of its history entry, so a state entered
 * twice (RUNNING, UNREACHABLE, RUNNING) is delivered twice, and transitions the informer coalesced
 * into one event are recovered from {@code status.history}. Without history, the current state
 * stands for itself. Confined to the callback thread.
 */
final class TaskTransitions {

  /** Keys remembered per task: more than the API's 32 history entries. */
  private static final int REMEMBERED = 64;

  private final Map<String, SequencedSet<String>> delivered = new HashMap<>();

  /** The transitions of {@code task} not delivered yet, oldest first; marks them delivered. */
  List<TaskStatusUpdate> observe(Task task) {
    var steps = steps(task);
    var keys = delivered.computeIfAbsent(task.getMetadata().getUid(), uid -> new LinkedHashSet<>());
    var updates = new ArrayList<TaskStatusUpdate>();
    for (var step : steps) {
      if (keys.add(step.key())) {
        updates.add(step.update());
      }
    }
    while (keys.size() > REMEMBERED) {
      keys.removeFirst();
    }
    return updates;
  }

  /**
   * Marks all but the latest transition of {@code task} delivered: a new driver instance reports
   * where an existing task is, not how it got there.
   */
  void baseline(Task task) {
    var steps = steps(task);
    var keys = delivered.computeIfAbsent(task.getMetadata().getUid(), uid -> new LinkedHashSet<>());
    steps.stream().limit(Math.max(0, steps.size() - 1)).forEach(step -> keys.add(step.key()));
  }

  /** Forgets a deleted task. */
  void forget(Task task) {
    delivered.remove(task.getMetadata().getUid());
  }

  private static List<Step> steps(Task task) {
    TaskStatus status = task.getStatus();
    if (status == null || status.state() == null) {
      return List.of();
    }
    var name = task.getMetadata().getName();
    var agent = task.getSpec() == null ? null : task.getSpec().agent();
    var history = status.history() == null ? List.<TaskStatusEntry>of() : status.history();
    var steps = new ArrayList<Step>();
    for (int i = 0; i < history.size(); i++) {
      var entry = history.get(i);
      boolean current = i == history.size() - 1 && entry.state() == status.state();
      var update =
          new TaskStatusUpdate(
              name,
              entry.state(),
              entry.reason(),
              entry.message(),
              current ? status.exitCode() : null,
              current ? status.healthy() : null,
              agent,
              entry.time(),
              TaskStatusUpdate.Source.TASK_STATUS);
      steps.add(new Step(entry.state() + "@" + entry.time(), update));
    }
    if (history.isEmpty() || history.getLast().state() != status.state()) {
      var time = status.finishTime() != null ? status.finishTime() : status.startTime();
      steps.add(new Step(status.state() + "@current", current(task, time)));
    }
    return steps;
  }

  /** The latest state of {@code task} as an update; null fields stay null. */
  static TaskStatusUpdate current(Task task, String time) {
    var status = task.getStatus();
    return new TaskStatusUpdate(
        task.getMetadata().getName(),
        status.state(),
        status.reason(),
        status.message(),
        status.exitCode(),
        status.healthy(),
        task.getSpec() == null ? null : task.getSpec().agent(),
        time,
        TaskStatusUpdate.Source.TASK_STATUS);
  }

  private record Step(String key, TaskStatusUpdate update) {}
}
