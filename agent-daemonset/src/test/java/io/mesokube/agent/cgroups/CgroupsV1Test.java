package io.mesokube.agent.cgroups;

import static io.mesokube.agent.cgroups.TestCgroupRoot.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cgroup v1 on the machine's real hierarchies (cpu and cpuacct mounted apart here): limits as
 * written, a process joining, CPU quota, OOM kill, pids limit, killing and removal.
 */
class CgroupsV1Test {
  private static final long MIB = 1 << 20;

  private final Map<String, Path> mounts = new HashMap<>();
  private TestCgroupRoot sandbox;
  private CgroupsV1 cgroups;

  @BeforeEach
  void setUp() throws Exception {
    for (CgroupsDetector.Mount mount :
        CgroupsDetector.parse(Files.readString(Path.of("/proc/self/mountinfo")))) {
      mount.options().forEach(option -> mounts.putIfAbsent(option, mount.mountPoint()));
    }
    assertThat(mounts)
        .as("cgroup v1 hierarchies mounted (CI runs on a machine with them)")
        .containsKeys(CgroupsV1.CONTROLLERS.toArray(String[]::new));
    sandbox = new TestCgroupRoot(List.copyOf(new LinkedHashSet<>(mounts.values())));
    cgroups = (CgroupsV1) Cgroups.detect("v1", sandbox.root);
  }

  @AfterEach
  void tearDown() throws Exception {
    sandbox.close();
  }

  private static String read(Path dir, String file) throws Exception {
    return Files.readString(dir.resolve(file)).trim();
  }

  /** Where task cgroup {@code name} lives in the hierarchy of {@code controller}. */
  private Path dir(String name, String controller) {
    return mounts.get(controller).resolve(sandbox.root).resolve("task").resolve(name);
  }

  private Path dir(TaskCgroup cgroup, String controller) {
    return dir(cgroup.name(), controller);
  }

  @Test
  void createWritesLimitsAndUpdateReplacesThem() throws Exception {
    TaskCgroup task = cgroups.create("limits", Limits.of(1.5, 64 * MIB).withPidsMax(100));

    assertThat(read(dir(task, "cpu"), "cpu.shares")).isEqualTo("1536");
    assertThat(read(dir(task, "cpu"), "cpu.cfs_period_us")).isEqualTo("100000");
    assertThat(read(dir(task, "cpu"), "cpu.cfs_quota_us")).isEqualTo("150000");
    Path memory = dir(task, "memory");
    assertThat(read(memory, "memory.limit_in_bytes")).isEqualTo("67108864");
    assertThat(read(memory, "memory.memsw.limit_in_bytes")).isEqualTo("67108864");
    assertThat(read(memory, "memory.soft_limit_in_bytes")).isEqualTo("67108864");
    assertThat(read(dir(task, "pids"), "pids.max")).isEqualTo("100");

    // Raising needs memory+swap raised first, lowering needs it lowered last: the kernel refuses
    // either in the wrong order, so both directions are exercised.
    task.update(new Limits(0.25, 128 * MIB, OptionalLong.empty(), false));
    assertThat(read(dir(task, "cpu"), "cpu.shares")).isEqualTo("256");
    assertThat(read(dir(task, "cpu"), "cpu.cfs_quota_us")).isEqualTo("-1");
    assertThat(read(memory, "memory.limit_in_bytes")).isEqualTo("134217728");
    assertThat(read(memory, "memory.memsw.limit_in_bytes")).isEqualTo("134217728");
    assertThat(read(dir(task, "pids"), "pids.max")).isEqualTo("max");
    task.update(Limits.of(0.25, 32 * MIB));
    assertThat(read(memory, "memory.memsw.limit_in_bytes")).isEqualTo("33554432");
    assertThat(task.stats().memoryLimitBytes()).hasValue(32 * MIB);
  }

  @Test
  void aProcessJoinsEveryHierarchy() throws Exception {
    TaskCgroup task = cgroups.create("join", Limits.of(1, 64 * MIB));
    assertThat(task.procsFiles()).hasSize(5).doesNotHaveDuplicates();

    Process sleeper = sandbox.startInside(task, "exec sleep 60");

    String membership = Files.readString(Path.of("/proc", Long.toString(sleeper.pid()), "cgroup"));
    for (String controller : CgroupsV1.CONTROLLERS) {
      assertThat(membership).contains(":" + controller + ":/" + sandbox.root + "/task/join\n");
    }
    assertThat(task.pids()).containsExactly(sleeper.pid());
    assertThat(task.stats().pidsCurrent()).hasValue(1);
    assertThat(task.isEmpty()).isFalse();
  }

