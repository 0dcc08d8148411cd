package io.mesokube.agent.runtime;

import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's single-thread executors. A {@link ScheduledThreadPoolExecutor} keeps what a task
 * threw in its future, which nobody reads for {@code execute}d work: a failure would vanish. These
 * log it, with the thread's name (the JDK's own idiom, {@code afterExecute}).
 */
final class AgentThreads {
  private static final Logger LOG = LoggerFactory.getLogger(AgentThreads.class);

  private AgentThreads() {}

  static ScheduledExecutorService single(String name) {
    return single(
        name, (thread, failure) -> LOG.error("Uncaught failure on thread {}", thread, failure));
  }

  /** As {@link #single(String)}, handing each failure to {@code onFailure} (thread name, cause). */
  static ScheduledExecutorService single(
      String name, java.util.function.BiConsumer<String, Throwable> onFailure) {
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, name);
              t.setDaemon(true);
              return t;
            }) {
          @Override
          protected void afterExecute(Runnable r, Throwable thrown) {
            super.afterExecute(r, thrown);
            if (thrown == null && r instanceof Future<?> future && future.isDone()) {
              try {
                future.get();
              } catch (CancellationException cancelled) {
                // Cancelled on purpose (a kill's escalation, a stopped poll).
              } catch (ExecutionException e) {
                thrown = e.getCause();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            if (thrown != null) {
              onFailure.accept(name, thrown);
            }
          }
        };
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }
}
