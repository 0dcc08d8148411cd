package io.mesokube.allocator;

import java.util.EnumMap;
import java.util.Map;

/**
 * Why frameworks got what they got in one cycle: how many agents each framework was passed over on,
 * by reason. Built once per cycle from counters the loop keeps anyway, so it costs nothing extra on
 * the hot path.
 *
 * <p>Counts are of checks made: once an agent has nothing allocatable left the frameworks after the
 * one that emptied it are not visited, so they are not counted as skipped there.
 *
 * @param agentsConsidered agents the cycle looked at
 * @param agentsUnavailable of those, agents skipped for maintenance or unreachability
 * @param offers offers made
 * @param byFramework per framework id, the number of agents passed over for each reason
 */
public record AllocationSummary(
    int agentsConsidered,
    int agentsUnavailable,
    int offers,
    Map<String, Map<SkipReason, Integer>> byFramework) {

  /** Copies the map. */
  public AllocationSummary {
    byFramework = Map.copyOf(byFramework);
  }

  /** The reasons a framework was passed over, empty if it never was. */
  public Map<SkipReason, Integer> reasons(String frameworkId) {
    return byFramework.getOrDefault(frameworkId, new EnumMap<>(SkipReason.class));
  }

  /** How many agents a framework was passed over on for one reason. */
  public int count(String frameworkId, SkipReason reason) {
    return reasons(frameworkId).getOrDefault(reason, 0);
  }
}
