package io.mesokube.allocator;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/** Folds the per-client and per-role counters of one cycle into an {@link AllocationSummary}. */
final class CycleSummary {
  private CycleSummary() {}

  static AllocationSummary build(
      AllocatorState state, int considered, int unavailable, int offers) {
    Map<String, Map<SkipReason, Integer>> byFramework = new HashMap<>();
    for (Framework framework : state.frameworks.values()) {
      EnumMap<SkipReason, Integer> counts = new EnumMap<>(SkipReason.class);
      for (Client client : framework.clients.values()) {
        add(counts, client.skips);
        add(counts, client.role.skips);
        int offerable = considered - unavailable;
        if (!framework.active) {
          counts.merge(SkipReason.INACTIVE, offerable, Integer::sum);
        } else if (client.suppressed) {
          counts.merge(SkipReason.SUPPRESSED, offerable, Integer::sum);
        }
      }
      if (unavailable > 0) {
        counts.merge(SkipReason.AGENT_UNAVAILABLE, unavailable, Integer::sum);
      }
      counts.values().removeIf(v -> v == 0);
      if (!counts.isEmpty()) {
        byFramework.put(framework.id, Map.copyOf(counts));
      }
    }
    return new AllocationSummary(considered, unavailable, offers, byFramework);
  }

  private static void add(EnumMap<SkipReason, Integer> counts, int[] skips) {
    for (SkipReason reason : SkipReason.values()) {
      if (skips[reason.ordinal()] > 0) {
        counts.merge(reason, skips[reason.ordinal()], Integer::sum);
      }
    }
  }
}
