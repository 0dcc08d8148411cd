package io.mesokube.agent.cgroups;

import java.util.OptionalLong;

/**
 * The limits of a task's cgroup, and how they map to cgroup values (as Mesos' cgroups isolator maps
 * them).
 *
 * @param cpus CPU share, in cores; a weight always, a hard cap when {@code cpuQuota}
 * @param memoryBytes hard memory limit, swap included
 * @param pidsMax most processes and threads, or empty for no limit
 * @param cpuQuota whether {@code cpus} is enforced as a CFS quota (Mesos' {@code
 *     --cgroups_enable_cfs}) rather than only as a weight
 */
public record Limits(double cpus, long memoryBytes, OptionalLong pidsMax, boolean cpuQuota) {
  /** The CFS period Mesos uses, 100 ms. */
  public static final long CFS_PERIOD_MICROS = 100_000;

  // The kernel's bounds for cpu.shares; cpu.weight spans 1..10000 over them.
  static final long MIN_CPU_SHARES = 2;
  static final long MAX_CPU_SHARES = 262_144;
  // The kernel refuses a quota under 1 ms.
  static final long MIN_CFS_QUOTA_MICROS = 1_000;

  public Limits {
    if (!(cpus > 0) || !Double.isFinite(cpus)) {
      throw new IllegalArgumentException("cpus must be positive and finite: " + cpus);
    }
    if (memoryBytes <= 0) {
      throw new IllegalArgumentException("memoryBytes must be positive: " + memoryBytes);
    }
    if (pidsMax.isPresent() && pidsMax.getAsLong() <= 0) {
      throw new IllegalArgumentException("pidsMax must be positive: " + pidsMax.getAsLong());
    }
  }

  /** {@code cpus} enforced by quota, {@code memoryBytes}, no pids limit. */
  public static Limits of(double cpus, long memoryBytes) {
    return new Limits(cpus, memoryBytes, OptionalLong.empty(), true);
  }

  public Limits withPidsMax(long max) {
    return new Limits(cpus, memoryBytes, OptionalLong.of(max), cpuQuota);
  }

  public Limits withCpuQuota(boolean enforce) {
    return new Limits(cpus, memoryBytes, pidsMax, enforce);
  }

  /** v1 {@code cpu.shares}: 1024 per core, at least 2. */
  public long cpuShares() {
    return Math.clamp(Math.round(1024 * cpus), MIN_CPU_SHARES, MAX_CPU_SHARES);
  }

  /**
   * v2 {@code cpu.weight}: the shares mapped linearly onto 1..10000, as the kernel and systemd do.
   */
  public long cpuWeight() {
    return 1 + ((cpuShares() - MIN_CPU_SHARES) * 9_999) / (MAX_CPU_SHARES - MIN_CPU_SHARES);
  }

  /** CFS quota per {@link #CFS_PERIOD_MICROS}: {@code cpus} periods' worth, at least 1 ms. */
  public long cpuQuotaMicros() {
    return Math.max(MIN_CFS_QUOTA_MICROS, Math.round(cpus * CFS_PERIOD_MICROS));
  }
}
