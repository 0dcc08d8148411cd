package io.mesokube.agent.health;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The plain {@link CommandRunner}: the command is a child process of the agent, run as the agent's
 * user with the task's environment and working directory, and killed with its descendants at its
 * timeout. The agent wraps it to switch to the task's user (the check runs in the agent's cgroup).
 */
public final class ProcessCommandRunner implements CommandRunner {
  private static final File NO_INPUT = new File("/dev/null");

  @Override
  public int run(List<String> argv, TaskEnvironment task, Duration timeout)
      throws IOException, InterruptedException, TimeoutException {
    String agentUser = System.getProperty("user.name");
    if (task.user() != null && !task.user().equals(agentUser)) {
      // Running a task's check as the agent (often root) would be a privilege escalation.
      throw new IOException(
          "cannot run as user " + task.user() + ": this runner runs commands as " + agentUser);
    }
    ProcessBuilder builder =
        new ProcessBuilder(argv)
            .redirectInput(NO_INPUT)
            // Mesos sends a check's output to the executor's log; a check's verdict is its exit
            // code, and its output must not fill a pipe nobody reads.
            .redirectOutput(Redirect.DISCARD)
            .redirectError(Redirect.DISCARD);
    // The task's environment only: the agent's own variables are none of the task's business.
    builder.environment().clear();
    builder.environment().putAll(task.env());
    if (task.workingDirectory() != null) {
      builder.directory(task.workingDirectory().toFile());
    }
    Process process = builder.start();
    try {
      if (process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        return process.exitValue();
      }
    } catch (InterruptedException e) {
      killTree(process.toHandle());
      throw e;
    }
    killTree(process.toHandle());
    throw new TimeoutException("command timed out after " + ProbeSupport.of(timeout));
  }

  /**
   * Kills a process and all its descendants, as Mesos' os::killtree. The descendants are listed
   * first because once the root dies they are re-parented and no longer its descendants; the root
   * dies next so that it forks no more. A process forked by a descendant between the listing and
   * its parent's death escapes: Mesos stops the tree with SIGSTOP first, which the JDK cannot send.
   */
  static void killTree(ProcessHandle root) {
    List<ProcessHandle> descendants = root.descendants().toList();
    root.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
  }
}
