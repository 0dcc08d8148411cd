package io.mesokube.e2e.suite;

import static org.awaitility.Awaitility.await;

import io.mesokube.api.v1alpha1.task.TaskState;
import io.mesokube.e2e.suite.TaskWatch.Seen;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;

/** Where a workload's tasks are, read from its informer: when to inject, when it recovered. */
final class Progress {
  private Progress() {}

  /** Waits until tasks flow: some finished, and some running on {@code agent} if not null. */
  static void awaitUnderWay(Workload work, String agent) {
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () -> {
              List<Seen> tasks = work.tasks().snapshot();
              long finished =
                  tasks.stream().filter(t -> t.state() == TaskState.TASK_FINISHED).count();
              long running =
                  tasks.stream()
                      .filter(t -> t.state() == TaskState.TASK_RUNNING)
                      .filter(t -> agent == null || agent.equals(t.agent()))
                      .count();
              return finished >= 8 && running >= 2;
            });
  }

  /** Tasks not ended on {@code agent}, launched or not. */
  static Set<String> nonTerminalOn(Workload work, String agent) {
    return work.tasks().snapshot().stream()
        .filter(t -> agent.equals(t.agent()) && !t.terminal())
        .map(Seen::uid)
        .collect(Collectors.toSet());
  }

  /** Tasks seen TASK_RUNNING on {@code agent}, as last seen. */
  static Set<String> runningOn(Workload work, String agent) {
    return work.tasks().snapshot().stream()
        .filter(t -> agent.equals(t.agent()) && t.state() == TaskState.TASK_RUNNING)
        .map(Seen::uid)
        .collect(Collectors.toSet());
  }

  /**
   * When the first task created after {@code since} (first seen after it) and matching {@code
   * which} entered TASK_RUNNING; null if none did within a minute.
   */
  static Instant awaitFirstRunning(Workload work, Instant since, Predicate<Seen> which) {
    try {
      return await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  work.tasks().snapshot().stream()
                      .filter(t -> t.firstSeen().isAfter(since) && which.test(t))
                      .map(Seen::runningAt)
                      .filter(Objects::nonNull)
                      .min(Instant::compareTo)
                      .orElse(null),
              Objects::nonNull);
    } catch (ConditionTimeoutException e) {
      return null;
    }
  }

  /**
   * When the last of the tasks on {@code agent} was reported TASK_LOST, once all of them ended;
   * null if that took more than a minute. From then on the runner may relaunch them elsewhere (it
   * queues a relaunch behind its waiting tasks, so when a relaunch runs says more about the runner
   * than about Mesokube).
   */
  static Instant awaitTasksLost(Workload work, String agent) {
    try {
      return await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                List<Seen> tasks = work.tasks().snapshot();
                if (tasks.stream().anyMatch(t -> agent.equals(t.agent()) && !t.terminal())) {
                  return null;
                }
                return tasks.stream()
                    .filter(t -> agent.equals(t.agent()) && t.state() == TaskState.TASK_LOST)
                    .map(Seen::endedAt)
                    .filter(Objects::nonNull)
                    .max(Instant::compareTo)
                    .orElse(null);
              },
              Objects::nonNull);
    } catch (ConditionTimeoutException e) {
      return null;
    }
  }

  /** The next attempt of {@code task}'s slot: the runner names attempts {@code <fw>-<slot>-<n>}. */
  static Optional<Seen> relaunchOf(List<Seen> tasks, Seen task) {
    int dash = task.name().lastIndexOf('-');
    String next =
        task.name().substring(0, dash + 1)
            + (Integer.parseInt(task.name().substring(dash + 1)) + 1);
    return tasks.stream().filter(t -> t.name().equals(next)).findFirst();
  }
}
