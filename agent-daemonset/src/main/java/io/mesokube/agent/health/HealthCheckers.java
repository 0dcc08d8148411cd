package io.mesokube.agent.health;

import io.mesokube.api.v1alpha1.task.HealthCheckSpec;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Creates the {@link HealthChecker}s of an agent's tasks. They share the caller's scheduler (no
 * thread per task), the caller's bounded pool for command checks, one HTTP client and one {@link
 * CommandRunner}. Closing it closes the HTTP client, so stop its checkers first; the executors stay
 * the caller's.
 */
public final class HealthCheckers implements AutoCloseable {
  /** Where HTTP and TCP checks connect by default, as in Mesos: the task listens on loopback. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  private final ScheduledExecutorService scheduler;
  private final Executor commandExecutor;
  private final CommandRunner commandRunner;
  private final String host;
  private HttpClient httpClient; // created on the first HTTP check: it starts a thread

  /**
   * @param scheduler runs the timers of all checks; its tasks never block. Each check cancels a
   *     timeout timer, so a {@link java.util.concurrent.ScheduledThreadPoolExecutor} should remove
   *     cancelled tasks ({@code setRemoveOnCancelPolicy(true)}) rather than keep them until due
   * @param commandExecutor runs command checks; bounded, see {@link #commandPool}
   * @param commandRunner runs a command in a task's environment
   * @param host the address HTTP and TCP checks connect to, an IP address
   */
  public HealthCheckers(
      ScheduledExecutorService scheduler,
      Executor commandExecutor,
      CommandRunner commandRunner,
      String host) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.commandExecutor = Objects.requireNonNull(commandExecutor, "commandExecutor");
    this.commandRunner = Objects.requireNonNull(commandRunner, "commandRunner");
    this.host = Objects.requireNonNull(host, "host");
  }

  /** Checks connecting to {@link #DEFAULT_HOST}. */
  public HealthCheckers(
      ScheduledExecutorService scheduler, Executor commandExecutor, CommandRunner commandRunner) {
    this(scheduler, commandExecutor, commandRunner, DEFAULT_HOST);
  }

  /**
   * A pool for command checks: {@code threads} run at once, {@code queueCapacity} wait; a check
   * beyond that is skipped, not failed, so that a busy agent does not kill healthy tasks.
   */
  public static ExecutorService commandPool(int threads, int queueCapacity) {
    return new ThreadPoolExecutor(
        threads,
        threads,
        0,
        TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(queueCapacity),
        Thread.ofPlatform().name("health-command-", 1).daemon().factory());
  }

  /** A checker for a task, with the spec's times. */
  public HealthChecker create(
      HealthCheckSpec spec, TaskEnvironment task, HealthCheckListener listener) {
    return create(spec, HealthCheckTiming.of(spec), task, listener);
  }

  /** A checker for a task, with the spec's kind of check and the given times. */
  public HealthChecker create(
      HealthCheckSpec spec,
      HealthCheckTiming timing,
      TaskEnvironment task,
      HealthCheckListener listener) {
    Objects.requireNonNull(spec.type(), "health check type");
    Probe probe =
        switch (spec.type()) {
          case COMMAND -> new CommandProbe(argv(spec), task, commandRunner, commandExecutor);
          case HTTP -> new HttpProbe(httpClient(), scheduler, host, required(spec.http(), spec));
          case TCP -> new TcpProbe(scheduler, host, required(spec.tcp(), spec).port());
        };
    return new HealthChecker(
        task.taskId(), probe, timing, scheduler, Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public synchronized void close() {
    if (httpClient != null) {
      httpClient.shutdownNow();
    }
  }

  private synchronized HttpClient httpClient() {
    if (httpClient == null) {
      httpClient = HttpProbe.newClient();
    }
    return httpClient;
  }

  private static List<String> argv(HealthCheckSpec spec) {
    HealthCheckSpec.Command command = required(spec.command(), spec);
    if (command.shell() != null) {
      return List.of("/bin/sh", "-c", command.shell());
    }
    if (command.argv() == null || command.argv().isEmpty()) {
      throw new IllegalArgumentException("a command health check needs shell or argv");
    }
    return command.argv();
  }

  private static <T> T required(T part, HealthCheckSpec spec) {
    if (part == null) {
      throw new IllegalArgumentException(
          "a " + spec.type() + " health check needs its " + spec.type() + " settings");
    }
    return part;
  }
}
