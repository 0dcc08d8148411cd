package io.mesokube.e2e.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Starts a process again a second after it exits on its own, as its Deployment or DaemonSet would:
 * an operator replica that loses the leader Lease exits on purpose, and on a loaded machine or
 * after an API server outage it may do so in the middle of a test. A process the test stops on
 * purpose ({@link #holdDown}) stays down until {@link #releaseAll}. One thread per process, as a
 * start may take a while.
 */
public final class Supervisor implements AutoCloseable {
  private final ScheduledExecutorService threads;
  private final Set<JavaApp> heldDown = ConcurrentHashMap.newKeySet();

  /** A supervisor for up to {@code processes} processes at once. */
  public Supervisor(int processes) {
    threads = Executors.newScheduledThreadPool(processes);
  }

  /** Looks at {@code app} every second from now on and starts it again when it is down. */
  public void supervise(JavaApp app) {
    threads.scheduleWithFixedDelay(
        () -> {
          try {
            if (!heldDown.contains(app)) {
              startIfDown(app);
            }
          } catch (RuntimeException e) {
            // Not ready yet (the API server may be down): the next round tries again.
          }
        },
        1,
        1,
        TimeUnit.SECONDS);
  }

  /** Leaves {@code app} down from now on (call before stopping it). */
  public void holdDown(JavaApp app) {
    heldDown.add(app);
  }

  /** Supervises again every process held down. */
  public void releaseAll() {
    heldDown.clear();
  }

  /** Starts {@code app} unless it runs; callers that stop it synchronize on it too. */
  public static void startIfDown(JavaApp app) {
    synchronized (app) {
      if (!app.isAlive()) {
        try {
          app.start();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
