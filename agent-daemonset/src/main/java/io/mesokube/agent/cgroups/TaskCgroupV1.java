package io.mesokube.agent.cgroups;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;

/** A cgroup in the cgroup v1 hierarchies of cpu, cpuacct, memory, pids and freezer. */
final class TaskCgroupV1 extends TaskCgroup {
  // memory.limit_in_bytes reads back as this, rounded down to a page, when there is no limit.
  private static final long UNLIMITED = Long.MAX_VALUE & ~0xFFFL;
  private static final Duration FREEZE_TIMEOUT = Duration.ofSeconds(1);

  private final Map<String, Path> dirs;

  /** {@code dirs}: the cgroup's directory by controller; two controllers may share one. */
  TaskCgroupV1(String name, CgroupFiles files, Map<String, Path> dirs) {
    super(name, files, CgroupsV1.CONTROLLERS.stream().map(dirs::get).distinct().toList());
    this.dirs = Map.copyOf(dirs);
  }

  private Path file(String controller, String file) {
    return dirs.get(controller).resolve(file);
  }

  @Override
  public void update(Limits limits) {
    files.write(file("cpu", "cpu.shares"), Long.toString(limits.cpuShares()));
    files.write(file("cpu", "cpu.cfs_period_us"), Long.toString(Limits.CFS_PERIOD_MICROS));
    files.write(
        file("cpu", "cpu.cfs_quota_us"),
        limits.cpuQuota() ? Long.toString(limits.cpuQuotaMicros()) : "-1");
    updateMemory(limits.memoryBytes());
    files.write(
        file("pids", "pids.max"),
        limits.pidsMax().isPresent() ? Long.toString(limits.pidsMax().getAsLong()) : "max");
  }

  /**
   * Sets the memory limit, and the memory+swap limit to the same value (where swap is accounted) so
   * that swapping does not dodge it. The kernel refuses a memory+swap limit below the memory limit
   * at any moment, hence the order: memory+swap first when raising, last when lowering.
   */
  private void updateMemory(long bytes) {
    String value = Long.toString(bytes);
    Path limit = file("memory", "memory.limit_in_bytes");
    Path memsw = file("memory", "memory.memsw.limit_in_bytes");
    boolean swapAccounted = files.exists(memsw);
    if (swapAccounted && bytes > files.readLong(limit)) {
      files.write(memsw, value);
      files.write(limit, value);
    } else {
      files.write(limit, value);
      if (swapAccounted) {
        files.write(memsw, value);
      }
    }
    files.write(file("memory", "memory.soft_limit_in_bytes"), value);
  }

  @Override
  public CgroupStats stats() {
    Map<String, Long> cpu = files.readKeyed(file("cpu", "cpu.stat"));
    long limit = files.readLong(file("memory", "memory.limit_in_bytes"));
    return new CgroupStats(
        files.readLong(file("cpuacct", "cpuacct.usage")),
        optional(cpu.get("throttled_time")),
        optional(cpu.get("nr_throttled")),
        optional(cpu.get("nr_periods")),
        OptionalLong.of(files.readLong(file("memory", "memory.usage_in_bytes"))),
        limit >= UNLIMITED ? OptionalLong.empty() : OptionalLong.of(limit),
        OptionalLong.of(files.readLong(file("memory", "memory.max_usage_in_bytes"))),
        OptionalLong.of(oomKills()),
        OptionalLong.of(files.readLong(file("pids", "pids.current"))));
  }

  @Override
  public boolean oomKilled() {
    return oomKills() > 0;
  }

  private long oomKills() {
    return files.readKeyed(file("memory", "memory.oom_control")).getOrDefault("oom_kill", 0L);
  }

  @Override
  boolean killByKernel() {
    return false;
  }

  /**
   * Proceeds after a while even if still FREEZING (a task in uninterruptible sleep can hold that
   * up): the SIGKILLs are queued all the same, and the next round catches any fork that slipped.
   */
  @Override
  void freeze() {
    Path state = file("freezer", "freezer.state");
    files.write(state, "FROZEN");
    Poll.until(FREEZE_TIMEOUT, () -> files.read(state).trim().equals("FROZEN"));
  }

  @Override
  void thaw() {
    files.write(file("freezer", "freezer.state"), "THAWED");
  }

  static OptionalLong optional(Long value) {
    return value == null ? OptionalLong.empty() : OptionalLong.of(value);
  }
}
