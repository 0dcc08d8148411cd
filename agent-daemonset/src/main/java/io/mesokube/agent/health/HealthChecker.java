package io.mesokube.agent.health;

import io.mesokube.agent.health.HealthCheckStatus.Health;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Health checks one task with Mesos' rules (see the package description), on the agent's shared
 * scheduler. Created by {@link HealthCheckers}; {@link #start()} once, {@link #stop()} when the
 * task ends.
 */
public final class HealthChecker {
  private static final Logger LOG = LoggerFactory.getLogger(HealthChecker.class);

  private final String taskId;
  private final Probe probe;
  private final HealthCheckTiming timing;
  private final ScheduledExecutorService scheduler;
  private final HealthCheckListener listener;

  // Guarded by this. Listener calls happen under the lock too, so that stop() can promise silence.
  private HealthState state;
  private boolean stopped;
  private Future<?> nextCheck;
  private CompletableFuture<Probe.Outcome> inFlight;

  HealthChecker(
      String taskId,
      Probe probe,
      HealthCheckTiming timing,
      ScheduledExecutorService scheduler,
      HealthCheckListener listener) {
    this.taskId = taskId;
    this.probe = probe;
    this.timing = timing;
    this.scheduler = scheduler;
    this.listener = listener;
  }

  /** Starts checking a task that has just started. */
  public void start() {
    start(Instant.now());
  }

  /**
   * Starts checking a task that started at {@code taskStartedAt}: an agent that recovers its tasks
   * after a restart must not grant them a new grace period. The first check is still {@code delay}
   * from now.
   */
  public synchronized void start(Instant taskStartedAt) {
    if (state != null) {
      throw new IllegalStateException("health checker of task " + taskId + " already started");
    }
    state = new HealthState(timing, taskStartedAt);
    scheduleNext(timing.delay());
  }

  /** Stops checking: cancels the next check, aborts a running one; no listener call after it. */
  public synchronized void stop() {
    stopped = true;
    if (nextCheck != null) {
      nextCheck.cancel(false);
    }
    if (inFlight != null) {
      inFlight.cancel(true);
      inFlight = null;
    }
  }

  /** The current state, for metrics. */
  public synchronized HealthCheckStatus status() {
    return state == null
        ? new HealthCheckStatus(Health.UNKNOWN, 0, 0, 0, false, null)
        : state.status();
  }

  private boolean checking() {
    return state != null && !stopped && !state.killRequested();
  }

  private void scheduleNext(Duration after) {
    try {
      nextCheck = scheduler.schedule(this::check, after.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      LOG.debug("Scheduler shut down; no more health checks of task {}", taskId);
      stopped = true;
    }
  }

  private void check() {
    CompletableFuture<Probe.Outcome> attempt;
    long begin = System.nanoTime();
    synchronized (this) {
      if (!checking()) {
        return;
      }
      try {
        attempt = probe.start(timing.timeout());
      } catch (RejectedExecutionException e) {
        // Mesos skips a check it could not perform and tries again: an agent too busy to run a
        // check is no reason to kill the task.
        LOG.warn("Skipped a health check of task {}: {}", taskId, ProbeSupport.describe(e));
        scheduleNext(timing.interval());
        return;
      } catch (RuntimeException e) {
        attempt = CompletableFuture.completedFuture(failure(e));
      }
      inFlight = attempt;
    }
    CompletableFuture<Probe.Outcome> current = attempt;
    current.whenComplete((outcome, error) -> finish(current, outcome, error, begin));
  }

  private synchronized void finish(
      CompletableFuture<Probe.Outcome> attempt,
      Probe.Outcome outcome,
      Throwable error,
      long begin) {
    if (attempt != inFlight || !checking()) {
      return; // stopped while it ran
    }
    inFlight = null;
    Probe.Outcome checked = error == null ? outcome : failure(error);
    CheckResult result =
        new CheckResult(
            checked.healthy(),
            checked.message(),
            Instant.now(),
            Duration.ofNanos(System.nanoTime() - begin));
    LOG.debug("Health check of task {}: {}", taskId, result.message());
    HealthState.Verdict verdict = state.record(result);
    if (verdict.changedTo() != null) {
      boolean healthy = verdict.changedTo() == Health.HEALTHY;
      LOG.info("Task {} is {}: {}", taskId, healthy ? "healthy" : "unhealthy", verdict.message());
      notifyListener(l -> l.onHealthChanged(healthy, verdict.message()));
    }
    if (verdict.kill() != null) {
      LOG.warn("Task {} is to be killed: {}", taskId, verdict.kill());
      notifyListener(l -> l.onUnhealthy(verdict.kill()));
    }
    if (checking()) {
      // From the end of this check, as Mesos: checks never overlap.
      scheduleNext(timing.interval());
    }
  }

  private static Probe.Outcome failure(Throwable error) {
    return new Probe.Outcome(false, "health check failed: " + ProbeSupport.describe(error));
  }

  private void notifyListener(Consumer<HealthCheckListener> call) {
    if (stopped) {
      return; // the listener itself may have stopped the checker in an earlier call
    }
    try {
      call.accept(listener);
    } catch (RuntimeException e) {
      LOG.warn("Health check listener of task {} failed", taskId, e);
    }
  }
}
