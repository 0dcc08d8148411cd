package io.mesokube.agent.cgroups;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The agent's part of the cgroup hierarchy (or hierarchies, on v1): under its root, {@code
 * task/<name>} per task and one {@code supervisors} cgroup for the tasks' supervisor processes,
 * which the tasks' limits must not constrain.
 */
public abstract sealed class Cgroups permits CgroupsV1, CgroupsV2 {
  /** Which cgroup interface the kernel offers. */
  public enum Version {
    V1,
    V2
  }

  // Not "tasks": every v1 cgroup has a control file of that name.
  static final String TASKS = "task";
  static final String SUPERVISORS = "supervisors";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");
  // How long removing the agent's cgroup waits for the last supervisors to leave theirs.
  private static final Duration RMDIR_WAIT = Duration.ofSeconds(5);

  private final String root;
  final CgroupFiles files;
  private volatile List<Path> otherHierarchies = List.of();

  Cgroups(String root, CgroupFiles files) {
    for (String segment : root.split("/", -1)) {
      requireValidName(segment);
    }
    this.root = root;
    this.files = files;
  }

  /**
   * The hierarchy to use: {@code mode} "v1" or "v2" forces one, "auto" prefers v2 when {@code
   * /sys/fs/cgroup} is a cgroup2 mount with the cpu, memory and pids controllers, else v1 when cpu,
   * cpuacct, memory, pids and freezer are mounted under it.
   */
  public static Cgroups detect(String mode, String root) {
    return detect(mode, root, Path.of("/sys/fs/cgroup"), Path.of("/proc/self/mountinfo"));
  }

  /** As {@link #detect(String, String)}, with the cgroup mounts under {@code base}. */
  public static Cgroups detect(String mode, String root, Path base, Path mountinfo) {
    return new CgroupsDetector(base, mountinfo, CgroupFiles.REAL).detect(mode, root);
  }

  /**
   * {@code name} if it can name a task's cgroup: letters, digits, '_', '.' and '-', never a path
   * step such as "." or "..".
   */
  public static String requireValidName(String name) {
    if (!NAME.matcher(name).matches() || name.contains("..") || name.equals(".")) {
      throw new IllegalArgumentException("not a valid cgroup name: '" + name + "'");
    }
    return name;
  }

  public abstract Version version();

  /** The agent's cgroup, relative to each hierarchy's mount point, as "mesokube/agent-1". */
  public String root() {
    return root;
  }

  /**
   * The path of task cgroup {@code name} relative to each hierarchy's mount point, absolute as an
   * OCI runtime's {@code linux.cgroupsPath} wants it: "/mesokube/agent-1/task/NAME".
   */
  public String taskPath(String name) {
    return "/" + Path.of(root, TASKS, requireValidName(name));
  }

  /** Creates task cgroup {@code name} with {@code limits}; on failure, nothing of it remains. */
  public TaskCgroup create(String name, Limits limits) {
    Path relative = Path.of(root, TASKS, requireValidName(name));
    prepareParent(relative.getParent());
    List<Path> created = new ArrayList<>();
    try {
      for (Path hierarchy : hierarchies()) {
        files.mkdir(hierarchy.resolve(relative));
        created.add(hierarchy.resolve(relative));
      }
      TaskCgroup cgroup = handle(name, relative);
      cgroup.update(limits);
      return cgroup;
    } catch (RuntimeException e) {
      for (Path dir : created.reversed()) {
        try {
          files.rmdir(dir);
        } catch (CgroupException undone) {
          e.addSuppressed(undone);
        }
      }
      throw e;
    }
  }

  /**
   * Task cgroup {@code name} if it exists in any hierarchy; a handle on one half-made by a crash
   * still serves to destroy it.
   */
  public Optional<TaskCgroup> open(String name) {
    Path relative = Path.of(root, TASKS, requireValidName(name));
    return hierarchies().stream().anyMatch(h -> files.isDirectory(h.resolve(relative)))
        ? Optional.of(handle(name, relative))
        : Optional.empty();
  }

