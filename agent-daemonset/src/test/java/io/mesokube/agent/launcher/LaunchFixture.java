package io.mesokube.agent.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A launcher in a temporary state dir that kills every process its tests started, even when a test
 * fails: each supervisor and task with their descendants.
 */
final class LaunchFixture implements AutoCloseable {
  /** The PATH tasks get in these tests. */
  static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin");

  final Path stateDir;
  final TaskLauncher launcher;
  // Taken while the processes live: a ProcessHandle remembers the start time and will not signal
  // a later process that reused the pid.
  private final List<ProcessHandle> started = new ArrayList<>();
  private final List<TaskLauncher> launchers = new ArrayList<>();

  LaunchFixture(Path tempDir) throws IOException {
    // Tasks run as nobody must reach their sandbox through these directories.
    Files.setPosixFilePermissions(tempDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    this.stateDir = tempDir;
    this.launcher = newLauncher();
  }

  /** Another launcher on the same state dir, sharing nothing with the first: a restarted agent. */
  TaskLauncher newLauncher() throws IOException {
    return newLauncher(TaskMountNamespace.agents());
  }

  /** Another launcher on the same state dir, its tasks in {@code namespace}. */
  TaskLauncher newLauncher(TaskMountNamespace namespace) throws IOException {
    TaskLauncher fresh = new TaskLauncher(stateDir, Duration.ofMillis(100), namespace);
    launchers.add(fresh);
    return fresh;
  }

  LaunchSpec spec(String name, String... argv) {
    return LaunchSpec.of(
        stateDir.resolve("tasks").resolve(name),
        stateDir.resolve("sandboxes").resolve(name),
        List.of(argv),
        ENV);
  }

  /** A shell task that waits for {@link #release} and then exits with {@code code}. */
  LaunchSpec blocked(String name, int code) {
    return spec(name, "/bin/sh", "-c", "until [ -e release ]; do sleep 0.02; done; exit " + code);
  }

  void release(LaunchSpec spec) throws IOException {
    Files.createFile(spec.sandboxDir().resolve("release"));
  }

  TaskProcess launch(LaunchSpec spec) throws LaunchException {
    return track(launcher.launch(spec));
  }

  TaskProcess track(TaskProcess process) {
    ProcessHandle.of(process.supervisor().pid()).ifPresent(started::add);
    ProcessHandle.of(process.taskPid()).ifPresent(started::add);
    return process;
  }

  String stdout(LaunchSpec spec) throws IOException {
    return Files.readString(spec.sandboxDir().resolve("stdout"));
  }

  @Override
  public void close() throws IOException {
    for (ProcessHandle handle : started) {
      if (handle.isAlive()) {
        handle.descendants().forEach(ProcessHandle::destroyForcibly);
        handle.destroyForcibly();
      }
    }
    for (TaskLauncher each : launchers) {
      each.close();
    }
  }
}
