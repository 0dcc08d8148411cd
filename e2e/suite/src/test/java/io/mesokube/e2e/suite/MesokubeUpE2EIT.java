package io.mesokube.e2e.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The README's run command as a user runs it: {@code ./mesokube up} then {@code ./mesokube down},
 * several times in a row while busy loops keep both cores loaded. A new user's first {@code up}
 * once failed on such a machine: it took a healthy control plane for dead because it checked the
 * process group before the child had created it. The cluster runs beside any the user has: its own
 * state dir, ports and cgroup root; the apps are the ones this build packaged.
 */
class MesokubeUpE2EIT {
  private static final Path REPO = Path.of(System.getProperty("mesokube.repo.dir"));
  private static final int STARTS = 3;
  private static final Duration UP_TIMEOUT = Duration.ofMinutes(8);
  private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
  private static final String CGROUP_ROOT = "mesokube-up-" + SUFFIX;

  private final List<Process> busyLoops = new ArrayList<>();
  private Path state;
  private Path agentState;
  private Path logs;

  @BeforeEach
  void load() throws IOException {
    logs = Files.createDirectories(REPO.resolve("e2e/suite/target/mesokube-up-" + SUFFIX));
    state = logs.resolve("state");
    agentState = Path.of("/var/tmp", "mesokube-up-" + SUFFIX);
    int loops = 2 * Runtime.getRuntime().availableProcessors();
    for (int i = 0; i < loops; i++) {
      busyLoops.add(new ProcessBuilder("bash", "-c", "while :; do :; done").start());
    }
  }

  @AfterEach
  void unload() throws Exception {
    busyLoops.forEach(Process::destroyForcibly);
    // Whatever a failed assertion left running.
    run("down", logs.resolve("cleanup.log"), Duration.ofMinutes(2));
  }

  @Test
  void upStartsEveryTimeOnALoadedMachineAndDownLeavesNothing() throws Exception {
    for (int start = 1; start <= STARTS; start++) {
      Path log = logs.resolve("up-" + start + ".log");
      long t0 = System.nanoTime();
      int code = run("up", log, UP_TIMEOUT);
      String output = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(code)
          .as("./mesokube up, start %d of %d, exit code; its output:%n%s", start, STARTS, output)
          .isZero();
      assertThat(output)
          .contains("Mesokube is up", "3 agents registered", "hello-once (Managed): TASK_FINISHED");
      System.out.printf(
          "MesokubeUpE2EIT: start %d of %d under %d busy loops: up in %d s%n",
          start, STARTS, busyLoops.size(), Duration.ofNanos(System.nanoTime() - t0).toSeconds());

      Path down = logs.resolve("down-" + start + ".log");
      assertThat(run("down", down, Duration.ofMinutes(2)))
          .as("./mesokube down: %s", Files.readString(down))
          .isZero();
      assertThat(state).doesNotExist();
      assertThat(agentState).doesNotExist();
      assertThat(taskCgroups()).as("cgroups left under %s", CGROUP_ROOT).isEmpty();
    }
  }

  private int run(String command, Path log, Duration timeout) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(REPO.resolve("mesokube").toString(), command)
            .directory(REPO.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    builder
        .environment()
        .putAll(
            Map.of(
                "MESOKUBE_STATE_DIR", state.toString(),
                "MESOKUBE_AGENT_STATE_ROOT", agentState.toString(),
                "MESOKUBE_CGROUP_ROOT", CGROUP_ROOT,
                "MESOKUBE_OPERATOR_PORT", "28081",
                "MESOKUBE_AGENT_PORT", "25051",
                "MESOKUBE_REGISTRY_PORT", "25000",
                "MESOKUBE_PREBUILT", "1",
                // fewer sample tasks than a user's up runs: three starts in a CI run
                "MESOKUBE_SAMPLE_TASKS", "10"));
    Process process = builder.start();
    if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      process.destroy();
      throw new AssertionError(
          "./mesokube "
              + command
              + " did not end within "
              + timeout
              + ": "
              + Files.readString(log));
    }
    return process.exitValue();
  }

  /** Directories left under this cluster's cgroup root, in any hierarchy. */
  private static List<Path> taskCgroups() throws IOException {
    List<Path> left = new ArrayList<>();
    try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
      for (Path hierarchy : hierarchies.toList()) {
        Path root = hierarchy.resolve(CGROUP_ROOT);
        if (Files.isDirectory(root)) {
          left.add(root);
        }
      }
    }
    return left;
  }
}
