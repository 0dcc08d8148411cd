package io.mesokube.agent.cgroups;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A handle on one cgroup of the agent (a task's, or the supervisors'), in every hierarchy it spans.
 * Holds only paths: a handle opened after an agent restart is as good as the one that created the
 * cgroup. Processes in descendant cgroups count as the cgroup's own.
 */
public abstract sealed class TaskCgroup permits TaskCgroupV1, TaskCgroupV2 {
  /** The signals {@link #signalAll} can send, those {@link ProcessHandle} can. */
  public enum Signal {
    SIGTERM,
    SIGKILL
  }

  static final String PROCS = "cgroup.procs";
  private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration SETTLE_TIMEOUT = Duration.ofMillis(200);
  private static final Duration RMDIR_TIMEOUT = Duration.ofSeconds(5);

  private final String name;
  final CgroupFiles files;
  private final List<Path> dirs;

  TaskCgroup(String name, CgroupFiles files, List<Path> dirs) {
    this.name = name;
    this.files = files;
    this.dirs = List.copyOf(dirs);
  }

  public String name() {
    return name;
  }

  /** The cgroup's directory in each hierarchy. */
  public List<Path> paths() {
    return dirs;
  }

  /**
   * The files a process writes "0" into, each in turn, to join this cgroup: one per hierarchy on
   * v1, one on v2. A task's process joins before it execs, so that nothing it forks escapes.
   */
  public List<Path> procsFiles() {
    return dirs.stream().map(d -> d.resolve(PROCS)).toList();
  }

  /** Moves process {@code pid} (with all its threads) into this cgroup. */
  public void assign(long pid) {
    procsFiles().forEach(f -> files.write(f, Long.toString(pid)));
  }

  /** The processes in this cgroup, in any of its hierarchies. */
  public SortedSet<Long> pids() {
    SortedSet<Long> pids = new TreeSet<>();
    for (Path dir : dirs) {
      for (Path cgroup : selfAndDescendants(dir, new ArrayList<>())) {
        files.read(cgroup.resolve(PROCS)).lines().map(Long::valueOf).forEach(pids::add);
      }
    }
    return pids;
  }

  public boolean isEmpty() {
    return pids().isEmpty();
  }

  /** Sends {@code signal} to every process in the cgroup; returns how many it was sent to. */
  public int signalAll(Signal signal) {
    int signalled = 0;
    for (long pid : pids()) {
      if (pid == ProcessHandle.current().pid()) {
        throw new CgroupException("signal", dirs.getFirst(), "the agent's own process is in it");
      }
      Optional<ProcessHandle> process = ProcessHandle.of(pid);
      boolean sent =
          process.isPresent()
              && (signal == Signal.SIGKILL
                  ? process.get().destroyForcibly()
                  : process.get().destroy());
      signalled += sent ? 1 : 0;
    }
    return signalled;
  }

  /** Kills every process in the cgroup and returns once it is empty. */
  public void killAll() {
    if (killByKernel()) {
      awaitEmpty(KILL_TIMEOUT);
    } else {
      killAllByFreezing();
    }
  }

  /**
   * Freezes the cgroup before each round of SIGKILLs. A frozen process can neither fork, so a fork
   * loop cannot outrun the list of pids just read, nor exit, so no pid on that list can pass to an
   * unrelated process before the signal. The killed processes die once thawed; rounds repeat until
   * none is left.
   */
  void killAllByFreezing() {
    if (!Poll.until(KILL_TIMEOUT, this::killRound)) {
      throw stillRunning();
    }
  }

  /** One round of freeze, SIGKILL to all, thaw; true once the cgroup is empty. */
  private boolean killRound() {
    if (isEmpty()) {
      return true;
    }
    freeze();
    try {
      signalAll(Signal.SIGKILL);
    } finally {
      thaw();
    }
    return Poll.until(SETTLE_TIMEOUT, this::isEmpty);
  }

  private void awaitEmpty(Duration timeout) {
    if (!Poll.until(timeout, this::isEmpty)) {
      throw stillRunning();
    }
  }

  private CgroupException stillRunning() {
    return new CgroupException(
        "kill all processes in", dirs.getFirst(), "still running: " + pids());
  }

  /**
   * Removes the cgroup (and any child cgroups) from every hierarchy; doing nothing where it is gone
   * already. Retries briefly while the kernel still counts exiting tasks (EBUSY); a cgroup with
   * live processes is refused, so {@link #killAll} first.
   */
  public void destroy() {
    for (Path dir : dirs) {
      for (Path cgroup : selfAndDescendants(dir, new ArrayList<>()).reversed()) {
        if (!Poll.until(RMDIR_TIMEOUT, () -> files.rmdirQuietly(cgroup))) {
          files.rmdir(cgroup); // once more, to report why it stays
        }
      }
    }
  }

  /** A snapshot of the cgroup's usage. */
  public abstract CgroupStats stats();

  /** Whether the OOM killer has killed a process of this cgroup. */
  public abstract boolean oomKilled();

  /** Applies {@code limits}, replacing the previous ones. */
  public abstract void update(Limits limits);

  /** Has the kernel kill every process, if it can; false if it cannot. */
  abstract boolean killByKernel();

  /** Freezes the cgroup, waiting (briefly) until the kernel says it is frozen. */
  abstract void freeze();

  abstract void thaw();

  /** {@code dir} and its descendant cgroups, parents before children. */
  private List<Path> selfAndDescendants(Path dir, List<Path> into) {
    if (files.isDirectory(dir)) {
      into.add(dir);
      files.subdirectories(dir).forEach(child -> selfAndDescendants(child, into));
    }
    return into;
  }
}
