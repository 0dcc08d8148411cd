package io.mesokube.agent.cgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Picking the cgroup version from mountinfo: this machine's own, and the usual layouts written out
 * over fake trees (cpu and cpuacct in one hierarchy as most v1 distributions mount them; a pure v2
 * host; a container seeing the host's cgroups under another path).
 */
class CgroupsDetectorTest {
  @TempDir Path tmp;
  private final FakeCgroupFs fs = new FakeCgroupFs();
  private Path base;

  @BeforeEach
  void setUp() {
    base = tmp.resolve("sys/fs/cgroup");
  }

  private Cgroups detect(String mode, String mountinfo) throws Exception {
    Path file =
        Files.writeString(tmp.resolve("mountinfo"), mountinfo.replace("$BASE", base.toString()));
    return new CgroupsDetector(base, file, fs).detect(mode, "mesokube/agent-1");
  }

  private void mountV1() {
    for (String hierarchy : List.of("cpu,cpuacct", "memory", "pids", "freezer")) {
      fs.mount(base.resolve(hierarchy), "v1/" + hierarchy, "v1/" + hierarchy);
    }
  }

  /** Debian 10 / CentOS 7 style: systemd's hybrid layout with cpu,cpuacct in one hierarchy. */
  private static final String COMBINED_V1 =
      """
      25 30 0:23 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
      31 25 0:27 / $BASE ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755
      32 31 0:28 / $BASE/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw,nsdelegate
      33 31 0:29 / $BASE/systemd rw,nosuid,nodev,noexec,relatime shared:11 - cgroup cgroup rw,xattr,name=systemd
      36 31 0:32 / $BASE/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:15 - cgroup cgroup rw,cpu,cpuacct
      37 31 0:33 / $BASE/memory rw,nosuid,nodev,noexec,relatime shared:16 - cgroup cgroup rw,memory
      38 31 0:34 / $BASE/net_cls,net_prio rw,nosuid,nodev,noexec,relatime shared:17 - cgroup cgroup rw,net_cls,net_prio
      39 31 0:35 / $BASE/pids rw,nosuid,nodev,noexec,relatime shared:18 - cgroup cgroup rw,pids
      40 31 0:36 / $BASE/freezer rw,nosuid,nodev,noexec,relatime shared:19 - cgroup cgroup rw,freezer
      """;

  /** Debian 12 / Ubuntu 22.04 style: cgroup2 alone. */
  private static final String PURE_V2 =
      """
      22 26 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
      27 22 0:24 / $BASE rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
      """;

  @Test
  void thisMachinesHierarchiesAreV1WithCpuAndCpuacctApart() {
    Cgroups cgroups = Cgroups.detect("auto", "mesokube/agent-1");

    assertThat(cgroups).isInstanceOf(CgroupsV1.class);
    assertThat(cgroups.hierarchies())
        .containsExactly(
            Path.of("/sys/fs/cgroup/cpu"),
            Path.of("/sys/fs/cgroup/cpuacct"),
            Path.of("/sys/fs/cgroup/memory"),
            Path.of("/sys/fs/cgroup/pids"),
            Path.of("/sys/fs/cgroup/freezer"));
    // The rest, whose root cgroups a supervisor joins to leave an agent pod's cgroups.
    assertThat(cgroups.otherHierarchies())
        .contains(
            Path.of("/sys/fs/cgroup/devices"),
            Path.of("/sys/fs/cgroup/blkio"),
            Path.of("/sys/fs/cgroup/cpuset"),
            Path.of("/sys/fs/cgroup/systemd"),
            Path.of("/sys/fs/cgroup/unified"))
        .doesNotContainAnyElementsOf(cgroups.hierarchies());
    assertThatThrownBy(() -> Cgroups.detect("v2", "mesokube/agent-1"))
        .isInstanceOf(CgroupException.class)
        .hasMessage("use cgroup v2 at /sys/fs/cgroup: not a cgroup2 mount");
  }

  @Test
  void cpuAndCpuacctInOneHierarchyAreJoinedOnce() throws Exception {
    mountV1();

    Cgroups cgroups = detect("auto", COMBINED_V1);

    assertThat(cgroups.version()).isEqualTo(Cgroups.Version.V1);
    assertThat(cgroups.hierarchies())
        .containsExactly(
            base.resolve("cpu,cpuacct"),
            base.resolve("memory"),
            base.resolve("pids"),
            base.resolve("freezer"));
    assertThat(detect("v1", COMBINED_V1).hierarchies()).hasSize(4);
  }

  @Test
  void aCgroup2MountWithTheControllersIsV2() throws Exception {
    fs.mount(base, "v2/root", "v2/child");

    Cgroups cgroups = detect("auto", PURE_V2);

    assertThat(cgroups).isInstanceOf(CgroupsV2.class);
    assertThat(cgroups.hierarchies()).containsExactly(base);
    assertThat(((CgroupsV2) cgroups).controllers()).containsExactly("cpu", "memory", "pids");
  }

  @Test
  void aCgroup2MountLackingAControllerFallsBackToV1OrFails() throws Exception {
    fs.mount(base, "v2/root", "v2/child");
    fs.set(base.resolve("cgroup.controllers"), "cpuset cpu io hugetlb pids\n");

    assertThatThrownBy(() -> detect("auto", PURE_V2))
        .isInstanceOf(CgroupException.class)
        .hasMessageContaining("cgroup2 lacks controllers and v1 has only []");
    assertThatThrownBy(() -> detect("v2", PURE_V2))
        .isInstanceOf(CgroupException.class)
        .hasMessageContaining("[memory]");
    assertThatThrownBy(() -> detect("v1", PURE_V2))
        .isInstanceOf(CgroupException.class)
        .hasMessageContaining("no mount of [cpu, cpuacct, memory, pids, freezer]");
  }

  @Test
  void onlyMountsUnderTheBaseCount() throws Exception {
    mountV1();
    String hostAndContainer =
        COMBINED_V1
            + """
            50 31 0:40 / /host/cgroup/memory rw,relatime - cgroup cgroup rw,memory
            51 31 0:41 / /host/cgroup/pids rw,relatime - cgroup cgroup rw,pids
            """;

    assertThat(detect("auto", hostAndContainer).hierarchies())
        .allSatisfy(h -> assertThat(h).startsWith(base));
  }

  @Test
  void anUnknownModeIsRefused() {
    assertThatThrownBy(() -> detect("v3", PURE_V2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("auto, v1 or v2");
  }

  @Test
  void mountPointsAreUnescaped() {
    List<CgroupsDetector.Mount> mounts =
        CgroupsDetector.parse(
            "40 31 0:36 / /mnt/my\\040cgroups rw,relatime shared:19 master:2 - cgroup cg rw,freezer\n"
                + "41 31 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n"
                + "42 31 0:38 / /proc rw - proc proc rw\n");

    assertThat(mounts)
        .containsExactly(
            new CgroupsDetector.Mount(Path.of("/mnt/my cgroups"), false, Set.of("rw", "freezer")),
            new CgroupsDetector.Mount(Path.of("/sys/fs/cgroup/unified"), true, Set.of("rw")));
  }
}
