package io.mesokube.operator.cluster;

import io.mesokube.api.v1alpha1.framework.Framework;
import io.mesokube.api.v1alpha1.task.Task;
import java.util.Map;

/** Which role a task's resources count against. */
public final class TaskRoles {
  private TaskRoles() {}

  /**
   * The task's own role, else its framework's only role; null if neither says (a framework with
   * several roles and a task that names none).
   *
   * @param frameworks Frameworks by {@code namespace/name}
   */
  public static String of(Task task, Map<String, Framework> frameworks) {
    if (task.getSpec().role() != null) {
      return task.getSpec().role();
    }
    Framework framework =
        frameworks.get(task.getMetadata().getNamespace() + "/" + task.getSpec().framework());
    return framework == null || framework.getSpec().roles().size() != 1
        ? null
        : framework.getSpec().roles().get(0);
  }
}
