package io.mesokube.agent.cgroups;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * A unique agent root ({@code mesokube-test-<random>/agent-1}) in the machine's real cgroup
 * hierarchies, processes started into its cgroups, and a cleanup that trusts nothing of the code
 * under test: it thaws, SIGKILLs and removes whatever is under the root, directly.
 */
final class TestCgroupRoot implements AutoCloseable {
  private static final Duration CLEANUP_TIMEOUT = Duration.ofSeconds(20);

  final String top =
      "mesokube-test-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  final String root = top + "/agent-1";
  private final List<Path> mounts;
  private final List<Process> processes = new ArrayList<>();

  /**
   * Awaitility polling every 10 ms from the start: the conditions here are cheap file reads, and
   * the default first delay of 100 ms adds up over the many cgroups a cleanup walks.
   */
  static ConditionFactory await() {
    return Awaitility.await()
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(10))
        .atMost(Duration.ofSeconds(10));
  }

  /** Fails, rather than skips: CI runs these as root on a machine like the development VM. */
  TestCgroupRoot(List<Path> mounts) {
    try {
      assertThat((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid"))
          .as("cgroup tests need root; CI runs them as root")
          .isZero();
    } catch (IOException e) {
      throw new AssertionError("cannot tell whether the tests run as root", e);
    }
    this.mounts = List.copyOf(mounts);
  }

  /**
   * Starts {@code script} under /bin/sh after the shell joins {@code cgroup} (so it execs inside).
   */
  Process start(TaskCgroup cgroup, String script) {
    String procs =
        cgroup.procsFiles().stream().map(Path::toString).collect(Collectors.joining(" "));
    ProcessBuilder builder =
        new ProcessBuilder(
            "/bin/sh", "-c", "for f in " + procs + "; do echo 0 > $f || exit 99; done; " + script);
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    try {
      Process process = builder.start();
      processes.add(process);
      return process;
    } catch (IOException e) {
      throw new AssertionError("cannot start " + script, e);
    }
  }

  /** As {@link #start}, returning once the process shows in the cgroup. */
  Process startInside(TaskCgroup cgroup, String script) {
    Process process = start(cgroup, script);
    await().untilAsserted(() -> assertThat(cgroup.pids()).contains(process.pid()));
    return process;
  }

  /** Waits until {@code process} has exec'd {@code program}, so what the shell set up is done. */
  static void awaitExec(Process process, String program) {
    await().until(() -> process.info().command().orElse("").endsWith("/" + program));
  }

  @Override
  public void close() throws IOException {
    for (Process process : processes) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
    for (Path mount : mounts) {
      Path dir = mount.resolve(top);
      if (Files.exists(dir)) {
        List<Path> cgroups;
        try (Stream<Path> walk = Files.walk(dir)) {
          cgroups = walk.filter(Files::isDirectory).toList().reversed();
        }
        for (Path cgroup : cgroups) {
          remove(cgroup);
        }
      }
    }
  }

  private static void remove(Path cgroup) throws IOException {
    Path freezer = cgroup.resolve("freezer.state");
    if (Files.exists(freezer)) {
      Files.writeString(freezer, "THAWED");
    }
    Path freeze = cgroup.resolve("cgroup.freeze");
    if (Files.exists(freeze)) {
      Files.writeString(freeze, "0");
    }
    await()
        .atMost(CLEANUP_TIMEOUT)
        .untilAsserted(
            () -> {
              String pids = Files.readString(cgroup.resolve("cgroup.procs"));
              pids.lines()
                  .map(Long::valueOf)
                  .forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
              assertThat(pids).as("processes left in %s", cgroup).isEmpty();
            });
    await().atMost(CLEANUP_TIMEOUT).until(() -> removed(cgroup));
  }

  private static boolean removed(Path cgroup) {
    try {
      Files.deleteIfExists(cgroup);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