  /** The names of the task cgroups that exist, in any hierarchy. */
  public List<String> list() {
    TreeSet<String> names = new TreeSet<>();
    for (Path hierarchy : hierarchies()) {
      for (Path dir : files.subdirectories(hierarchy.resolve(root).resolve(TASKS))) {
        names.add(dir.getFileName().toString());
      }
    }
    return List.copyOf(names);
  }

  /** The supervisors' cgroup, created without limits if it does not exist. */
  public TaskCgroup supervisors() {
    Path relative = Path.of(root, SUPERVISORS);
    prepareParent(relative.getParent());
    for (Path hierarchy : hierarchies()) {
      mkdirIfAbsent(hierarchy.resolve(relative));
    }
    return handle(SUPERVISORS, relative);
  }

  /**
   * Removes the agent's own cgroup ({@link #root()}, with the supervisors' cgroup and the tasks'
   * parent) from every hierarchy, waiting a few seconds for the last supervisors to leave it; with
   * {@code andEmptyParents}, also the ancestors of the root that are then empty (the configured
   * cgroup root, say). Kills nothing: a cgroup that still holds a process or a task's cgroup stays.
   *
   * @return the cgroups that stay; empty when every one went
   */
  public List<Path> removeOwn(boolean andEmptyParents) {
    List<Path> left = new ArrayList<>();
    for (Path hierarchy : hierarchies()) {
      Path own = hierarchy.resolve(root);
      boolean removed = true;
      // Supervisors leave their cgroup a moment after their task's end is recorded: wait for
      // them. A task's cgroup, though, goes only when the task manager destroys it.
      Path supervisors = own.resolve(SUPERVISORS);
      for (Path dir : List.of(supervisors, own.resolve(TASKS), own)) {
        if (!(dir == supervisors
            ? Poll.until(RMDIR_WAIT, () -> files.rmdirQuietly(dir))
            : files.rmdirQuietly(dir))) {
          left.add(dir);
          removed = false;
        }
      }
      // Parents are shared (other agents on the host, an administrator's limits): only empty ones
      // go, and an error just means one is in use.
      for (Path parent = own.getParent();
          removed && andEmptyParents && !parent.equals(hierarchy);
          parent = parent.getParent()) {
        removed = files.rmdirQuietly(parent);
      }
    }
    return List.copyOf(left);
  }

  /** The mount point of each hierarchy the agent's cgroups span. */
  public abstract List<Path> hierarchies();

  /**
   * The mount points of the other cgroup hierarchies mounted beside them (v1 ones without a
   * controller the agent uses, such as devices or the named systemd one; cgroup2 beside v1).
   */
  public List<Path> otherHierarchies() {
    return otherHierarchies;
  }

  /** Sets what {@link #otherHierarchies()} returns; the detector calls it. */
  void alsoMounted(List<Path> others) {
    this.otherHierarchies = List.copyOf(others);
  }

  /**
   * The {@code cgroup.procs} files a supervisor joins: the supervisors' cgroup in every hierarchy
   * the agent spans, and the root cgroup of every other one. So no cgroup the agent itself is in
   * holds a supervisor or its task: in a pod, the kubelet and the OCI runtime kill what is left in
   * the pod's cgroups when the pod goes (runc finds a container's processes through its devices
   * cgroup), and tasks must outlive the agent's pod.
   */
  public List<Path> supervisorProcsFiles() {
    List<Path> files = new ArrayList<>(supervisors().procsFiles());
    otherHierarchies.forEach(hierarchy -> files.add(hierarchy.resolve("cgroup.procs")));
    return List.copyOf(files);
  }

  abstract TaskCgroup handle(String name, Path relative);

  /** Makes the cgroup {@code relative} (and its ancestors) ready to hold child cgroups. */
  void prepareParent(Path relative) {
    for (Path hierarchy : hierarchies()) {
      Path dir = hierarchy;
      for (Path segment : relative) {
        dir = dir.resolve(segment);
        mkdirIfAbsent(dir);
      }
    }
  }

  /** Tolerates another thread creating {@code dir} first. */
  void mkdirIfAbsent(Path dir) {
    if (!files.isDirectory(dir)) {
      try {
        files.mkdir(dir);
      } catch (CgroupException e) {
        if (!files.isDirectory(dir)) {
          throw e;
        }
      }
    }
  }
}
