package io.mesokube.agent.launcher;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A launched or recovered task: its supervisor, its pid and, eventually, how it ended. */
public final class TaskProcess {
  /** SIGTERM's number on Linux. */
  public static final int SIGTERM = 15;

  /** SIGKILL's number on Linux. */
  public static final int SIGKILL = 9;

  private final Path runDir;
  private final SupervisorId supervisor;
  private final long taskPid;
  private final CompletableFuture<ExitStatus> exit;

  TaskProcess(
      Path runDir, SupervisorId supervisor, long taskPid, CompletableFuture<ExitStatus> exit) {
    this.runDir = runDir;
    this.supervisor = supervisor;
    this.taskPid = taskPid;
    this.exit = exit;
  }

  /** The task's run dir. */
  public Path runDir() {
    return runDir;
  }

  /** The task's supervisor; its record is what recovery checks. */
  public SupervisorId supervisor() {
    return supervisor;
  }

  /**
   * The task's pid, or -1 when a recovery raced the first milliseconds of a launch, before the
   * supervisor recorded it.
   */
  public long taskPid() {
    return taskPid;
  }

  /**
   * Completes with the task's exit status when it ends; completes exceptionally with {@link
   * TaskLostException} when its supervisor dies without recording one. A copy: completing it
   * changes nothing here.
   */
  public CompletableFuture<ExitStatus> exit() {
    return exit.copy();
  }

  /**
   * Sends SIGTERM or SIGKILL to the task's process, for hosts without a usable cgroup (the cgroup
   * layer kills a task's whole cgroup otherwise). Only the task's own process is signalled, not its
   * children.
   *
   * @return whether the signal was sent: false once the task has ended, or when the pid no longer
   *     is a child of this task's supervisor (pid reuse)
   */
  public boolean signalTask(int signal) {
    if (signal != SIGTERM && signal != SIGKILL) {
      // ProcessHandle sends these two only, and a task needs no other from the agent.
      throw new IllegalArgumentException("only SIGTERM (15) or SIGKILL (9), not " + signal);
    }
    if (exit.isDone() || taskPid <= 0 || !supervisor.isAlive()) {
      return false;
    }
    Optional<ProcStat> task = ProcStat.read(taskPid);
    if (task.isEmpty() || !task.get().running() || task.get().parentPid() != supervisor.pid()) {
      return false;
    }
    // ProcessHandle checks the start time it saw here again when it signals.
    return ProcessHandle.of(taskPid)
        .map(handle -> signal == SIGKILL ? handle.destroyForcibly() : handle.destroy())
        .orElse(false);
  }

  @Override
  public String toString() {
    return "task " + taskPid + " of supervisor " + supervisor.pid() + " in " + runDir;
  }
}