  @Test
  void assignMovesARunningProcessWithItsThreads() throws Exception {
    TaskCgroup from = cgroups.create("from", Limits.of(1, 64 * MIB));
    TaskCgroup to = cgroups.create("to", Limits.of(1, 64 * MIB));
    Process sleeper = sandbox.startInside(from, "exec sleep 60");

    to.assign(sleeper.pid());

    assertThat(from.isEmpty()).isTrue();
    assertThat(to.pids()).containsExactly(sleeper.pid());
  }

  @Test
  void cpuQuotaHoldsABusyLoopToHalfACore() {
    TaskCgroup task = cgroups.create("cpu", Limits.of(0.5, 64 * MIB));
    sandbox.startInside(task, "while :; do :; done");
    await().until(() -> task.stats().cpuUsageNanos() > Duration.ofMillis(50).toNanos());

    long startWall = System.nanoTime();
    long startCpu = task.stats().cpuUsageNanos();
    long[] sample = new long[2];
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              sample[0] = System.nanoTime() - startWall;
              sample[1] = task.stats().cpuUsageNanos() - startCpu;
              return sample[0] >= Duration.ofSeconds(2).toNanos();
            });

    double cores = (double) sample[1] / sample[0];

    assertThat(cores).as("cores used under a 0.5 cpu quota").isBetween(0.3, 0.7);
    assertThat(task.stats().cpuThrottledPeriods().orElseThrow()).isPositive();
    assertThat(task.stats().cpuThrottledNanos().orElseThrow()).isPositive();
  }

  @Test
  void allocatingPastTheMemoryLimitIsOomKilled() throws Exception {
    TaskCgroup task = cgroups.create("oom", Limits.of(1, 64 * MIB));
    assertThat(task.oomKilled()).isFalse();

    // tail keeps everything since the last newline, and /dev/zero has none: 300 MiB of heap.
    Process hog = sandbox.start(task, "head -c 300M /dev/zero | tail");

    assertThat(hog.waitFor()).as("exit status of the pipeline").isEqualTo(128 + 9);
    assertThat(task.oomKilled()).isTrue();
    CgroupStats stats = task.stats();
    assertThat(stats.oomKills().orElseThrow()).isPositive();
    assertThat(stats.memoryMaxUsageBytes().orElseThrow()).isBetween(32 * MIB, 64 * MIB);
  }

  @Test
  void pidsLimitRefusesForks() throws Exception {
    TaskCgroup task = cgroups.create("pids", Limits.of(1, 64 * MIB).withPidsMax(4));

    Process forker =
        sandbox.start(task, "i=0; while [ $i -lt 10 ]; do sleep 60 & i=$((i+1)); done; wait");

    assertThat(forker.waitFor()).as("exit status of the shell").isNotZero();
    // The shell and three sleeps made four; the fourth sleep was refused, and the shell has left.
    assertThat(task.pids()).hasSize(3);
    task.killAll();
    // Read only now: the sleeps held the shell's stderr open.
    assertThat(new String(forker.getErrorStream().readAllBytes())).containsIgnoringCase("fork");
  }

  @Test
  void signalAllSendsSigtermWhichAProcessMayIgnore() {
    TaskCgroup task = cgroups.create("term", Limits.of(1, 64 * MIB));
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
  void killAllEmptiesItDespiteIgnoredSigtermAndForking() throws Exception {
    TaskCgroup task = cgroups.create("kill", Limits.of(1, 64 * MIB).withPidsMax(500));
    Process stubborn = sandbox.startInside(task, "trap '' TERM; exec sleep 60");
    Process forker = sandbox.startInside(task, "while :; do sleep 60 & sleep 0.01; done");
    await().until(() -> task.pids().size() > 20);

    task.killAll();

    assertThat(task.isEmpty()).isTrue();
    assertThat(task.pids()).isEmpty();
    await().until(() -> !stubborn.isAlive() && !forker.isAlive());
    assertThat(read(dir(task, "freezer"), "freezer.state")).isEqualTo("THAWED");
  }

  @Test
  void destroyRemovesItFromEveryHierarchyAndIsIdempotent() {
    TaskCgroup task = cgroups.create("gone", Limits.of(1, 64 * MIB));
    sandbox.startInside(task, "exec sleep 60");
    assertThat(task.paths()).hasSize(5).allSatisfy(p -> assertThat(p).isDirectory());

    task.killAll();
    task.destroy();

    assertThat(task.paths()).allSatisfy(p -> assertThat(p).doesNotExist());
    task.destroy();
    assertThat(cgroups.open("gone")).isEmpty();
    assertThat(cgroups.list()).doesNotContain("gone");
  }

  @Test
  void aNewInstanceListsAndOpensExistingCgroupsAsAfterARestart() {
    TaskCgroup before = cgroups.create("kept", Limits.of(1, 64 * MIB));
    Process sleeper = sandbox.startInside(before, "exec sleep 60");
    cgroups.create("other", Limits.of(1, 64 * MIB));
    cgroups.supervisors();

    Cgroups restarted = Cgroups.detect("auto", sandbox.root);

    assertThat(restarted.list()).containsExactly("kept", "other");
    TaskCgroup after = restarted.open("kept").orElseThrow();
    assertThat(after.pids()).containsExactly(sleeper.pid());
    assertThat(after.paths()).isEqualTo(before.paths());
    assertThat(restarted.open("never")).isEmpty();
  }

  @Test
  void supervisorsAreOutsideTheTasksAndUnlimited() throws Exception {
    cgroups.create("limited", Limits.of(0.5, 64 * MIB).withPidsMax(10));
    TaskCgroup supervisors = cgroups.supervisors();

    Process supervisor = sandbox.startInside(supervisors, "exec sleep 60");

    assertThat(supervisors.paths())
        .allSatisfy(p -> assertThat(p.toString()).endsWith(sandbox.root + "/supervisors"));
    Path memory = mounts.get("memory").resolve(sandbox.root).resolve("supervisors");
    assertThat(read(memory, "memory.limit_in_bytes")).isEqualTo("9223372036854771712");
    assertThat(supervisors.stats().memoryLimitBytes()).isEmpty();
    assertThat(cgroups.list()).containsExactly("limited");
    assertThat(cgroups.supervisors().pids()).containsExactly(supervisor.pid());
  }

  @Test
  void aFailedMkdirLeavesNothingBehind() throws Exception {
    // Already there in the pids hierarchy alone: mkdir fails there after cpu, cpuacct and memory.
    Path squatter = dir("taken", "pids");
    Files.createDirectories(squatter);

    assertThatThrownBy(() -> cgroups.create("taken", Limits.of(1, 64 * MIB)))
        .isInstanceOf(CgroupException.class)
        .hasMessageContaining(squatter.toString())
        .hasMessageContaining("File exists");

    assertThat(squatter).isDirectory();
    for (String controller : List.of("cpu", "cpuacct", "memory", "freezer")) {
      assertThat(dir("taken", controller)).doesNotExist();
    }
  }

  @Test
  void aLimitTheKernelRefusesLeavesNothingBehind() {
    // A quota of 10^14 us per period is past the kernel's maximum.
    assertThatThrownBy(() -> cgroups.create("refused", Limits.of(1e9, 64 * MIB)))
        .isInstanceOf(CgroupException.class)
        .hasMessageContaining(dir("refused", "cpu").resolve("cpu.cfs_quota_us").toString())
        .hasMessageContaining("Invalid argument");

    for (String controller : CgroupsV1.CONTROLLERS) {
      assertThat(dir("refused", controller)).doesNotExist();
    }
    assertThat(cgroups.list()).isEmpty();
  }

  @Test
  void aNameTakenByAControlFileIsRefusedByTheKernelAndNotMistakenForACgroup() {
    cgroups.create("first", Limits.of(1, MIB));

    assertThatThrownBy(() -> cgroups.create("tasks", Limits.of(1, MIB)))
        .isInstanceOf(CgroupException.class)
        .hasMessageContaining("File exists");
    assertThat(cgroups.open("tasks")).isEmpty();
    assertThat(cgroups.list()).containsExactly("first");
  }

  @Test
  void rejectsBadNames() {
    for (String name : List.of("", ".", "..", "a/b", "a..b", "../x", "a b", "\u00e4")) {
      assertThatThrownBy(() -> cgroups.create(name, Limits.of(1, MIB)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not a valid cgroup name");
    }
    assertThat(cgroups.list()).isEmpty();
  }
}
