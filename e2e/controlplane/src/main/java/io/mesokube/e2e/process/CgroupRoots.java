package io.mesokube.e2e.process;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The agent's cgroups as the kernel shows them, read directly (not through the code under test): to
 * measure a task's CPU use, check that nothing leaked, and clean up after a failed run.
 */
public final class CgroupRoots {
  private static final Path BASE = Path.of("/sys/fs/cgroup");

  private CgroupRoots() {}

  /** Every directory of {@code root} in every mounted hierarchy. */
  public static List<Path> dirs(String root) throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> hierarchies = Files.list(BASE)) {
      for (Path h : hierarchies.toList()) {
        Path dir = h.resolve(root);
        if (Files.isDirectory(dir)) {
          out.add(dir);
        }
      }
    }
    return out;
  }

  /** Task cgroups (directories under {@code task/}) left in any hierarchy. */
  public static List<Path> taskCgroups(String root) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path dir : dirs(root)) {
      Path tasks = dir.resolve("task");
      if (Files.isDirectory(tasks)) {
        try (Stream<Path> s = Files.list(tasks)) {
          s.filter(Files::isDirectory).forEach(out::add);
        }
      }
    }
    return out;
  }

  /** Processes in any cgroup under {@code root}. */
  public static List<Long> processes(String root) throws IOException {
    List<Long> out = new ArrayList<>();
    for (Path dir : dirs(root)) {
      try (Stream<Path> s = Files.walk(dir)) {
        for (Path procs :
            s.filter(p -> p.getFileName().toString().equals("cgroup.procs")).toList()) {
          for (String line : Files.readAllLines(procs)) {
            if (!line.isBlank()) {
              out.add(Long.parseLong(line.strip()));
            }
          }
        }
      }
    }
    return out;
  }

  /** CPU time used by a task's cgroup, in nanoseconds (v1 cpuacct). */
  public static long cpuNanos(String root, String taskUid) throws IOException {
    return Long.parseLong(
        Files.readString(
                BASE.resolve("cpuacct")
                    .resolve(root)
                    .resolve("task")
                    .resolve(taskUid)
                    .resolve("cpuacct.usage"))
            .strip());
  }

  /** Kills whatever runs under {@code root} and removes its cgroups, deepest first. */
  public static void remove(String root) throws IOException {
    for (long pid : processes(root)) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
    for (Path dir : dirs(root)) {
      try (Stream<Path> s = Files.walk(dir)) {
        for (Path d : s.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
          // Killed processes leave the cgroup a moment after SIGKILL.
          await()
              .atMost(Duration.ofSeconds(10))
              .ignoreExceptions()
              .until(
                  () -> {
                    Files.deleteIfExists(d);
                    return true;
                  });
        }
      }
    }
  }
}
