package io.mesokube.scheduler;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread on which a driver's bookkeeping and its scheduler's callbacks run, in submission
 * order (like libmesos' scheduler process). Work submitted after {@link #close()} is dropped.
 */
final class CallbackQueue implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CallbackQueue.class);

  private final ExecutorService executor;
  private final BooleanSupplier open;

  /** A queue whose work runs while {@code open} says so. */
  CallbackQueue(String threadName, BooleanSupplier open) {
    this.executor =
        Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().name(threadName).daemon().unstarted(r));
    this.open = open;
  }

  /** Runs {@code work} after everything submitted before it, unless the driver stopped by then. */
  void submit(String what, Runnable work) {
    enqueue(what, work, open);
  }

  /** Runs {@code work} after everything submitted before it, even if the driver stopped. */
  void submitAlways(String what, Runnable work) {
    enqueue(what, work, () -> true);
  }

  private void enqueue(String what, Runnable work, BooleanSupplier open) {
    try {
      executor.execute(
          () -> {
            if (!open.getAsBoolean()) {
              LOG.debug("driver no longer running; dropped {}", what);
              return;
            }
            try {
              work.run();
            } catch (RuntimeException e) {
              // A failing callback must not stop the delivery of later events.
              LOG.error("{} failed", what, e);
            }
          });
    } catch (RejectedExecutionException e) {
      LOG.debug("callback queue closed; dropped {}", what);
    }
  }

  @Override
  public void close() {
    executor.shutdown();
  }
}
