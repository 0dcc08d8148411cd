package io.mesokube.agent.health;

import static org.awaitility.Awaitility.await;

import io.mesokube.api.v1alpha1.task.HealthCheckSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A scheduler, a command pool and a checker factory per test, as the agent has them; millis. */
abstract class HealthCheckTestSupport {
  static final Duration INTERVAL = Duration.ofMillis(20);
  static final Duration TIMEOUT = Duration.ofSeconds(2);

  ScheduledExecutorService scheduler;
  ExecutorService commands;
  HealthCheckers checkers;
  final RecordingListener listener = new RecordingListener();
  private final List<HealthChecker> started = new ArrayList<>();

  @BeforeEach
  void createCheckers() {
    scheduler = Executors.newSingleThreadScheduledExecutor();
    commands = HealthCheckers.commandPool(2, 16);
    checkers = new HealthCheckers(scheduler, commands, new ProcessCommandRunner());
  }

  @AfterEach
  void stopCheckers() {
    started.forEach(HealthChecker::stop);
    checkers.close();
    commands.shutdownNow();
    scheduler.shutdownNow();
  }

  /** Starts a checker for task "t1" that the test tears down. */
  HealthChecker start(HealthCheckSpec spec, HealthCheckTiming timing, HealthCheckListener l) {
    HealthChecker checker = checkers.create(spec, timing, TaskEnvironment.of("t1"), l);
    started.add(checker);
    checker.start();
    return checker;
  }

  HealthChecker start(HealthCheckSpec spec, HealthCheckTiming timing) {
    return start(spec, timing, listener);
  }

  static HealthCheckTiming timing(int consecutiveFailures) {
    return new HealthCheckTiming(
        Duration.ZERO, INTERVAL, TIMEOUT, consecutiveFailures, Duration.ZERO);
  }

  static HealthCheckSpec http(int port) {
    return http(port, HealthCheckSpec.Http.Scheme.HTTP);
  }

  static HealthCheckSpec http(int port, HealthCheckSpec.Http.Scheme scheme) {
    return new HealthCheckSpec(
        HealthCheckSpec.Type.HTTP,
        null,
        new HealthCheckSpec.Http(port, "/health", scheme),
        null,
        null,
        null,
        null,
        null,
        null);
  }

  static HealthCheckSpec tcp(int port) {
    return new HealthCheckSpec(
        HealthCheckSpec.Type.TCP,
        null,
        null,
        new HealthCheckSpec.Tcp(port),
        null,
        null,
        null,
        null,
        null);
  }

  static HealthCheckSpec shell(String line) {
    return command(new HealthCheckSpec.Command(line, null));
  }

  static HealthCheckSpec command(HealthCheckSpec.Command command) {
    return new HealthCheckSpec(
        HealthCheckSpec.Type.COMMAND, command, null, null, null, null, null, null, null);
  }

  static ConditionFactory eventually() {
    return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10));
  }

  /** For asserting that something does not happen for a while. */
  static ConditionFactory throughout(Duration period) {
    return await().during(period).atMost(period.plusSeconds(5)).pollInterval(Duration.ofMillis(10));
  }
}
