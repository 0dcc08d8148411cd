package io.mesokube.agent.cgroups;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for kernel state that gives no notification a plain Java caller could block on: a frozen
 * cgroup, killed processes leaving, a cgroup that can be removed. Backs off from 1 ms to 50 ms.
 */
final class Poll {
  private static final long MAX_PAUSE_MILLIS = 50;

  private Poll() {}

  /**
   * Whether {@code done} held within {@code timeout}. An interrupt ends the wait early (the flag is
   * kept), so that the caller reports what is still not done.
   */
  static boolean until(Duration timeout, BooleanSupplier done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pause = 1;
    while (!done.getAsBoolean()) {
      if (System.nanoTime() - deadline >= 0 || Thread.currentThread().isInterrupted()) {
        return false;
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      pause = Math.min(2 * pause, MAX_PAUSE_MILLIS);
    }
    return true;
  }
}
