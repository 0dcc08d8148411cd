package io.mesokube.e2e.controlplane;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A cgroup named the same in every hierarchy under {@code /sys/fs/cgroup} (the test node's cgroup
 * root, an agent's cgroup root): its directories, the processes in it and below, and their end.
 * What the test harness and the end-to-end tests leave on a host is swept with it.
 */
public final class CgroupTree {

  private static final Path CGROUP_MOUNT = Path.of("/sys/fs/cgroup");
  private static final int KILL_ROUNDS = 5;

  private final String name;

  private CgroupTree(String name) {
    this.name = name;
  }

  /** The cgroup {@code name} (relative, e.g. "mesokube-node") in every hierarchy. */
  public static CgroupTree named(String name) {
    return new CgroupTree(name);
  }

  /** Creates it in every hierarchy. */
  public void create() throws IOException {
    for (Path hierarchy : hierarchies()) {
      Files.createDirectories(hierarchy.resolve(name));
    }
  }

  /** Where it exists. */
  public List<Path> existing() throws IOException {
    List<Path> found = new ArrayList<>();
    for (Path hierarchy : hierarchies()) {
      Path root = hierarchy.resolve(name);
      if (Files.isDirectory(root)) {
        found.add(root);
      }
    }
    return found;
  }

  /** The processes in it or in any cgroup below it, in any hierarchy. */
  public List<Long> processes() throws IOException {
    List<Long> pids = new ArrayList<>();
    for (Path root : existing()) {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path procs : files.filter(p -> p.endsWith("cgroup.procs")).toList()) {
          for (String line : Files.readAllLines(procs)) {
            if (!line.isBlank()) {
              pids.add(Long.parseLong(line.strip()));
            }
          }
        }
      } catch (UncheckedIOException e) {
        // A cgroup removed while walking: the next round sees the rest.
      }
    }
    return pids.stream().distinct().toList();
  }

  /**
   * SIGKILLs its processes and those {@code others} names, until none is left; then removes its
   * cgroups, children first.
   *
   * @throws IOException when processes survive five rounds
   */
  public void killAndRemove(Supplier<List<Long>> others) throws IOException {
    kill(others);
    remove();
  }

  /** As {@link #killAndRemove(Supplier)}, without other processes. */
  public void killAndRemove() throws IOException {
    killAndRemove(List::of);
  }

  /** SIGKILLs its processes and those {@code others} names, until none is left. */
  public void kill(Supplier<List<Long>> others) throws IOException {
    for (int round = 0; round < KILL_ROUNDS; round++) {
      List<Long> pids = new ArrayList<>(processes());
      pids.addAll(others.get());
      pids.remove(ProcessHandle.current().pid());
      if (pids.isEmpty()) {
        return;
      }
      for (long pid : pids) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
      try {
        Thread.sleep(Duration.ofMillis(500));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while killing the processes of " + name, e);
      }
    }
    throw new IOException("processes in " + name + " survived SIGKILL: " + processes());
  }

  /** Removes it, children first: cgroup directories go with rmdir, their files with them. */
  public void remove() throws IOException {
    for (Path root : existing()) {
      try (Stream<Path> dirs = Files.walk(root)) {
        for (Path cgroup :
            dirs.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(cgroup);
        }
      }
    }
  }

  // cgroup v1: one hierarchy per directory (cpu,cpuacct links excluded), cgroup2 beside them
  // under unified; a pure cgroup2 host has the hierarchy at the mount itself.
  private static List<Path> hierarchies() throws IOException {
    if (!Files.isDirectory(CGROUP_MOUNT)) {
      return List.of();
    }
    if (Files.exists(CGROUP_MOUNT.resolve("cgroup.controllers"))) {
      return List.of(CGROUP_MOUNT);
    }
    try (Stream<Path> children = Files.list(CGROUP_MOUNT)) {
      return children
          .filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
          .sorted()
          .toList();
    }
  }
}
