package io.mesokube.agent.health;

import java.nio.file.Path;
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
 */
public record TaskEnvironment(
    String taskId, Map<String, String> env, Path workingDirectory, String user) {

  public TaskEnvironment {
    Objects.requireNonNull(taskId, "taskId");
    env = env == null ? Map.of() : Map.copyOf(env);
  }

  /** A task whose checks need no environment: HTTP and TCP checks, or tests. */
  public static TaskEnvironment of(String taskId) {
    return new TaskEnvironment(taskId, Map.of(), null, null);
  }
}
