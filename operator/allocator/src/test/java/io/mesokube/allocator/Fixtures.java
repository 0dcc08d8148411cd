package io.mesokube.allocator;

import io.mesokube.allocator.resources.Resources;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Small builders shared by the allocator tests. */
final class Fixtures {
  private Fixtures() {}

  static HierarchicalAllocator allocator(ManualClock clock) {
    return new HierarchicalAllocator(AllocatorOptions.defaults().withClock(clock).withSeed(1));
  }

  static void agent(HierarchicalAllocator a, String id, String resources) {
    a.addAgent(AgentInfo.of(id, Resources.parse(resources)));
  }

  static void framework(HierarchicalAllocator a, String id, String role) {
    a.addFramework(FrameworkInfo.of(id, role));
  }

  static void multiRole(HierarchicalAllocator a, String id, String... roles) {
    a.addFramework(
        new FrameworkInfo(id, Set.of(roles), Set.of(FrameworkInfo.Capability.MULTI_ROLE)));
  }

  static Map<String, Resources> byAgent(List<Offer> offers, String frameworkId) {
    Map<String, Resources> out = new java.util.HashMap<>();
    for (Offer o : offers) {
      if (o.frameworkId().equals(frameworkId)) {
        out.merge(o.agentId(), o.resources(), Resources::plus);
      }
    }
    return out;
  }

  static double total(List<Offer> offers, String frameworkId, String name) {
    return offers.stream()
        .filter(o -> o.frameworkId().equals(frameworkId))
        .mapToDouble(o -> o.resources().scalar(name))
        .sum();
  }

  static void declineAll(HierarchicalAllocator a, List<Offer> offers, java.time.Duration refuse) {
    for (Offer o : offers) {
      a.recoverResources(o.frameworkId(), o.agentId(), o.resources(), refuse);
    }
  }
}
