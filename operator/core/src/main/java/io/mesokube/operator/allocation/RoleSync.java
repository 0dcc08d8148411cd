package io.mesokube.operator.allocation;

import io.mesokube.allocator.HierarchicalAllocator;
import io.mesokube.allocator.role.Quota;
import io.mesokube.api.v1alpha1.role.RolePolicy;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keeps the allocator's role weights and quotas equal to the RolePolicy objects. */
final class RoleSync {
  private static final Logger LOG = LoggerFactory.getLogger(RoleSync.class);

  private static final double DEFAULT_WEIGHT = 1.0;

  private final HierarchicalAllocator allocator;
  private final Map<String, Double> weights = new HashMap<>();
  private final Map<String, Quota> quotas = new HashMap<>();
  private final Set<String> refused = new HashSet<>();
  private final Map<String, io.mesokube.api.v1alpha1.common.Resources> limits = new HashMap<>();

  RoleSync(HierarchicalAllocator allocator) {
    this.allocator = allocator;
  }

  /**
   * Applies the current policies; a role whose policy is gone returns to weight 1 and no quota. Two
   * policies for one role: the older one wins, as the RolePolicy reconciler reports.
   */
  void sync(List<RolePolicy> policies) {
    Map<String, RolePolicy> byRole = new HashMap<>();
    for (RolePolicy policy : policies) {
      byRole.merge(policy.getSpec().role(), policy, RoleSync::older);
    }
    Map<String, Double> weightChanges = new HashMap<>();
    for (String role : weights.keySet()) {
      if (!byRole.containsKey(role)) {
        weightChanges.put(role, DEFAULT_WEIGHT);
      }
    }
    for (String role : Map.copyOf(quotas).keySet()) {
      if (!byRole.containsKey(role)) {
        allocator.updateQuota(role, Quota.NONE);
        quotas.remove(role);
      }
    }
    limits.clear();
    byRole.forEach(
        (role, policy) -> {
          var stated = policy.getSpec().quota();
          if (stated != null && stated.limit() != null) {
            limits.put(role, stated.limit());
          }
          double weight =
              policy.getSpec().weight() == null ? DEFAULT_WEIGHT : policy.getSpec().weight();
          if (!Double.valueOf(weight).equals(weights.get(role))) {
            weightChanges.put(role, weight);
          }
          Quota quota = ResourceMapping.quota(policy.getSpec().quota());
          if (!quota.equals(quotas.getOrDefault(role, Quota.NONE))) {
            if (apply(role, () -> allocator.updateQuota(role, quota))) {
              quotas.put(role, quota);
            }
          }
        });
    // One role at a time, so that a policy the allocator refuses does not hold back the others.
    weightChanges.forEach(
        (role, weight) -> {
          if (apply(role, () -> allocator.updateWeights(Map.of(role, weight)))) {
            if (weight == DEFAULT_WEIGHT && !byRole.containsKey(role)) {
              weights.remove(role);
            } else {
              weights.put(role, weight);
            }
          }
        });
  }

  /**
   * Applies one role's change; a change the allocator refuses (a quota on the default role '*',
   * say) is logged once and left out, and must not stop the allocation cycle.
   */
  private boolean apply(String role, Runnable change) {
    try {
      change.run();
      refused.remove(role);
      return true;
    } catch (IllegalArgumentException e) {
      if (refused.add(role)) {
        LOG.warn("RolePolicy for role {} is not applied: {}", role, e.getMessage());
      }
      return false;
    }
  }

  /** Quota limits by role, as the RolePolicies state them. */
  Map<String, io.mesokube.api.v1alpha1.common.Resources> limits() {
    return limits;
  }

  private static RolePolicy older(RolePolicy a, RolePolicy b) {
    return a.getMetadata().getCreationTimestamp().compareTo(b.getMetadata().getCreationTimestamp())
            <= 0
        ? a
        : b;
  }
}
