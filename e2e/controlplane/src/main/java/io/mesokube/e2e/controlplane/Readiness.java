package io.mesokube.e2e.controlplane;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.pollinterval.IterativePollInterval;

/**
 * Waits, with backoff, until a starting component's health endpoint answers 200 — a start-up wait
 * of the harness, not a test assertion. Fails fast if the process exits, and within one deadline
 * across all components of a start; either way the error names the component, its exit code and its
 * log with the last lines.
 */
final class Readiness {

  private static final int LOG_LINES = 40;

  private final HealthProbe probe;
  private final WorkDir dir;
  private final long deadlineNanos;
  private final Duration timeout;

  Readiness(HealthProbe probe, WorkDir dir, Duration timeout) {
    this.probe = probe;
    this.dir = dir;
    this.timeout = timeout;
    this.deadlineNanos = System.nanoTime() + timeout.toNanos();
  }

  /** Returns once the component is ready; throws {@link ControlPlaneStartException} if not. */
  void await(Component component, ComponentProcess process, URI healthUrl) {
    var last = new AtomicReference<>(new HealthProbe.Result(false, "not probed yet"));
    var remaining = Duration.ofNanos(Math.max(1, deadlineNanos - System.nanoTime()));
    try {
      Awaitility.await(component + " ready")
          .atMost(remaining)
          .pollInSameThread()
          .pollDelay(Duration.ZERO)
          .pollInterval(
              IterativePollInterval.iterative(
                  d ->
                      d.multipliedBy(2).compareTo(Duration.ofSeconds(1)) > 0
                          ? Duration.ofSeconds(1)
                          : d.multipliedBy(2),
                  Duration.ofMillis(50)))
          .until(
              () -> {
                if (!process.isAlive()) {
                  throw new ExitedException();
                }
                last.set(probe.probe(healthUrl));
                return last.get().ready();
              });
    } catch (ExitedException e) {
      throw failure(
          component,
          "%s exited with code %d while starting"
              .formatted(component, process.exitCode().orElse(-1)));
    } catch (ConditionTimeoutException e) {
      throw failure(
          component,
          "%s did not become ready within %d s (%s); last health check: %s"
              .formatted(
                  component,
                  timeout.toSeconds(),
                  process.isAlive()
                      ? "still running as pid " + process.pid()
                      : "exited with code " + process.exitCode().orElse(-1),
                  last.get().detail()));
    }
  }

  private ControlPlaneStartException failure(Component component, String what) {
    var log = dir.log(component);
    return new ControlPlaneStartException(
        component,
        "%s%nlog: %s%n---- last %d lines ----%n%s"
            .formatted(what, log, LOG_LINES, LogTail.lastLines(log, LOG_LINES)));
  }

  /** Thrown inside the poll to stop waiting at once when the process has died. */
  private static final class ExitedException extends RuntimeException {
    ExitedException() {
      super(null, null, false, false);
    }
  }
}
