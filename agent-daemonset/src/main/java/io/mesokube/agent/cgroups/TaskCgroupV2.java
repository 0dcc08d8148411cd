package io.mesokube.agent.cgroups;

import static io.mesokube.agent.cgroups.TaskCgroupV1.optional;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A cgroup in the cgroup v2 hierarchy. Limits are written for the controllers enabled for it; stats
 * are read from whichever files the kernel shows.
 */
final class TaskCgroupV2 extends TaskCgroup {
  private static final Duration FREEZE_TIMEOUT = Duration.ofSeconds(1);

  private final Path dir;
  private final Set<String> controllers;

  TaskCgroupV2(String name, CgroupFiles files, Path dir, Set<String> controllers) {
    super(name, files, List.of(dir));
    this.dir = dir;
    this.controllers = Set.copyOf(controllers);
  }

  @Override
  public void update(Limits limits) {
    if (controllers.contains("cpu")) {
      files.write(dir.resolve("cpu.weight"), Long.toString(limits.cpuWeight()));
      String quota = limits.cpuQuota() ? Long.toString(limits.cpuQuotaMicros()) : "max";
      files.write(dir.resolve("cpu.max"), quota + " " + Limits.CFS_PERIOD_MICROS);
    }
    if (controllers.contains("memory")) {
      files.write(dir.resolve("memory.max"), Long.toString(limits.memoryBytes()));
      // Absent without swap accounting; where present, no swap, as the limit includes it on v1.
      Path swapMax = dir.resolve("memory.swap.max");
      if (files.exists(swapMax)) {
        files.write(swapMax, "0");
      }
    }
    if (controllers.contains("pids")) {
      files.write(
          dir.resolve("pids.max"),
          limits.pidsMax().isPresent() ? Long.toString(limits.pidsMax().getAsLong()) : "max");
    }
  }

  /** cpu.stat has the usage always (the kernel keeps it without the cpu controller). */
  @Override
  public CgroupStats stats() {
    Map<String, Long> cpu = files.readKeyed(dir.resolve("cpu.stat"));
    Long throttledMicros = cpu.get("throttled_usec");
    return new CgroupStats(
        1_000 * cpu.getOrDefault("usage_usec", 0L),
        throttledMicros == null ? OptionalLong.empty() : OptionalLong.of(1_000 * throttledMicros),
        optional(cpu.get("nr_throttled")),
        optional(cpu.get("nr_periods")),
        longIfPresent("memory.current"),
        longIfPresent("memory.max"),
        longIfPresent("memory.peak"),
        oomKills(),
        longIfPresent("pids.current"));
  }

  /** The value of a single-value file, empty if the file is absent or reads "max". */
  private OptionalLong longIfPresent(String name) {
    Path file = dir.resolve(name);
    if (!files.exists(file) || files.read(file).trim().equals("max")) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(files.readLong(file));
  }

  /** memory.events counts this cgroup's and its descendants' OOM kills; absent without memory. */
  private OptionalLong oomKills() {
    Path events = dir.resolve("memory.events");
    return files.exists(events)
        ? OptionalLong.of(files.readKeyed(events).getOrDefault("oom_kill", 0L))
        : OptionalLong.empty();
  }

  @Override
  public boolean oomKilled() {
    return oomKills().orElse(0) > 0;
  }

  /** One read instead of a walk: "populated" already covers descendants. */
  @Override
  public boolean isEmpty() {
    return files.readKeyed(dir.resolve("cgroup.events")).getOrDefault("populated", 0L) == 0;
  }

  /** cgroup.kill (Linux 5.14) SIGKILLs the whole subtree atomically, forks in flight included. */
  @Override
  boolean killByKernel() {
    Path kill = dir.resolve("cgroup.kill");
    if (!files.exists(kill)) {
      return false;
    }
    files.write(kill, "1");
    return true;
  }

  @Override
  void freeze() {
    files.write(dir.resolve("cgroup.freeze"), "1");
    Poll.until(
        FREEZE_TIMEOUT,
        () -> files.readKeyed(dir.resolve("cgroup.events")).getOrDefault("frozen", 0L) == 1);
  }

  @Override
  void thaw() {
    files.write(dir.resolve("cgroup.freeze"), "0");
  }
}
