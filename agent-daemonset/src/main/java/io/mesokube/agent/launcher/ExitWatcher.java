package io.mesokube.agent.launcher;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Completes the exit futures of recovered tasks, whose supervisors are no children of this JVM:
 * inotify (a WatchService on each run dir) sees {@code exit} renamed into place at once; a poll
 * every {@code pollInterval} catches what inotify cannot, a supervisor killed before it wrote
 * {@code exit}, and events lost to a queue overflow.
 */
final class ExitWatcher implements AutoCloseable {
  private record Watched(
      SupervisorId supervisor, WatchKey key, CompletableFuture<ExitStatus> exit) {}

  private final WatchService watchService;
  private final ScheduledExecutorService poller;
  private final Map<Path, Watched> watched = new ConcurrentHashMap<>();

  ExitWatcher(Duration pollInterval) throws IOException {
    watchService = FileSystems.getDefault().newWatchService();
    Thread.ofPlatform().daemon().name("mesokube-exit-watcher").start(this::takeEvents);
    poller =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("mesokube-exit-poller").factory());
    long millis = pollInterval.toMillis();
    poller.scheduleWithFixedDelay(this::checkAll, millis, millis, TimeUnit.MILLISECONDS);
  }

  /**
   * A future of the exit status of the task in {@code runDir}, supervised by {@code supervisor}.
   */
  CompletableFuture<ExitStatus> watch(Path runDir, SupervisorId supervisor) throws IOException {
    // Register before the first check, so that an exit between the two is still seen.
    WatchKey key = runDir.register(watchService, StandardWatchEventKinds.ENTRY_CREATE);
    Watched entry = new Watched(supervisor, key, new CompletableFuture<>());
    Watched earlier = watched.putIfAbsent(runDir, entry);
    if (earlier != null) {
      return earlier.exit();
    }
    check(runDir);
    return entry.exit();
  }

  private void takeEvents() {
    try {
      while (true) {
        WatchKey key = watchService.take();
        key.pollEvents();
        check((Path) key.watchable());
        key.reset();
      }
    } catch (ClosedWatchServiceException | InterruptedException e) {
      // Closed with the launcher.
    }
  }

  private void checkAll() {
    watched.keySet().forEach(this::check);
  }

  // Called from both threads: completing a future twice is harmless, the first value stays.
  private void check(Path runDir) {
    Watched entry = watched.get(runDir);
    if (entry == null) {
      return;
    }
    try {
      Optional<ExitStatus> exit = RunDir.exit(runDir);
      if (exit.isEmpty() && !entry.supervisor().isAlive()) {
        // It may have written exit between the two looks.
        exit = RunDir.exit(runDir);
        if (exit.isEmpty()) {
          LostCause cause =
              entry.supervisor().fromEarlierBoot()
                  ? LostCause.HOST_REBOOTED
                  : LostCause.SUPERVISOR_DIED;
          finish(runDir, entry)
              .completeExceptionally(
                  new TaskLostException(runDir, cause, "supervisor ended without an exit status"));
          return;
        }
      }
      exit.ifPresent(status -> finish(runDir, entry).complete(status));
    } catch (IOException | RuntimeException e) {
      finish(runDir, entry).completeExceptionally(e);
    }
  }

  private CompletableFuture<ExitStatus> finish(Path runDir, Watched entry) {
    watched.remove(runDir, entry);
    entry.key().cancel();
    return entry.exit();
  }

  /** Stops watching; futures still pending stay pending (the agent is stopping). */
  @Override
  public void close() throws IOException {
    poller.shutdownNow();
    watchService.close();
  }
}
