package io.mesokube.e2e.suite;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.api.v1alpha1.task.TaskState;
import io.mesokube.api.v1alpha1.task.TaskStatusEntry;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every Task of one namespace as an informer saw it during a run, kept after the Task is deleted
 * (the runner tears its framework down, and its Tasks with it): the states each went through, in
 * the order seen, its agent and its last status.
 */
final class TaskWatch implements ResourceEventHandler<Task>, AutoCloseable {

  /** One task attempt (one uid) as seen. Read through {@link #snapshot()}, never shared live. */
  record Seen(
      String uid,
      String name,
      String framework,
      String role,
      String agent,
      Instant firstSeen,
      List<TaskState> states,
      Task last) {

    /** The state last seen; null before the agent reported (TASK_STAGING). */
    TaskState state() {
      return states.isEmpty() ? null : states.getLast();
    }

    boolean terminal() {
      return state() != null && state().isTerminal();
    }

    /** Terminal states in the order seen: exactly one, last, for a task that ended properly. */
    List<TaskState> terminalStates() {
      return states.stream().filter(TaskState::isTerminal).toList();
    }

    /** The states of the last status' history, oldest first. */
    List<TaskState> history() {
      var status = last.getStatus();
      return status == null || status.history() == null
          ? List.of()
          : status.history().stream().map(TaskStatusEntry::state).toList();
    }

    /** When it reached its terminal state, as written with it; null if it has not. */
    Instant endedAt() {
      var status = last.getStatus();
      return status == null || status.finishTime() == null
          ? null
          : Instant.parse(status.finishTime());
    }

    /** When it entered TASK_RUNNING as its agent wrote it, else as first seen; null if never. */
    Instant runningAt() {
      var status = last.getStatus();
      if (status != null && status.history() != null) {
        for (var entry : status.history()) {
          if (entry.state() == TaskState.TASK_RUNNING && entry.time() != null) {
            try {
              return Instant.parse(entry.time());
            } catch (DateTimeParseException e) {
              break;
            }
          }
        }
      }
      return states.contains(TaskState.TASK_RUNNING) ? firstSeen : null;
    }
  }

  private final Map<String, Seen> byUid = new LinkedHashMap<>();
  private final SharedIndexInformer<Task> informer;

  /** Starts watching the client's namespace. */
  TaskWatch(KubernetesClient client) {
    this.informer = client.resources(Task.class).inform(this);
  }

  @Override
  public void onAdd(Task task) {
    record(task);
  }

  @Override
  public void onUpdate(Task before, Task after) {
    record(after);
  }

  @Override
  public void onDelete(Task task, boolean finalStateUnknown) {
    record(task);
  }

  private synchronized void record(Task task) {
    var uid = task.getMetadata().getUid();
    var previous = byUid.get(uid);
    var states = previous == null ? new ArrayList<TaskState>() : new ArrayList<>(previous.states());
    var state = task.getStatus() == null ? null : task.getStatus().state();
    if (state != null && (states.isEmpty() || states.getLast() != state)) {
      states.add(state);
    }
    byUid.put(
        uid,
        new Seen(
            uid,
            task.getMetadata().getName(),
            task.getSpec().framework(),
            task.getSpec().role(),
            task.getSpec().agent(),
            previous == null ? Instant.now() : previous.firstSeen(),
            List.copyOf(states),
            task));
  }

  /** Every task seen so far, in the order first seen. */
  synchronized List<Seen> snapshot() {
    return List.copyOf(byUid.values());
  }

  @Override
  public void close() {
    informer.close();
  }
}
