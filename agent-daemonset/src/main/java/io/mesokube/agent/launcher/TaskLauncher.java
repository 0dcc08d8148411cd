package io.mesokube.agent.launcher;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Launches tasks as host processes, each under a supervisor (supervisor.sh) that outlives the agent
 * and records the task's exit status in the task's run dir; recovers them after a restart.
 */
public final class TaskLauncher implements AutoCloseable {
  private final SupervisorCommand supervisor;
  private final ExitWatcher watcher;
  private final TaskMountNamespace namespace;

  /** A launcher keeping supervisor.sh in {@code stateDir}, polling recovered tasks every 5 s. */
  public TaskLauncher(Path stateDir, TaskMountNamespace namespace) throws IOException {
    this(stateDir, Duration.ofSeconds(5), namespace);
  }

  /** A launcher whose tasks run in the agent's mount namespace, polling as given. */
  public TaskLauncher(Path stateDir, Duration pollInterval) throws IOException {
    this(stateDir, pollInterval, TaskMountNamespace.agents());
  }

  /**
   * A launcher keeping supervisor.sh in {@code stateDir}, polling recovered tasks as given.
   *
   * @param namespace the mount namespace of tasks whose spec does not ask for the agent's
   * @throws IllegalStateException when a tool the supervisor needs is missing, here or there, or
   *     the state dir is not the same directory there
   */
  public TaskLauncher(Path stateDir, Duration pollInterval, TaskMountNamespace namespace)
      throws IOException {
    this.supervisor = SupervisorCommand.install(stateDir, namespace);
    this.watcher = new ExitWatcher(pollInterval);
    this.namespace = namespace;
  }

  /** The mount namespace tasks run in, unless their spec asks for the agent's. */
  public TaskMountNamespace namespace() {
    return namespace;
  }

  /**
   * Starts the task's supervisor, which starts the task; returns once the task is forked.
   *
   * @throws LaunchException when the program does not exist (the supervisor looks it up where the
   *     task runs), the run dir was used before, or the supervisor failed before forking the task
   *     (its launch error or log is in the message); nothing runs then
   */
  public TaskProcess launch(LaunchSpec spec) throws LaunchException {
    Process process;
    try {
      TaskDirs.prepare(spec);
      process = supervisor.start(spec);
    } catch (IOException e) {
      throw new LaunchException("cannot start the supervisor in " + spec.runDir() + ": " + e, e);
    }
    SupervisorCommand.Report report = SupervisorCommand.awaitReport(process, spec.runDir());
    try {
      SupervisorId id =
          RunDir.supervisor(spec.runDir())
              .filter(recorded -> recorded.pid() == report.supervisorPid())
              .orElseThrow(
                  () ->
                      new IOException("supervisor " + report.supervisorPid() + " left no record"));
      // setsid execs sh in place when, as here, the caller leads no process group; then the JVM
      // is the supervisor's parent and hears of its end at once.
      CompletableFuture<ExitStatus> exit =
          process.pid() == id.pid()
              ? process.onExit().thenCompose(ended -> exitAfterSupervisor(spec.runDir()))
              : watcher.watch(spec.runDir(), id);
      return new TaskProcess(spec.runDir(), id, report.taskPid(), exit);
    } catch (IOException e) {
      throw new LaunchException("supervisor in " + spec.runDir() + " misbehaved: " + e, e);
    }
  }

  /**
   * Finds out what became of the task in {@code runDir} while no agent watched it. Reads only the
   * run dir and /proc: nothing of an earlier launcher instance is needed.
   */
  public Recovery recover(Path runDir) throws IOException {
    Path dir = runDir.toAbsolutePath();
    Optional<ExitStatus> exit = RunDir.exit(dir);
    if (exit.isPresent()) {
      return new Recovery.Exited(exit.get());
    }
    Optional<SupervisorId> id;
    try {
      id = RunDir.supervisor(dir);
    } catch (RunDir.CorruptRunDirException e) {
      // Written by rename: only a host crash leaves it unreadable.
      return gone(dir, LostCause.HOST_REBOOTED, e.getMessage());
    }
    if (id.isEmpty()) {
      return gone(dir, LostCause.NEVER_STARTED, "no supervisor record: the launch was cut short");
    }
    if (id.get().fromEarlierBoot()) {
      return gone(dir, LostCause.HOST_REBOOTED, "supervisor ran in boot " + id.get().bootId());
    }
    if (!id.get().isAlive()) {
      return gone(dir, LostCause.SUPERVISOR_DIED, "no process is " + id.get());
    }
    long taskPid = RunDir.taskPid(dir).orElse(-1L);
    return new Recovery.Running(
        new TaskProcess(dir, id.get(), taskPid, watcher.watch(dir, id.get())));
  }

  /** Stops watching recovered tasks. Tasks and supervisors keep running. */
  @Override
  public void close() throws IOException {
    watcher.close();
  }

  // The supervisor may have recorded the exit between our first look and its end.
  private static Recovery gone(Path runDir, LostCause cause, String message) throws IOException {
    Optional<ExitStatus> exit = RunDir.exit(runDir);
    return exit.isPresent() ? new Recovery.Exited(exit.get()) : new Recovery.Lost(cause, message);
  }

  private static CompletableFuture<ExitStatus> exitAfterSupervisor(Path runDir) {
    try {
      return RunDir.exit(runDir)
          .map(CompletableFuture::completedFuture)
          .orElseGet(
              () ->
                  CompletableFuture.failedFuture(
                      new TaskLostException(
                          runDir,
                          LostCause.SUPERVISOR_DIED,
                          "supervisor ended without an exit status")));
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
