package io.mesokube.agent.health;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** What the probes share: their deadline and their wording. */
final class ProbeSupport {

  private ProbeSupport() {}

  /**
   * Fails {@code result} once {@code timeout} has passed, and runs {@code release} when it
   * completes in any way (passed, failed, timed out or cancelled), to abort or clean up the work
   * behind it. The timer runs on the shared scheduler, not on a thread of its own.
   */
  static void deadline(
      CompletableFuture<Probe.Outcome> result,
      Duration timeout,
      ScheduledExecutorService scheduler,
      String what,
      Runnable release) {
    ScheduledFuture<?> timer;
    try {
      timer =
          scheduler.schedule(
              () ->
                  result.complete(
                      new Probe.Outcome(false, what + " timed out after " + of(timeout))),
              timeout.toNanos(),
              TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // No deadline, no check: abort the work already started before the checker skips it.
      release.run();
      throw e;
    }
    result.whenComplete(
        (outcome, error) -> {
          timer.cancel(false);
          release.run();
        });
  }

  /** A duration as people write it: "200 ms", "20 s". */
  static String of(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }

  /** An exception's class and message, without the wrappers futures add. */
  static String describe(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    String message = cause.getMessage();
    String type = cause.getClass().getSimpleName();
    return message == null || message.isBlank() ? type : type + ": " + message;
  }
}
