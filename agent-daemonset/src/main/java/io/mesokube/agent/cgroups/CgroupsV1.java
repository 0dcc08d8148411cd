package io.mesokube.agent.cgroups;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cgroup v1 hierarchies the agent uses, one mount per controller or several controllers per
 * mount (the common {@code cpu,cpuacct}); a process joins a cgroup in each.
 */
public final class CgroupsV1 extends Cgroups {
  /** The controllers the agent needs: limits, accounting, and freezer for killing. */
  public static final List<String> CONTROLLERS =
      List.of("cpu", "cpuacct", "memory", "pids", "freezer");

  private final Map<String, Path> mounts;

  /** {@code mounts}: the mount point of each of {@link #CONTROLLERS}; more are ignored. */
  public CgroupsV1(Map<String, Path> mounts, String root) {
    this(mounts, root, CgroupFiles.REAL);
  }

  CgroupsV1(Map<String, Path> mounts, String root, CgroupFiles files) {
    super(root, files);
    Map<String, Path> needed = new LinkedHashMap<>();
    for (String controller : CONTROLLERS) {
      Path mount = mounts.get(controller);
      if (mount == null) {
        throw new IllegalArgumentException("no mount point for cgroup v1 controller " + controller);
      }
      if (!files.exists(mount.resolve(TaskCgroup.PROCS))) {
        throw new CgroupException("use " + controller + " hierarchy", mount, "not a cgroup mount");
      }
      needed.put(controller, mount);
    }
    this.mounts = needed;
  }

  @Override
  public Version version() {
    return Version.V1;
  }

  /** The distinct mount points, in the order of {@link #CONTROLLERS}. */
  @Override
  public List<Path> hierarchies() {
    return mounts.values().stream().distinct().toList();
  }

  @Override
  TaskCgroup handle(String name, Path relative) {
    Map<String, Path> dirs = new LinkedHashMap<>();
    mounts.forEach((controller, mount) -> dirs.put(controller, mount.resolve(relative)));
    return new TaskCgroupV1(name, files, dirs);
  }
}
