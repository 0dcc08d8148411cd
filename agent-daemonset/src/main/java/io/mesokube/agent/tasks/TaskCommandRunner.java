package io.mesokube.agent.tasks;

import io.mesokube.agent.health.CommandRunner;
import io.mesokube.agent.health.ProcessCommandRunner;
import io.mesokube.agent.health.TaskEnvironment;
import io.mesokube.agent.launcher.LaunchException;
import io.mesokube.agent.launcher.TaskMountNamespace;
import io.mesokube.agent.launcher.TaskUser;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Runs a task's command health check as the task's user, through util-linux {@code setpriv} as the
 * launcher does, so a check never runs with the agent's privileges, and in the task's mount
 * namespace, so it sees the files its task sees. The check runs in the agent's cgroup, not the
 * task's: its cost is the agent's, and a task at its memory limit can still be checked.
 */
final class TaskCommandRunner implements CommandRunner {
  private final CommandRunner delegate = new ProcessCommandRunner();
  private final String agentUser = System.getProperty("user.name");
  private final TaskMountNamespace namespace;

  TaskCommandRunner(TaskMountNamespace namespace) {
    this.namespace = namespace;
  }

  @Override
  public int run(List<String> argv, TaskEnvironment task, Duration timeout)
      throws IOException, InterruptedException, TimeoutException {
    if (!task.container().isEmpty()) {
      // The runtime (the agent's, in the agent's namespace) enters the container and switches to
      // the task's user itself.
      List<String> inside = new ArrayList<>(task.container());
      inside.addAll(argv);
      return delegate.run(
          inside,
          new TaskEnvironment(task.taskId(), task.env(), task.workingDirectory(), null),
          timeout);
    }
    List<String> command = new ArrayList<>();
    if (task.user() != null && !task.user().equals(agentUser)) {
      TaskUser user;
      try {
        user = TaskUser.resolve(task.user(), namespace);
      } catch (LaunchException e) {
        throw new IOException(e.getMessage(), e);
      }
      command.addAll(
          List.of(
              "setpriv",
              "--reuid=" + user.uid(),
              "--regid=" + user.gid(),
              "--init-groups",
              "--inh-caps=-all",
              "--",
              // setpriv execs with root's capabilities still in place; env's exec drops them.
              "env"));
    }
    if (namespace.file().isPresent() && task.workingDirectory() != null) {
      // nsenter starts the command in the namespace's root directory; env enters the sandbox,
      // as the task's user, the way the supervisor does.
      if (command.isEmpty()) {
        command.add("env");
      }
      command.addAll(List.of("-C", task.workingDirectory().toString()));
    }
    command.addAll(argv);
    // nsenter looks setpriv or env up along the check's PATH, in the namespace.
    return delegate.run(
        namespace.command(command),
        new TaskEnvironment(task.taskId(), task.env(), task.workingDirectory(), null),
        timeout);
  }
}
