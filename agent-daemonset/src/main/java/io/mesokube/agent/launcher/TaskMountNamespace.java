package io.mesokube.agent.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotLinkException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The mount namespace command tasks run in: the agent's own (the agent runs on the host), or the
 * one a namespace file names ({@code /proc/1/ns/mnt}: the host's, for an agent in a pod with
 * hostPID), entered with util-linux {@code nsenter --mount}. The supervisor, the task, its program
 * lookup, its user lookup and its command health checks all happen in it, so a task sees the host's
 * files, not the agent's image (nor the pod's ServiceAccount token).
 *
 * <p>Only the mount namespace: PID (hostPID), network and cgroup paths are already the host's.
 */
public final class TaskMountNamespace {
  private static final TaskMountNamespace AGENTS = new TaskMountNamespace(null, null);

  private final Path file;
  private final String nsenter;

  private TaskMountNamespace(Path file, String nsenter) {
    this.file = file;
    this.nsenter = nsenter;
  }

  /** The agent's own mount namespace: tasks see what the agent sees. */
  public static TaskMountNamespace agents() {
    return AGENTS;
  }

  /**
   * The namespace {@code file} names, or the agent's own when it is empty.
   *
   * @throws IllegalStateException when the file is not a mount namespace the agent can read, or
   *     util-linux nsenter is missing: the agent must not start then
   */
  public static TaskMountNamespace of(Optional<Path> file) {
    if (file.isEmpty()) {
      return AGENTS;
    }
    Path path = file.get();
    String target;
    try {
      // A namespace file is a magic link whose text is "mnt:[inode]" for a mount namespace.
      target = Files.readSymbolicLink(path).toString();
    } catch (NoSuchFileException e) {
      throw invalid(path, "it does not exist");
    } catch (NotLinkException e) {
      throw invalid(path, "it is not a namespace file");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      throw invalid(path, "it cannot be read (" + e + ")");
    }
    if (!target.startsWith("mnt:[")) {
      throw invalid(path, "it is " + target + ", not a mount namespace (mnt:[...])");
    }
    return new TaskMountNamespace(path, SupervisorCommand.tool("nsenter"));
  }

  /** The namespace file; empty for the agent's own namespace. */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  /**
   * {@code argv} as a command that runs in this namespace: as is in the agent's own, behind {@code
   * nsenter --mount=FILE --} otherwise. nsenter execs in place (no fork: it enters no PID
   * namespace), so the pid is the program's; it looks a bare program name up along the PATH of the
   * environment it is given, in the namespace, and starts it in that namespace's root directory.
   */
  public List<String> command(List<String> argv) {
    if (file == null) {
      return List.copyOf(argv);
    }
    List<String> command = new ArrayList<>(List.of(nsenter, "--mount=" + file, "--"));
    command.addAll(argv);
    return command;
  }

  @Override
  public String toString() {
    return file == null ? "the agent's mount namespace" : "mount namespace " + file;
  }

  private static IllegalStateException invalid(Path file, String why) {
    return new IllegalStateException(
        "mesokube.agent.isolation.task-mount-namespace="
            + file
            + " is not usable: "
            + why
            + ". Set it to a mount namespace file such as /proc/1/ns/mnt (an agent in a pod with"
            + " hostPID), or leave it empty to run tasks in the agent's own mount namespace");
  }
}
