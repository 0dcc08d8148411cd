package io.mesokube.agent.runtime;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.mesokube.agent.tasks.TaskManager;
import io.mesokube.api.v1alpha1.task.Task;
import java.util.concurrent.Executor;

/** Hands every watch event of a Task to the task manager's thread, by name: it re-reads. */
final class TaskEvents implements ResourceEventHandler<Task> {
  private final Executor thread;
  private final TaskManager manager;

  TaskEvents(Executor thread, TaskManager manager) {
    this.thread = thread;
    this.manager = manager;
  }

  @Override
  public void onAdd(Task task) {
    enqueue(task);
  }

  @Override
  public void onUpdate(Task before, Task after) {
    enqueue(after);
  }

  @Override
  public void onDelete(Task task, boolean finalStateUnknown) {
    enqueue(task);
  }

  private void enqueue(Task task) {
    String namespace = task.getMetadata().getNamespace();
    String name = task.getMetadata().getName();
    thread.execute(() -> manager.reconcile(namespace, name));
  }
}
