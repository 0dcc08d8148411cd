package io.mesokube.allocator;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesokube.allocator.resources.Resource;
import io.mesokube.allocator.resources.ResourceLimits;
import io.mesokube.allocator.resources.Resources;
import io.mesokube.allocator.resources.ScalarNames;
import io.mesokube.allocator.role.Quota;
import io.mesokube.allocator.role.RoleName;
import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/**
 * Invariants of the allocator over random clusters driven through random events: the agent
 * arithmetic always balances, limits hold, reservations stay with their roles.
 */
class AllocatorInvariantsPropertyTest {

  @Property(tries = 120)
  void invariantsHoldThroughRandomEvents(@ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
    RandomCluster cluster = new RandomCluster(seed);
    cluster.populate(1 + cluster.random.nextInt(25), 1 + cluster.random.nextInt(8), true, true);
    for (int cycle = 0; cycle < 12; cycle++) {
      cluster.step();
      checkNoAgentIsOverAllocated(cluster);
      checkReservationsStayWithTheirRole(cluster);
      checkLimitsHold(cluster);
    }
  }

  /** Per agent: what every framework holds plus what is available is exactly the total. */
  private static void checkNoAgentIsOverAllocated(RandomCluster cluster) {
    Map<String, Resources> held = new HashMap<>();
    for (String f : cluster.frameworks.keySet()) {
      cluster
          .allocator
          .allocation(f)
          .forEach((agent, r) -> held.merge(agent, r.unallocated(), Resources::plus));
    }
    for (Map.Entry<String, Resources> agent : cluster.agents.entrySet()) {
      Resources used = held.getOrDefault(agent.getKey(), Resources.EMPTY);
      assertThat(agent.getValue().contains(used))
          .as("agent %s over-allocated", agent.getKey())
          .isTrue();
      assertThat(used.plus(cluster.allocator.available(agent.getKey())))
          .as("agent %s balance", agent.getKey())
          .isEqualTo(agent.getValue());
    }
  }

  private static void checkReservationsStayWithTheirRole(RandomCluster cluster) {
    for (String f : cluster.frameworks.keySet()) {
      for (Resources r : cluster.allocator.allocation(f).values()) {
        for (Resource resource : r.asList()) {
          if (resource.reservation() != null) {
            assertThat(
                    RoleName.isSelfOrAncestor(
                        resource.reservation().role(), resource.allocationRole()))
                .as("%s held by %s", resource, f)
                .isTrue();
          }
        }
      }
    }
  }

  /** Unreserved allocations plus reservations of a role's subtree never pass its limit. */
  private static void checkLimitsHold(RandomCluster cluster) {
    for (Map.Entry<String, Quota> e : cluster.quotas.entrySet()) {
      String role = e.getKey();
      long reserved = 0;
      for (Resources total : cluster.agents.values()) {
        for (Resource r : total.asList()) {
          if (r.reservation() != null
              && RoleName.isSelfOrAncestor(role, r.reservation().role())
              && r.name().equals("cpus")) {
            reserved += r.millis();
          }
        }
      }
      long allocated = 0;
      for (String f : cluster.frameworks.keySet()) {
        for (Resources r : cluster.allocator.allocation(f).values()) {
          for (Resource resource : r.asList()) {
            if (resource.isUnreserved()
                && resource.name().equals("cpus")
                && RoleName.isSelfOrAncestor(role, resource.allocationRole())) {
              allocated += resource.millis();
            }
          }
        }
      }
      long limit = e.getValue().limits().millis(ScalarNames.CPUS);
      if (limit != ResourceLimits.UNLIMITED && reserved <= limit) {
        assertThat(allocated + reserved).as("consumption of %s", role).isLessThanOrEqualTo(limit);
      }
    }
  }
}
