package io.mesokube.agent.containers;

import io.mesokube.agent.images.Image;
import io.mesokube.api.v1alpha1.task.CommandSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a container's process runs, in which environment and directory: the image's defaults merged
 * with the task's command as Mesos' docker runtime isolator merges them. Plain logic, no I/O.
 *
 * <ul>
 *   <li>A shell command runs as {@code /bin/sh -c LINE}; the image's Entrypoint and Cmd are unused.
 *   <li>An argv runs as given; the image's Entrypoint and Cmd are unused.
 *   <li>No command: the image's Entrypoint followed by its Cmd.
 * </ul>
 *
 * <p>The environment is the image's, then the agent's Mesos variables (a {@code PATH} only if the
 * image sets none), then the task's own. The working directory is the image's, else the sandbox.
 *
 * @param args the process's argv
 * @param env its environment, in order
 * @param cwd its working directory inside the container
 */
public record ContainerProcess(List<String> args, Map<String, String> env, String cwd) {

  /** Where the task's sandbox appears inside the container, as in Mesos. */
  public static final String SANDBOX = "/mnt/mesos/sandbox";

  /**
   * @param command the task's command, or null
   * @param agentEnv the agent's variables for the task (MESOS_*, PORT*, HOST, a default PATH ...),
   *     with the sandbox given as {@link #SANDBOX}
   * @param taskEnv the task's own variables
   * @throws IllegalArgumentException when neither the task nor the image says what to run
   */
  public static ContainerProcess of(
      Image.RuntimeConfig image,
      CommandSpec command,
      Map<String, String> agentEnv,
      Map<String, String> taskEnv) {
    List<String> args;
    if (command != null && command.shell() != null) {
      args = List.of("/bin/sh", "-c", command.shell());
    } else if (command != null && command.argv() != null) {
      args = List.copyOf(command.argv());
    } else {
      List<String> defaults = new ArrayList<>(image.entrypoint());
      defaults.addAll(image.cmd());
      if (defaults.isEmpty()) {
        throw new IllegalArgumentException(
            "the task has no command and the image no Entrypoint or Cmd: nothing to run");
      }
      args = List.copyOf(defaults);
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (String pair : image.env()) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        env.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    agentEnv.forEach(
        (name, value) -> {
          if (!name.equals("PATH") || !env.containsKey("PATH")) {
            env.put(name, value);
          }
        });
    env.putAll(taskEnv);
    String cwd = image.workingDir() != null ? image.workingDir() : SANDBOX;
    return new ContainerProcess(args, env, cwd);
  }
}
