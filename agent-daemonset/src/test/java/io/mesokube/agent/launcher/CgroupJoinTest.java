package io.mesokube.agent.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The task and its supervisor join the cgroup.procs files they are given. */
class CgroupJoinTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path tempDir;
  private LaunchFixture fixture;
  private Path testCgroup;
  private final List<Path> v1Cgroups = new java.util.ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    fixture = new LaunchFixture(tempDir);
  }

  @AfterEach
  void tearDown() throws Exception {
    fixture.close();
    for (Path cgroup : v1Cgroups) {
      await().atMost(WAIT).untilAsserted(() -> Files.deleteIfExists(cgroup));
    }
    if (testCgroup != null) {
      // Empty once the processes are gone; a cgroup dir is removed with rmdir, its files with it.
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                try (var children = Files.list(testCgroup)) {
                  for (Path child : children.filter(Files::isDirectory).toList()) {
                    Files.deleteIfExists(child);
                  }
                }
                Files.deleteIfExists(testCgroup);
              });
    }
  }

  @Test
  void taskAndSupervisorJoinTheirCgroups() throws Exception {
    Path root = writableCgroup2().orElse(null);
    assumeTrue(root != null, "no writable cgroup v2 hierarchy on this host");
    testCgroup = Files.createDirectory(root.resolve("mesokube-test-" + UUID.randomUUID()));
    Path taskCgroup = Files.createDirectory(testCgroup.resolve("task"));
    Path supervisorCgroup = Files.createDirectory(testCgroup.resolve("supervisor"));
    LaunchSpec spec =
        fixture
            .blocked("cgroups", 0)
            .withCgroups(
                List.of(taskCgroup.resolve("cgroup.procs")),
                List.of(supervisorCgroup.resolve("cgroup.procs")));

    TaskProcess task = fixture.launch(spec);

    String base = "0::/" + root.relativize(testCgroup);
    assertThat(Files.readAllLines(Path.of("/proc", Long.toString(task.taskPid()), "cgroup")))
        .contains(base + "/task");
    assertThat(
            Files.readAllLines(Path.of("/proc", Long.toString(task.supervisor().pid()), "cgroup")))
        .contains(base + "/supervisor");
    fixture.release(spec);
    assertThat(task.exit()).succeedsWithin(WAIT).isEqualTo(ExitStatus.exited(0));
  }

  /**
   * A supervisor given several cgroups (one per hierarchy: the agent's supervisors' cgroup where it
   * has one, a hierarchy's root elsewhere) joins each, and the task it forks stays in those of the
   * hierarchies its own cgroups leave out: how supervisors and tasks leave an agent pod's cgroups.
   */
  @Test
  void supervisorJoinsEveryCgroupItIsGivenAndTheTaskKeepsThem() throws Exception {
    Path devices = Path.of("/sys/fs/cgroup/devices");
    Path freezer = Path.of("/sys/fs/cgroup/freezer");
    assumeTrue(
        Files.isWritable(devices) && Files.isWritable(freezer), "no writable v1 devices, freezer");
    String name = "mesokube-test-" + UUID.randomUUID();
    for (Path hierarchy : List.of(devices, freezer)) {
      v1Cgroups.add(Files.createDirectory(hierarchy.resolve(name)));
    }
    LaunchSpec spec =
        fixture
            .blocked("several", 0)
            .withCgroups(
                List.of(),
                v1Cgroups.stream().map(cgroup -> cgroup.resolve("cgroup.procs")).toList());

    TaskProcess task = fixture.launch(spec);

    for (long pid : List.of(task.supervisor().pid(), task.taskPid())) {
      assertThat(Files.readAllLines(Path.of("/proc", Long.toString(pid), "cgroup")))
          .as("cgroups of %d", pid)
          .anyMatch(line -> line.matches("\\d+:devices:/" + name))
          .anyMatch(line -> line.matches("\\d+:freezer:/" + name));
    }
    fixture.release(spec);
    assertThat(task.exit()).succeedsWithin(WAIT).isEqualTo(ExitStatus.exited(0));
  }

  @Test
  void taskThatCannotJoinItsCgroupNeverRuns() throws Exception {
    LaunchSpec spec =
        fixture
            .spec("no-cgroup", "/bin/sh", "-c", "echo ran")
            .withCgroups(List.of(tempDir.resolve("missing/cgroup.procs")), List.of());

    assertThatThrownBy(() -> fixture.launch(spec))
        .isInstanceOf(LaunchException.class)
        .hasMessage("cannot join task cgroup " + tempDir.resolve("missing/cgroup.procs"));

    // What a restarted agent would find had it died during this launch.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(fixture.newLauncher().recover(spec.runDir()))
                    .isEqualTo(
                        new Recovery.Exited(new ExitStatus(ExitStatus.Kind.LAUNCH_FAILED, 125))));
    assertThat(fixture.stdout(spec)).isEmpty();
  }

  @Test
  void supervisorThatCannotJoinItsCgroupFailsTheLaunch() {
    LaunchSpec spec =
        fixture
            .spec("no-supervisor-cgroup", "/bin/true")
            .withCgroups(List.of(), List.of(tempDir.resolve("missing/cgroup.procs")));

    assertThatThrownBy(() -> fixture.launch(spec))
        .isInstanceOf(LaunchException.class)
        .hasMessageContaining("supervisor failed before starting the task")
        .hasMessageContaining("cannot join " + tempDir.resolve("missing/cgroup.procs"));
  }

  private static Optional<Path> writableCgroup2() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
      String[] fields = line.split(" ");
      if (fields.length > 2
          && fields[2].equals("cgroup2")
          && Files.isWritable(Path.of(fields[1]))) {
        return Optional.of(Path.of(fields[1]));
      }
    }
    return Optional.empty();
  }
}
