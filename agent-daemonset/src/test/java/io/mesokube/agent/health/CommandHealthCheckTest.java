package io.mesokube.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesokube.api.v1alpha1.task.HealthCheckSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadPoolExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandHealthCheckTest extends HealthCheckTestSupport {

  @Test
  void exitZeroIsHealthy() {
    start(shell("true"), timing(1));

    eventually().untilAsserted(() -> assertThat(listener.healthChanges()).containsExactly(true));
    assertThat(listener.lastMessage()).isEqualTo("command [/bin/sh, -c, true] exited with 0");
  }

  @Test
  void otherExitCodesAreNot() {
    start(command(new HealthCheckSpec.Command(null, List.of("false"))), timing(2));

    eventually().untilAsserted(() -> assertThat(listener.kills).hasSize(1));
    assertThat(listener.healthChanges()).containsExactly(false);
    assertThat(listener.lastMessage()).isEqualTo("command [false] exited with 1");
  }

  @Test
  void runsWithTheTasksEnvironmentAndDirectory(@TempDir Path sandbox) throws IOException {
    Files.createFile(sandbox.resolve("marker"));
    TaskEnvironment task = new TaskEnvironment("t2", Map.of("FOO", "bar"), sandbox, null);
    HealthChecker checker =
        checkers.create(
            shell("test \"$FOO\" = bar && test -f marker && test -z \"$HOME\""),
            timing(1),
            task,
            listener);
    checker.start();
    try {
      eventually().untilAsserted(() -> assertThat(listener.healthChanges()).containsExactly(true));
    } finally {
      checker.stop();
    }
  }

  @Test
  void aCommandPastItsTimeoutIsKilledWithItsChildrenAndFails(@TempDir Path dir) throws IOException {
    String script =
        "sleep 30 & echo $! > %s; echo $$ > %s; wait"
            .formatted(dir.resolve("child.pid"), dir.resolve("shell.pid"));
    HealthCheckTiming timing =
        new HealthCheckTiming(
            Duration.ZERO, Duration.ofMinutes(1), Duration.ofMillis(300), 1, Duration.ZERO);
    HealthChecker checker = start(shell(script), timing);

    eventually().untilAsserted(() -> assertThat(listener.kills).hasSize(1));
    assertThat(listener.lastMessage()).endsWith("timed out after 300 ms and was killed");
    assertThat(checker.status().lastResult().duration()).isLessThan(Duration.ofSeconds(2));
    long shell = pid(dir.resolve("shell.pid"));
    long child = pid(dir.resolve("child.pid"));
    eventually().untilAsserted(() -> assertThat(running(shell) || running(child)).isFalse());
  }

  @Test
  void aCheckTheFullPoolCannotTakeIsSkippedAndStopKillsTheRunningOne(@TempDir Path dir)
      throws IOException {
    ThreadPoolExecutor pool = (ThreadPoolExecutor) HealthCheckers.commandPool(1, 1);
    try (HealthCheckers busy = new HealthCheckers(scheduler, pool, new ProcessCommandRunner())) {
      HealthCheckTiming slow =
          new HealthCheckTiming(Duration.ZERO, INTERVAL, Duration.ofSeconds(30), 1, Duration.ZERO);
      Path pidFile = dir.resolve("running.pid");
      HealthChecker running =
          busy.create(
              shell("echo $$ > " + pidFile + "; exec sleep 30"),
              slow,
              TaskEnvironment.of("running"),
              new RecordingListener());
      HealthChecker queued =
          busy.create(shell("true"), slow, TaskEnvironment.of("queued"), new RecordingListener());
      running.start();
      eventually().until(() -> pool.getActiveCount() == 1 && Files.exists(pidFile));
      queued.start();
      eventually().until(() -> pool.getQueue().size() == 1);

      HealthChecker skipped = busy.create(shell("false"), slow, TaskEnvironment.of("t"), listener);
      skipped.start();
      throughout(Duration.ofMillis(300))
          .untilAsserted(
              () -> {
                assertThat(skipped.status().checks()).isZero();
                assertThat(listener.changes).isEmpty();
              });

      long pid = pid(pidFile);
      running.stop();
      queued.stop();
      skipped.stop();
      eventually().untilAsserted(() -> assertThat(running(pid)).isFalse());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void anotherUserThanTheAgentsIsRefused() {
    TaskEnvironment task = new TaskEnvironment("t3", Map.of(), null, "not-" + whoAmI());
    HealthChecker checker = checkers.create(shell("true"), timing(1), task, listener);
    checker.start();
    try {
      eventually().untilAsserted(() -> assertThat(listener.kills).hasSize(1));
      assertThat(listener.lastMessage()).contains("could not run: IOException: cannot run as user");
    } finally {
      checker.stop();
    }
  }

  private static String whoAmI() {
    return System.getProperty("user.name");
  }

  private static long pid(Path file) throws IOException {
    return Long.parseLong(Files.readString(file).strip());
  }

  /** Alive and not a zombie: a killed orphan may wait for a PID 1 that does not reap it. */
  private static boolean running(long pid) throws IOException {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    if (!Files.exists(stat)) {
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
    try {
      String line = Files.readString(stat);
      return line.charAt(line.lastIndexOf(')') + 2) != 'Z';
    } catch (IOException e) {
      return false; // it exited between the two calls
    }
  }
}
