package io.mesokube.agent.cgroups;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cgroup v1 in the layout this machine does not have: cpu and cpuacct in one hierarchy, and no swap
 * accounting (no {@code memory.memsw.*} files, as with {@code swapaccount=0}). The files are copies
 * of this kernel's.
 */
class CgroupsV1FakeTreeTest {
  private static final long MIB = 1 << 20;

  @TempDir Path tmp;
  private final FakeCgroupFs fs = new FakeCgroupFs();
  private Path cpu;
  private CgroupsV1 cgroups;

  @BeforeEach
  void setUp() {
    Path base = tmp.resolve("sys/fs/cgroup");
    for (String hierarchy : List.of("cpu,cpuacct", "memory", "pids", "freezer")) {
      fs.mount(base.resolve(hierarchy), "v1/" + hierarchy, "v1/" + hierarchy);
    }
    cpu = base.resolve("cpu,cpuacct");
    cgroups =
        new CgroupsV1(
            Map.of(
                "cpu", cpu,
                "cpuacct", cpu,
                "memory", base.resolve("memory"),
                "pids", base.resolve("pids"),
                "freezer", base.resolve("freezer")),
            "mesokube/agent-1",
            fs);
  }

  @Test
  void aSharedHierarchyIsCreatedAndJoinedOnce() throws Exception {
    TaskCgroup task = cgroups.create("web-1", Limits.of(2, 128 * MIB).withPidsMax(50));

    Path dir = cpu.resolve("mesokube/agent-1/task/web-1");
    assertThat(task.paths()).hasSize(4).first().isEqualTo(dir);
    assertThat(task.procsFiles()).hasSize(4).doesNotHaveDuplicates();
    assertThat(Files.readString(dir.resolve("cpu.shares"))).isEqualTo("2048\n");
    assertThat(Files.readString(dir.resolve("cpu.cfs_quota_us"))).isEqualTo("200000\n");
  }

  @Test
  void withoutSwapAccountingOnlyTheMemoryLimitIsWritten() {
    TaskCgroup task = cgroups.create("web-1", Limits.of(1, 128 * MIB));

    assertThat(fs.writes)
        .filteredOn(w -> w.contains("memory."))
        .map(w -> w.substring(w.lastIndexOf('/') + 1))
        .containsExactly("memory.limit_in_bytes=134217728", "memory.soft_limit_in_bytes=134217728");
    assertThat(task.paths().get(1).resolve("memory.memsw.limit_in_bytes")).doesNotExist();
  }

  @Test
  void statsComeFromTheSharedHierarchy() {
    TaskCgroup task = cgroups.create("web-1", Limits.of(1, 128 * MIB));
    Path dir = task.paths().getFirst();
    fs.set(dir.resolve("cpuacct.usage"), "98765432100\n");
    fs.set(
        dir.resolve("cpu.stat"),
        "nr_periods 120\nnr_throttled 30\nthrottled_time 1500000000\nnr_bursts 0\nburst_time 0\n");
    Path memory = task.paths().get(1);
    fs.set(memory.resolve("memory.usage_in_bytes"), "52428800\n");
    fs.set(memory.resolve("memory.max_usage_in_bytes"), "104857600\n");
    fs.set(memory.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 3\n");
    fs.set(task.paths().get(2).resolve("pids.current"), "12\n");

    assertThat(task.stats())
        .isEqualTo(
            new CgroupStats(
                98_765_432_100L,
                OptionalLong.of(1_500_000_000L),
                OptionalLong.of(30),
                OptionalLong.of(120),
                OptionalLong.of(50 * MIB),
                OptionalLong.of(128 * MIB),
                OptionalLong.of(100 * MIB),
                OptionalLong.of(3),
                OptionalLong.of(12)));
    assertThat(task.oomKilled()).isTrue();
  }

  @Test
  void theAgentsOwnCgroupGoesOnceNoTaskCgroupIsLeftAndItsParentOnceEmpty() {
    TaskCgroup task = cgroups.create("web-1", Limits.of(1, 128 * MIB));
    cgroups.supervisors();
    Path own = cpu.resolve("mesokube/agent-1");

    assertThat(cgroups.removeOwn(true))
        .as("a task cgroup keeps the tasks' parent and the agent's cgroup")
        .contains(own.resolve("task"), own)
        .hasSize(8);
    assertThat(own.resolve("supervisors")).doesNotExist();
    assertThat(own.resolve("task/web-1")).isDirectory();

    task.destroy();
    new CgroupsV1(
            Map.of(
                "cpu", cpu,
                "cpuacct", cpu,
                "memory", cpu.resolveSibling("memory"),
                "pids", cpu.resolveSibling("pids"),
                "freezer", cpu.resolveSibling("freezer")),
            "mesokube/agent-2",
            fs)
        .supervisors();
    assertThat(cgroups.removeOwn(true)).isEmpty();
    assertThat(own).doesNotExist();
    assertThat(cpu.resolve("mesokube")).as("another agent's cgroup is in it").isDirectory();

    cgroups.supervisors();
    assertThat(cgroups.removeOwn(false)).isEmpty();
    assertThat(cpu.resolve("mesokube/agent-1")).doesNotExist();
  }

  @Test
  void anEmptyParentGoesWithTheAgentsCgroup() {
    cgroups.supervisors();
    assertThat(cgroups.removeOwn(true)).isEmpty();
    assertThat(cpu.resolve("mesokube")).doesNotExist();
    assertThat(cpu).isDirectory();
  }
}
