package io.mesokube.agent.health;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The task a health check belongs to: its id (for logs, and for a {@link CommandRunner} that enters
 * the task's cgroup), and the environment, working directory and OS user its command checks run
 * with.
 *
 * @param taskId the Task's name or uid
 * @param env the complete environment of a command check, PATH included: the agent's own is not
 *     inherited
 * @param workingDirectory the task's sandbox; {@code null} for the agent's working directory
 * @param user the task's OS user; {@code null} for the agent's user
 * @param container the command that runs a program inside the task's container (the program's argv
 *     follows it), run as the agent's user; empty for a task without one. Command checks of a
 *     container task run inside it, in its namespaces and root filesystem, as in Mesos
 * @param cgroupProcs the {@code cgroup.procs} files of the task's cgroup, one per hierarchy, which
 *     a command check of a task without a container joins before it runs (a container's checks join
 *     the container's cgroup through the runtime); empty: none
 */
public record TaskEnvironment(
    String taskId,
    Map<String, String> env,
    Path workingDirectory,
    String user,
    List<String> container,
    List<Path> cgroupProcs) {

  public TaskEnvironment {
    Objects.requireNonNull(taskId, "taskId");
    env = env == null ? Map.of() : Map.copyOf(env);
    container = container == null ? List.of() : List.copyOf(container);
    cgroupProcs = cgroupProcs == null ? List.of() : List.copyOf(cgroupProcs);
  }

  /** A task with or without a container, whose checks join no cgroup. */
  public TaskEnvironment(
      String taskId,
      Map<String, String> env,
      Path workingDirectory,
      String user,
      List<String> container) {
    this(taskId, env, workingDirectory, user, container, List.of());
  }

  /** A task without a container. */
  public TaskEnvironment(
      String taskId, Map<String, String> env, Path workingDirectory, String user) {
    this(taskId, env, workingDirectory, user, List.of());
  }

  /** A task whose checks need no environment: HTTP and TCP checks, or tests. */
  public static TaskEnvironment of(String taskId) {
    return new TaskEnvironment(taskId, Map.of(), null, null);
  }
}
