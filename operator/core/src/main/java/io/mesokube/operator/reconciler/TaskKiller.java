package io.mesokube.operator.reconciler;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.mesokube.api.v1alpha1.task.Task;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Requests kills by setting {@code spec.kill}, which the agents (or the Task reconciler) act on.
 */
@ApplicationScoped
public class TaskKiller {
  private final KubernetesClient client;

  TaskKiller(KubernetesClient client) {
    this.client = client;
  }

  /** Requests a kill of each task; returns how many were requested. */
  public int kill(List<Task> tasks) {
    for (Task task : tasks) {
      client
          .resources(Task.class)
          .inNamespace(task.getMetadata().getNamespace())
          .withName(task.getMetadata().getName())
          .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"kill\":true}}");
    }
    return tasks.size();
  }
}
