package io.mesokube.operator.allocation;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.mesokube.api.v1alpha1.task.Task;

/** How Kubernetes objects are named inside the allocator and the loop's books. */
final class Keys {
  private Keys() {}

  /** {@code namespace/name}: the allocator's framework id and the key of offers and tasks. */
  static String of(HasMetadata object) {
    return object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
  }

  /** The allocator's id of the framework a task belongs to. */
  static String framework(Task task) {
    return task.getMetadata().getNamespace() + "/" + task.getSpec().framework();
  }

  /** The allocator's id of a framework in a namespace. */
  static String framework(String namespace, String name) {
    return namespace + "/" + name;
  }
}
