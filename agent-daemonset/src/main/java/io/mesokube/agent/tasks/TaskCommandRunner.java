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
 * namespace, so it sees the files its task sees, and in the task's cgroup, as Mesos runs a check in
 * the task's container: whatever it forks is held to the task's limits and dies with the task. (A
 * check used to run in the agent's cgroup, where a forked busy loop escaped the task's CPU quota
 * and outlived it: issue 16, finding 5.) The price is Mesos' too: a task at its memory limit is
 * checked within that limit.
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
              "--bounding-set=-all",
              "--no-new-privs",
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
    List<String> inNamespace = namespace.command(command);
    List<String> all = new ArrayList<>();
    if (!task.cgroupProcs().isEmpty()) {
      // First of all, still as the agent (root) and in its namespace, where /sys/fs/cgroup is the
      // host's: the shell writes its own pid into each cgroup.procs file, then execs the rest. A
      // one-line join needs no tool the agent's image lacks (cgexec is not in it).
      all.addAll(List.of("/bin/sh", "-c", JOIN_CGROUPS, "mesokube-health-check"));
      task.cgroupProcs().forEach(file -> all.add(file.toString()));
      all.add("--");
    }
    all.addAll(inNamespace);
    return delegate.run(
        all,
        new TaskEnvironment(task.taskId(), task.env(), task.workingDirectory(), null),
        timeout);
  }

  /** Joins the cgroups named before "--" (exit 125 if one cannot be joined) and execs the rest. */
  static final String JOIN_CGROUPS =
      "while [ \"$1\" != -- ]; do echo $$ > \"$1\" || exit 125; shift; done; shift; exec \"$@\"";
}
