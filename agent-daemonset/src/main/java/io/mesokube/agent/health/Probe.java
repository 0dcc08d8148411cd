package io.mesokube.agent.health;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** One kind of check (command, HTTP, TCP) of one task, started by its {@link HealthChecker}. */
interface Probe {

  /**
   * Starts a check. The future completes within about {@code timeout}, with a failed outcome if the
   * check took too long; cancelling it aborts the check.
   *
   * @throws java.util.concurrent.RejectedExecutionException when the check cannot start now; the
   *     checker skips it rather than count a failure the task did not cause
   */
  CompletableFuture<Outcome> start(Duration timeout);

  /** Whether a check passed, and a message saying what was checked and what came back. */
  record Outcome(boolean healthy, String message) {}
}
