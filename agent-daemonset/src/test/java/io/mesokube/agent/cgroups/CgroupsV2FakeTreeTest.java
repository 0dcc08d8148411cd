package io.mesokube.agent.cgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cgroup v2 limits and stats against a fake tree laid out as a kernel 6.x cgroup2 mount that owns
 * every controller: this machine's cgroup2 mount has no cpu, memory or pids controller to try them
 * on (see {@link CgroupsV2UnifiedTest} for what runs for real).
 */
class CgroupsV2FakeTreeTest {
  private static final long MIB = 1 << 20;

  @TempDir Path tmp;
  private final FakeCgroupFs fs = new FakeCgroupFs();
  private Path mount;

  @BeforeEach
  void setUp() {
    mount = tmp.resolve("sys/fs/cgroup");
    fs.mount(mount, "v2/root", "v2/child");
  }

  private CgroupsV2 cgroups() {
    return new CgroupsV2(mount, "mesokube/agent-1", CgroupsV2.CONTROLLERS, fs);
  }

  private String read(Path dir, String file) throws Exception {
    return Files.readString(dir.resolve(file)).trim();
  }

  @Test
  void createEnablesTheControllersTopDownAndWritesTheLimits() throws Exception {
    TaskCgroup task = cgroups().create("web-1", Limits.of(1, 256 * MIB).withPidsMax(64));

    for (String ancestor :
        new String[] {"", "mesokube", "mesokube/agent-1", "mesokube/agent-1/task"}) {
      assertThat(read(mount.resolve(ancestor), "cgroup.subtree_control"))
          .as("subtree_control of /%s", ancestor)
          .isEqualTo("cpu memory pids");
    }
    Path dir = mount.resolve("mesokube/agent-1/task/web-1");
    assertThat(task.paths()).containsExactly(dir);
    assertThat(task.procsFiles()).containsExactly(dir.resolve("cgroup.procs"));
    assertThat(read(dir, "cgroup.controllers")).isEqualTo("cpu memory pids");
    assertThat(read(dir, "cgroup.subtree_control")).isEmpty();
    assertThat(read(dir, "cpu.weight")).isEqualTo("39");
    assertThat(read(dir, "cpu.max")).isEqualTo("100000 100000");
    assertThat(read(dir, "memory.max")).isEqualTo("268435456");
    assertThat(read(dir, "memory.swap.max")).isEqualTo("0");
    assertThat(read(dir, "pids.max")).isEqualTo("64");
    assertThat(fs.writes).contains(mount.resolve("cgroup.subtree_control") + "=+cpu +memory +pids");
  }

  @Test
  void aSecondCreateEnablesNothingTwice() {
    CgroupsV2 cgroups = cgroups();
    cgroups.create("a", Limits.of(1, 64 * MIB));
    fs.writes.clear();

    cgroups.create("b", Limits.of(1, 64 * MIB));

    assertThat(fs.writes).noneMatch(w -> w.contains("cgroup.subtree_control"));
  }

  @Test
  void updateReplacesTheLimits() throws Exception {
    TaskCgroup task = cgroups().create("web-1", Limits.of(1, 256 * MIB).withPidsMax(64));

    task.update(new Limits(2.5, 1024 * MIB, OptionalLong.empty(), false));

    Path dir = task.paths().getFirst();
    assertThat(read(dir, "cpu.weight")).isEqualTo("98");
    assertThat(read(dir, "cpu.max")).isEqualTo("max 100000");
    assertThat(read(dir, "memory.max")).isEqualTo("1073741824");
    assertThat(read(dir, "pids.max")).isEqualTo("max");
  }

  @Test
  void withoutSwapAccountingThereIsNoSwapLimitToWrite() {
    fs.omit("memory.swap.max");

    TaskCgroup task = cgroups().create("web-1", Limits.of(1, 64 * MIB));

    assertThat(task.paths().getFirst().resolve("memory.max")).hasContent("67108864");
    assertThat(fs.writes).noneMatch(w -> w.contains("memory.swap.max"));
  }

