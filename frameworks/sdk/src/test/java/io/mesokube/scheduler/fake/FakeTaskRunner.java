package io.mesokube.scheduler.fake;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.api.v1alpha1.task.TaskState;
import io.mesokube.api.v1alpha1.task.TaskStatusEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent half of {@link FakeOperator}: moves bound Tasks TASK_STAGING, TASK_RUNNING, then to the
 * state {@code outcome} picks (or keeps them running while it returns null), and kills those with
 * {@code spec.kill}. One status write per step, through the status subresource; each step is
 * triggered by the watch event of the previous one. Runs processes nowhere.
 */
final class FakeTaskRunner {

  private static final Logger LOG = LoggerFactory.getLogger(FakeTaskRunner.class);

  private final KubernetesClient client;
  private final String namespace;
  private final Function<Task, TaskState> outcome;
  private final Map<String, TaskState> written = new HashMap<>();

  FakeTaskRunner(KubernetesClient client, String namespace, Function<Task, TaskState> outcome) {
    this.client = client;
    this.namespace = namespace;
    this.outcome = outcome;
  }

  /** Takes the next step for {@code task}, if it is bound and its last step is visible. */
  void observed(Task task) {
    if (task.getSpec().agent() == null) {
      return;
    }
    var state = task.getStatus() == null ? null : task.getStatus().state();
    var uid = task.getMetadata().getUid();
    if (state != written.get(uid) || (state != null && state.isTerminal())) {
      return; // a stale event, or nothing left to do
    }
    var next = next(task, state);
    if (next != null) {
      write(task, next);
      written.put(uid, next);
    }
  }

  private TaskState next(Task task, TaskState state) {
    boolean kill = Boolean.TRUE.equals(task.getSpec().kill());
    if (state == null) {
      return TaskState.TASK_STAGING;
    }
    if (kill) {
      return TaskState.TASK_KILLED;
    }
    return state == TaskState.TASK_STAGING ? TaskState.TASK_RUNNING : outcome.apply(task);
  }

  private void write(Task task, TaskState next) {
    var now = Instant.now().toString();
    var history = new ArrayList<TaskStatusEntry>();
    if (task.getStatus() != null && task.getStatus().history() != null) {
      history.addAll(task.getStatus().history());
    }
    history.add(new TaskStatusEntry(next, null, "fake agent", now));
    var status = new LinkedHashMap<String, Object>();
    status.put("state", next);
    status.put("message", "fake agent");
    status.put("history", history);
    if (next == TaskState.TASK_RUNNING) {
      status.put("startTime", now);
    }
    if (next.isTerminal()) {
      status.put("finishTime", now);
      if (next != TaskState.TASK_KILLED) {
        status.put("exitCode", next == TaskState.TASK_FINISHED ? 0 : 1);
      }
    }
    client
        .resources(Task.class)
        .inNamespace(namespace)
        .withName(task.getMetadata().getName())
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            client.getKubernetesSerialization().asJson(Map.of("status", status)));
    LOG.debug("fake agent: task {} is {}", task.getMetadata().getName(), next);
  }
}
