package io.mesokube.scheduler;

import io.mesokube.api.Mesokube;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.api.v1alpha1.task.TaskState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Answers Mesos RECONCILE calls from the API server (not the informer cache, so the answer is the
 * latest stored state): explicit for named tasks, implicit for all the framework's tasks.
 */
final class TaskReconciler {

  private final SchedulerConfig config;

  TaskReconciler(SchedulerConfig config) {
    this.config = config;
  }

  /** The latest state of each named task, {@code TASK_UNKNOWN} where there is no such Task. */
  List<TaskStatusUpdate> explicit(Collection<String> taskNames) {
    var updates = new ArrayList<TaskStatusUpdate>();
    for (var name : taskNames) {
      var task =
          config
              .client()
              .resources(Task.class)
              .inNamespace(config.namespace())
              .withName(name)
              .get();
      updates.add(task == null ? unknown(name, "no such task") : latest(task));
    }
    return updates;
  }

  /** The latest state of every Task labelled with this framework that has a state. */
  List<TaskStatusUpdate> implicit() {
    return config
        .client()
        .resources(Task.class)
        .inNamespace(config.namespace())
        .withLabel(Mesokube.LABEL_FRAMEWORK, config.frameworkName())
        .list()
        .getItems()
        .stream()
        .filter(task -> task.getStatus() != null && task.getStatus().state() != null)
        .map(TaskReconciler::latest)
        .toList();
  }

  /** A driver-made update for a task the API server does not have. */
  static TaskStatusUpdate unknown(String taskName, String message) {
    return new TaskStatusUpdate(
        taskName,
        TaskState.TASK_UNKNOWN,
        TaskStatusUpdate.REASON_RECONCILIATION,
        message,
        null,
        null,
        null,
        null,
        TaskStatusUpdate.Source.RECONCILIATION);
  }

  private static TaskStatusUpdate latest(Task task) {
    var status = task.getStatus();
    if (status == null || status.state() == null) {
      // Created but not yet staged by its agent: Mesos reports such a task as staging.
      return new TaskStatusUpdate(
          task.getMetadata().getName(),
          TaskState.TASK_STAGING,
          TaskStatusUpdate.REASON_RECONCILIATION,
          null,
          null,
          null,
          task.getSpec().agent(),
          null,
          TaskStatusUpdate.Source.RECONCILIATION);
    }
    var current = TaskTransitions.current(task, null);
    return new TaskStatusUpdate(
        current.taskName(),
        current.state(),
        TaskStatusUpdate.REASON_RECONCILIATION,
        current.message(),
        current.exitCode(),
        current.healthy(),
        current.agent(),
        null,
        TaskStatusUpdate.Source.RECONCILIATION);
  }
}
