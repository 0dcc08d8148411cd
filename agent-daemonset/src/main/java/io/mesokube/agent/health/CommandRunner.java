package io.mesokube.agent.health;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Runs a command check in a task's environment and returns its exit code. The agent supplies one
 * that runs the command in the task's cgroup as its user, usually by wrapping {@link
 * ProcessCommandRunner} (for instance prefixing the argv with a tool that enters the task's
 * namespaces).
 */
@FunctionalInterface
public interface CommandRunner {

  /**
   * Runs {@code argv} to completion and returns its exit code.
   *
   * <p>It owns the timeout, because only it can kill what it started: once {@code timeout} has
   * passed it kills the command's whole process tree and throws {@link TimeoutException}. When its
   * thread is interrupted (the checker was stopped) it kills the tree too and throws {@link
   * InterruptedException}. A runner that hangs past its timeout holds up its task's checks, which
   * never overlap.
   *
   * @throws IOException when the command cannot be started
   */
  int run(List<String> argv, TaskEnvironment task, Duration timeout)
      throws IOException, InterruptedException, TimeoutException;
}
