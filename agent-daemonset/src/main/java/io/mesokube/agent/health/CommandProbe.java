package io.mesokube.agent.health;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * A command check: healthy when the command exits 0. It runs on the agent's bounded command pool,
 * never on the scheduler, because a {@link CommandRunner} blocks until the command ends.
 */
final class CommandProbe implements Probe {
  private final List<String> argv;
  private final TaskEnvironment task;
  private final CommandRunner runner;
  private final Executor executor;
  private final String what;

  CommandProbe(List<String> argv, TaskEnvironment task, CommandRunner runner, Executor executor) {
    this.argv = List.copyOf(argv);
    this.task = task;
    this.runner = runner;
    this.executor = executor;
    this.what = "command " + argv;
  }

  @Override
  public CompletableFuture<Outcome> start(Duration timeout) {
    CompletableFuture<Outcome> result = new CompletableFuture<>();
    FutureTask<Void> run =
        new FutureTask<>(
            () -> {
              try {
                result.complete(run(timeout));
              } catch (Throwable e) {
                result.completeExceptionally(e);
              }
              return null;
            });
    try {
      executor.execute(run);
    } catch (RejectedExecutionException e) {
      throw new RejectedExecutionException("the pool of command checks is full", e);
    }
    // A cancelled check (the checker stopped) interrupts the runner, which kills the command.
    result.whenComplete(
        (outcome, error) -> {
          if (result.isCancelled()) {
            run.cancel(true);
          }
        });
    return result;
  }

  private Outcome run(Duration timeout) {
    try {
      int exitCode = runner.run(argv, task, timeout);
      return new Outcome(exitCode == 0, what + " exited with " + exitCode);
    } catch (TimeoutException e) {
      return new Outcome(
          false, what + " timed out after " + ProbeSupport.of(timeout) + " and was killed");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(false, what + " was interrupted");
    } catch (IOException | RuntimeException e) {
      return new Outcome(false, what + " could not run: " + ProbeSupport.describe(e));
    }
  }
}
