package io.mesokube.allocator;

import io.mesokube.allocator.resources.ResourceQuantities;
import io.mesokube.allocator.resources.ScalarNames;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * Folds the counters of one cycle into an {@link AllocationSummary}: work proportional to the
 * clients and roles the cycle passed over plus the idle clients and the quota roots, not to all
 * frameworks.
 */
final class CycleSummary {
  private CycleSummary() {}

  static AllocationSummary build(
      AllocatorState state, CycleCounters counters, int considered, int unavailable, int offers) {
    Map<String, EnumMap<SkipReason, Integer>> byFramework = new HashMap<>();
    for (Client client : counters.clients) {
      add(byFramework, client, client.skips, 1);
    }
    for (Role role : counters.roles) {
      for (Client client : role.members) {
        if (client.offerable()) {
          add(byFramework, client, role.skips, 1);
        }
      }
    }
    int offerable = considered - unavailable;
    if (offerable > 0) {
      for (Client client : state.idle) {
        SkipReason reason = client.framework.active ? SkipReason.SUPPRESSED : SkipReason.INACTIVE;
        int[] one = new int[SkipReason.values().length];
        one[reason.ordinal()] = 1;
        add(byFramework, client, one, offerable);
      }
    }
    Map<String, Map<SkipReason, Integer>> frozen = new HashMap<>();
    byFramework.forEach((id, counts) -> frozen.put(id, Map.copyOf(counts)));
    return new AllocationSummary(considered, unavailable, offers, frozen, unmetGuarantees(state));
  }

  /**
   * What each quota root still lacks of its guarantee after the cycle: the sum of these is what the
   * quota headroom keeps from other roles (see {@link QuotaHeadroom}).
   */
  private static Map<String, ResourceQuantities> unmetGuarantees(AllocatorState state) {
    Map<String, ResourceQuantities> out = new HashMap<>();
    int kinds = ScalarNames.count();
    for (Role root : state.roles.quotaRoots()) {
      long[] unmet = null;
      for (int k = 0; k < kinds; k++) {
        long remaining = root.remainingGuarantee(k);
        if (remaining > 0) {
          if (unmet == null) {
            unmet = new long[kinds];
          }
          unmet[k] = remaining;
        }
      }
      if (unmet != null) {
        out.put(root.path, ResourceQuantities.ofMillis(unmet));
      }
    }
    return out;
  }

  private static void add(
      Map<String, EnumMap<SkipReason, Integer>> byFramework,
      Client client,
      int[] skips,
      int times) {
    EnumMap<SkipReason, Integer> counts = null;
    for (SkipReason reason : SkipReason.values()) {
      int n = skips[reason.ordinal()] * times;
      if (n > 0) {
        if (counts == null) {
          counts =
              byFramework.computeIfAbsent(
                  client.framework.id, k -> new EnumMap<>(SkipReason.class));
        }
        counts.merge(reason, n, Integer::sum);
      }
    }
  }
}
