package io.mesokube.agent.cgroups;

import static io.mesokube.agent.cgroups.TestCgroupRoot.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cgroup v2 for real, in the machine's hybrid cgroup2 mount at /sys/fs/cgroup/unified, which offers
 * no cpu, memory or pids controller (v1 holds them): cgroups are made, joined, accounted for CPU,
 * frozen, killed and removed, with no limits enforced. The limits are tested against a fake tree in
 * {@link CgroupsV2FakeTreeTest}.
 */
class CgroupsV2UnifiedTest {
  private static final Path UNIFIED = Path.of("/sys/fs/cgroup/unified");
  private static final Limits LIMITS = Limits.of(0.5, 64 << 20).withPidsMax(10);

  private TestCgroupRoot sandbox;
  private CgroupsV2 cgroups;

  @BeforeEach
  void setUp() {
    sandbox = new TestCgroupRoot(List.of(UNIFIED));
    assertThat(UNIFIED.resolve("cgroup.procs"))
        .as("a cgroup2 mount at %s (CI runs on a machine with one)", UNIFIED)
        .exists();
    cgroups = new CgroupsV2(UNIFIED, sandbox.root, List.of());
  }

  @AfterEach
  void tearDown() throws Exception {
    sandbox.close();
  }

  @Test
  void theControllersTheLimitsNeedAreRefusedHere() throws Exception {
    assertThat(Files.readString(UNIFIED.resolve("cgroup.controllers"))).doesNotContain("memory");

    assertThatThrownBy(() -> new CgroupsV2(UNIFIED, sandbox.root))
        .isInstanceOf(CgroupException.class)
        .hasMessageContaining(UNIFIED.toString())
        .hasMessageContaining("[cpu, memory, pids]")
        .hasMessageContaining("bound to cgroup v1");
  }

  @Test
  void aProcessJoinsAndItsCpuTimeIsAccountedWithoutTheCpuController() throws Exception {
    TaskCgroup task = cgroups.create("busy", LIMITS);
    assertThat(task.procsFiles())
        .containsExactly(UNIFIED.resolve(sandbox.root + "/task/busy/cgroup.procs"));
    assertThat(task.isEmpty()).isTrue();

    Process spinner = sandbox.startInside(task, "while :; do :; done");

    String membership = Files.readString(Path.of("/proc", Long.toString(spinner.pid()), "cgroup"));
    assertThat(membership).contains("0::/" + sandbox.root + "/task/busy\n");
    assertThat(task.isEmpty()).isFalse();
    await().until(() -> task.stats().cpuUsageNanos() > Duration.ofMillis(200).toNanos());
    CgroupStats stats = task.stats();
    assertThat(stats.cpuThrottledPeriods()).isEmpty();
    assertThat(stats.memoryUsageBytes()).isEmpty();
    assertThat(stats.oomKills()).isEmpty();
    assertThat(stats.pidsCurrent()).isEmpty();
    assertThat(task.oomKilled()).isFalse();
    assertThat(task.paths().getFirst().resolve("cpu.max")).doesNotExist();
  }

  @Test
  void signalAllSendsSigtermWhichAProcessMayIgnore() {
    TaskCgroup task = cgroups.create("term", LIMITS);
    Process polite = sandbox.startInside(task, "exec sleep 60");
    Process stubborn = sandbox.startInside(task, "trap '' TERM; exec sleep 60");
    TestCgroupRoot.awaitExec(stubborn, "sleep");

    assertThat(task.signalAll(TaskCgroup.Signal.SIGTERM)).isEqualTo(2);

    await().until(() -> !polite.isAlive());
    await()
        .during(Duration.ofMillis(500))
        .untilAsserted(() -> assertThat(task.pids()).containsExactly(stubborn.pid()));
  }

  @Test
  void killAllUsesCgroupKill() {
    TaskCgroup task = cgroups.create("kill", LIMITS);
    assertThat(task.paths().getFirst().resolve("cgroup.kill")).exists();
    Process stubborn = sandbox.startInside(task, "trap '' TERM; exec sleep 60");
    Process forker = sandbox.startInside(task, "while :; do sleep 60 & sleep 0.01; done");
    await().until(() -> task.pids().size() > 20);

    task.killAll();

    assertThat(task.isEmpty()).isTrue();
    assertThat(task.pids()).isEmpty();
    await().until(() -> !stubborn.isAlive() && !forker.isAlive());
  }

  @Test
  void killAllByFreezingWorksWhereThereIsNoCgroupKill() throws Exception {
    TaskCgroup task = cgroups.create("freeze", LIMITS);
    sandbox.startInside(task, "trap '' TERM; exec sleep 60");
    sandbox.startInside(task, "while :; do sleep 60 & sleep 0.01; done");
    await().until(() -> task.pids().size() > 20);

    ((TaskCgroupV2) task).killAllByFreezing();

    assertThat(task.isEmpty()).isTrue();
    assertThat(Files.readString(task.paths().getFirst().resolve("cgroup.freeze")).trim())
        .isEqualTo("0");
  }

  @Test
  void destroyRemovesItAndIsIdempotent() {
    TaskCgroup task = cgroups.create("gone", LIMITS);
    sandbox.startInside(task, "exec sleep 60");
    task.killAll();

    task.destroy();

    assertThat(task.paths().getFirst()).doesNotExist();
    task.destroy();
    assertThat(cgroups.open("gone")).isEmpty();
  }

  @Test
  void destroyRemovesChildCgroupsATaskMade() throws Exception {
    TaskCgroup task = cgroups.create("nested", LIMITS);
    Path child = Files.createDirectory(task.paths().getFirst().resolve("child"));
    sandbox.startInside(task, "echo 0 > " + child.resolve("cgroup.procs") + "; exec sleep 60");
    await().untilAsserted(() -> assertThat(task.pids()).hasSize(1));

    task.killAll();
    task.destroy();

    assertThat(child).doesNotExist();
    assertThat(task.paths().getFirst()).doesNotExist();
  }

  @Test
  void aNewInstanceListsAndOpensExistingCgroupsAsAfterARestart() {
    Process sleeper = sandbox.startInside(cgroups.create("kept", LIMITS), "exec sleep 60");
    TaskCgroup supervisors = cgroups.supervisors();
    Process supervisor = sandbox.startInside(supervisors, "exec sleep 60");

    CgroupsV2 restarted = new CgroupsV2(UNIFIED, sandbox.root, List.of());

    assertThat(restarted.list()).containsExactly("kept");
    assertThat(restarted.open("kept").orElseThrow().pids()).containsExactly(sleeper.pid());
    assertThat(restarted.supervisors().pids()).containsExactly(supervisor.pid());
    assertThat(supervisors.paths().getFirst())
        .isEqualTo(UNIFIED.resolve(sandbox.root).resolve("supervisors"));
  }
}
