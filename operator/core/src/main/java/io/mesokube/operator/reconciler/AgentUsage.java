package io.mesokube.operator.reconciler;

import io.mesokube.api.v1alpha1.common.Resources;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.api.v1alpha1.task.TaskState;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an agent's tasks hold once the operator's pending task updates are written: the count of
 * non-terminal tasks and the resources they hold. Plain logic, no I/O.
 */
final class AgentUsage {
  private AgentUsage() {}

  /** Resources held by the agent's non-terminal tasks. */
  static Resources allocated(List<Task> tasks, List<LostTasks.Update> updates) {
    return ResourceSums.sum(
        active(tasks, updates).stream().map(t -> t.getSpec().charged()).toList());
  }

  /** Number of the agent's non-terminal tasks. */
  static int count(List<Task> tasks, List<LostTasks.Update> updates) {
    return active(tasks, updates).size();
  }

  private static List<Task> active(List<Task> tasks, List<LostTasks.Update> updates) {
    // By identity: the updates hold the very task objects of the list.
    Map<Task, TaskState> written = new IdentityHashMap<>();
    updates.forEach(u -> written.put(u.task(), u.status().state()));
    return tasks.stream()
        .filter(
            t -> {
              TaskState state =
                  written.containsKey(t)
                      ? written.get(t)
                      : t.getStatus() == null ? null : t.getStatus().state();
              return state == null || !state.isTerminal();
            })
        .toList();
  }
}
