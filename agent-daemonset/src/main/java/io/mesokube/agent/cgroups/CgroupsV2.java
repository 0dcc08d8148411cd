package io.mesokube.agent.cgroups;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The cgroup v2 hierarchy. The controllers to enforce limits with are enabled in {@code
 * cgroup.subtree_control} from the mount's root down to the parent of the task cgroups.
 */
public final class CgroupsV2 extends Cgroups {
  /** The controllers the agent needs for its limits. */
  public static final List<String> CONTROLLERS = List.of("cpu", "memory", "pids");

  private final Path mount;
  private final List<String> controllers;

  /** The hierarchy mounted at {@code mount}, which must offer all of {@link #CONTROLLERS}. */
  public CgroupsV2(Path mount, String root) {
    this(mount, root, CONTROLLERS);
  }

  /**
   * The hierarchy mounted at {@code mount}, enforcing limits with {@code controllers} only: a limit
   * of a controller left out is not applied. For a hybrid mount where v1 holds the rest.
   */
  public CgroupsV2(Path mount, String root, Collection<String> controllers) {
    this(mount, root, controllers, CgroupFiles.REAL);
  }

  CgroupsV2(Path mount, String root, Collection<String> controllers, CgroupFiles files) {
    super(root, files);
    Set<String> offered = words(files.read(mount.resolve("cgroup.controllers")));
    List<String> missing = controllers.stream().filter(c -> !offered.contains(c)).toList();
    if (!missing.isEmpty()) {
      throw new CgroupException(
          "use controllers " + missing + " of",
          mount,
          "not in cgroup.controllers " + offered + " (bound to cgroup v1?)");
    }
    this.mount = mount;
    this.controllers = List.copyOf(controllers);
  }

  @Override
  public Version version() {
    return Version.V2;
  }

  @Override
  public List<Path> hierarchies() {
    return List.of(mount);
  }

  /** The controllers this hierarchy enforces limits with. */
  public List<String> controllers() {
    return controllers;
  }

  @Override
  TaskCgroup handle(String name, Path relative) {
    return new TaskCgroupV2(name, files, mount.resolve(relative), Set.copyOf(controllers));
  }

  /**
   * A controller is available in a cgroup only if its parent enables it for its children, so they
   * are enabled top-down. Enabling fails (EBUSY) in a cgroup, other than the root, that holds
   * processes: the agent's root must not be its own pod's cgroup.
   */
  @Override
  void prepareParent(Path relative) {
    Path dir = mount;
    enableControllers(dir);
    for (Path segment : relative) {
      dir = dir.resolve(segment);
      mkdirIfAbsent(dir);
      enableControllers(dir);
    }
  }

  private void enableControllers(Path dir) {
    Path subtreeControl = dir.resolve("cgroup.subtree_control");
    Set<String> enabled = words(files.read(subtreeControl));
    String missing =
        controllers.stream()
            .filter(c -> !enabled.contains(c))
            .map(c -> "+" + c)
            .collect(Collectors.joining(" "));
    if (!missing.isEmpty()) {
      files.write(subtreeControl, missing);
    }
  }

  static Set<String> words(String text) {
    return Arrays.stream(text.trim().split("\\s+"))
        .filter(w -> !w.isEmpty())
        .collect(Collectors.toSet());
  }
}