  @Test
  void statsReadWhatTheKernelReports() {
    TaskCgroup task = cgroups().create("web-1", Limits.of(0.5, 64 * MIB));
    Path dir = task.paths().getFirst();
    fs.set(
        dir.resolve("cpu.stat"),
        """
        usage_usec 2512345
        user_usec 2400000
        system_usec 112345
        nice_usec 0
        nr_periods 50
        nr_throttled 24
        throttled_usec 1204567
        nr_bursts 0
        burst_usec 0
        """);
    fs.set(dir.resolve("memory.current"), "66998272\n");
    fs.set(dir.resolve("memory.peak"), "67108864\n");
    fs.set(
        dir.resolve("memory.events"),
        "low 0\nhigh 0\nmax 311\noom 2\noom_kill 2\noom_group_kill 0\n");
    fs.set(dir.resolve("pids.current"), "7\n");

    assertThat(task.stats())
        .isEqualTo(
            new CgroupStats(
                2_512_345_000L,
                OptionalLong.of(1_204_567_000L),
                OptionalLong.of(24),
                OptionalLong.of(50),
                OptionalLong.of(66_998_272),
                OptionalLong.of(64 * MIB),
                OptionalLong.of(64 * MIB),
                OptionalLong.of(2),
                OptionalLong.of(7)));
    assertThat(task.oomKilled()).isTrue();
  }

  @Test
  void aFreshCgroupIsNotOomKilled() {
    assertThat(cgroups().create("web-1", Limits.of(1, 64 * MIB)).oomKilled()).isFalse();
  }

  @Test
  void theSupervisorsCgroupHasTheControllersButNoLimits() throws Exception {
    CgroupsV2 cgroups = cgroups();
    cgroups.create("web-1", Limits.of(0.5, 64 * MIB).withPidsMax(10));

    TaskCgroup supervisors = cgroups.supervisors();

    Path dir = mount.resolve("mesokube/agent-1/supervisors");
    assertThat(supervisors.paths()).containsExactly(dir);
    assertThat(read(dir, "cgroup.controllers")).isEqualTo("cpu memory pids");
    assertThat(read(dir, "cpu.max")).isEqualTo("max 100000");
    assertThat(read(dir, "memory.max")).isEqualTo("max");
    assertThat(supervisors.stats().memoryLimitBytes()).isEmpty();
    assertThat(cgroups.list()).containsExactly("web-1");
  }

  @Test
  void killAllHasTheKernelKillTheWholeCgroup() {
    TaskCgroup task = cgroups().create("web-1", Limits.of(1, 64 * MIB));
    fs.set(task.procsFiles().getFirst(), "4194301\n4194302\n");
    fs.set(task.paths().getFirst().resolve("cgroup.events"), "populated 1\nfrozen 0\n");

    task.killAll();

    assertThat(task.isEmpty()).isTrue();
    assertThat(fs.writes).contains(task.paths().getFirst().resolve("cgroup.kill") + "=1");
    assertThat(fs.writes).noneMatch(w -> w.contains("cgroup.freeze"));
  }

  @Test
  void aLimitTheKernelRefusesLeavesNothingBehind() {
    CgroupsV2 cgroups = cgroups();
    fs.failWrites("memory.max", "Device or resource busy");

    assertThatThrownBy(() -> cgroups.create("web-1", Limits.of(1, 64 * MIB)))
        .isInstanceOf(CgroupException.class)
        .hasMessageContaining(mount.resolve("mesokube/agent-1/task/web-1/memory.max").toString())
        .hasMessageContaining("Device or resource busy");

    assertThat(mount.resolve("mesokube/agent-1/task/web-1")).doesNotExist();
    assertThat(cgroups.list()).isEmpty();
    assertThat(cgroups.open("web-1")).isEmpty();
  }

  @Test
  void destroyRemovesItAndIsIdempotent() {
    TaskCgroup task = cgroups().create("web-1", Limits.of(1, 64 * MIB));

    task.destroy();
    task.destroy();

    assertThat(task.paths().getFirst()).doesNotExist();
  }

  @Test
  void aMountWithoutTheControllersIsRefused() {
    fs.set(mount.resolve("cgroup.controllers"), "cpuset cpu io hugetlb rdma misc\n");

    assertThatThrownBy(this::cgroups)
        .isInstanceOf(CgroupException.class)
        .hasMessageContaining("[memory, pids]")
        .hasMessageContaining(mount.toString());
  }
}
