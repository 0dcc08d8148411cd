package io.mesokube.agent.cgroups;

import java.util.OptionalLong;

/**
 * A snapshot of a cgroup's usage. A value is empty when the hierarchy does not account for it (on
 * cgroup v2, when the controller that would is not enabled).
 *
 * @param cpuUsageNanos CPU time consumed, user and system
 * @param cpuThrottledNanos time the CFS quota held the cgroup back
 * @param cpuThrottledPeriods CFS periods in which it was held back
 * @param cpuPeriods CFS periods in which it was runnable
 * @param memoryUsageBytes memory charged now, page cache included
 * @param memoryLimitBytes the hard limit; empty when unlimited
 * @param memoryMaxUsageBytes the most ever charged
 * @param oomKills processes the OOM killer killed in the cgroup
 * @param pidsCurrent processes and threads now
 */
public record CgroupStats(
    long cpuUsageNanos,
    OptionalLong cpuThrottledNanos,
    OptionalLong cpuThrottledPeriods,
    OptionalLong cpuPeriods,
    OptionalLong memoryUsageBytes,
    OptionalLong memoryLimitBytes,
    OptionalLong memoryMaxUsageBytes,
    OptionalLong oomKills,
    OptionalLong pidsCurrent) {}
