package io.mesokube.operator.reconciler;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.mesokube.api.v1alpha1.task.Reasons;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.api.v1alpha1.task.TaskState;
import io.mesokube.api.v1alpha1.task.TaskStatus;
import io.mesokube.api.v1alpha1.task.TaskStatusEntry;
import java.time.Clock;
import java.util.List;

/**
 * The operator's part of a task's life: a kill requested before the task reached an agent ends it
 * at once (TASK_KILLED); everything after binding is the agent's.
 */
@ControllerConfiguration(name = "task")
public class TaskReconciler implements Reconciler<Task> {
  private final Clock clock = Clock.systemUTC();

  @Override
  public UpdateControl<Task> reconcile(Task task, Context<Task> context) {
    boolean unbound = task.getSpec().agent() == null;
    boolean killRequested = Boolean.TRUE.equals(task.getSpec().kill());
    TaskStatus status = task.getStatus();
    boolean terminal = status != null && status.state() != null && status.state().isTerminal();
    if (!unbound || !killRequested || terminal) {
      return UpdateControl.noUpdate();
    }
    String now = clock.instant().toString();
    String message = "killed before it was placed on an agent";
    List<TaskStatusEntry> history =
        status == null || status.history() == null ? List.of() : status.history();
    var entries = new java.util.ArrayList<>(history);
    entries.add(
        new TaskStatusEntry(
            TaskState.TASK_KILLED, Reasons.TASK_KILLED_DURING_LAUNCH, message, now));
    task.setStatus(
        new TaskStatus(
            task.getMetadata().getGeneration(),
            TaskState.TASK_KILLED,
            Reasons.TASK_KILLED_DURING_LAUNCH,
            message,
            null,
            task.getMetadata().getNamespace() + "/" + task.getMetadata().getName(),
            null,
            null,
            null,
            now,
            entries.subList(Math.max(0, entries.size() - 32), entries.size()),
            status == null ? null : status.conditions()));
    return UpdateControl.patchStatus(task);
  }
}
