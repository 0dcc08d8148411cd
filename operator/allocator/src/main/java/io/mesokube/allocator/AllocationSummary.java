package io.mesokube.allocator;

import io.mesokube.allocator.resources.ResourceQuantities;
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
 * @param byFramework per framework id, the number of agents it was passed over on for each reason
 *     other than {@link SkipReason#AGENT_UNAVAILABLE}, which {@link #reasons} adds for everyone
 * @param unmetGuarantees per quota root (a role with guarantees and no ancestor with guarantees)
 *     whose guarantee is not met at the end of the cycle, what it still lacks: the guarantee minus
 *     what the role and its descendants consume. The quota headroom holds this much back from other
 *     roles, hence {@link SkipReason#QUOTA_HEADROOM}.
 */
public record AllocationSummary(
    int agentsConsidered,
    int agentsUnavailable,
    int offers,
    Map<String, Map<SkipReason, Integer>> byFramework,
    Map<String, ResourceQuantities> unmetGuarantees) {

  /** Copies the maps. */
  public AllocationSummary {
    byFramework = Map.copyOf(byFramework);
    unmetGuarantees = Map.copyOf(unmetGuarantees);
  }

  /**
   * The reasons a framework was passed over, by number of agents; unavailable agents count for
   * every framework.
   */
  public Map<SkipReason, Integer> reasons(String frameworkId) {
    EnumMap<SkipReason, Integer> out = new EnumMap<>(SkipReason.class);
    out.putAll(byFramework.getOrDefault(frameworkId, Map.of()));
    if (agentsUnavailable > 0) {
      out.put(SkipReason.AGENT_UNAVAILABLE, agentsUnavailable);
    }
    return out;
  }

  /** How many agents a framework was passed over on for one reason. */
  public int count(String frameworkId, SkipReason reason) {
    return reasons(frameworkId).getOrDefault(reason, 0);
  }
}
