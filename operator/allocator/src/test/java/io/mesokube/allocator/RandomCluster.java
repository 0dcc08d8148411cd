package io.mesokube.allocator;

import io.mesokube.allocator.resources.Reservation;
import io.mesokube.allocator.resources.Resource;
import io.mesokube.allocator.resources.ResourceLimits;
import io.mesokube.allocator.resources.ResourceQuantities;
import io.mesokube.allocator.resources.Resources;
import io.mesokube.allocator.role.Quota;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/** A random cluster driven through random events, for the property tests. */
final class RandomCluster {
  static final List<String> ROLES = List.of("*", "a", "b", "a/x", "a/y", "c/d");

  final Random random;
  final ManualClock clock = new ManualClock();
  final HierarchicalAllocator allocator;
  final Map<String, Resources> agents = new LinkedHashMap<>();
  final Map<String, FrameworkInfo> frameworks = new LinkedHashMap<>();
  final Map<String, Quota> quotas = new HashMap<>();
  final List<Offer> outstanding = new ArrayList<>();

  RandomCluster(long seed) {
    random = new Random(seed);
    allocator =
        new HierarchicalAllocator(AllocatorOptions.defaults().withClock(clock).withSeed(seed));
  }

  void populate(int agentCount, int frameworkCount, boolean reservations, boolean quota) {
    for (int i = 0; i < agentCount; i++) {
      addAgent("agent-" + i, reservations);
    }
    for (int i = 0; i < frameworkCount; i++) {
      addFramework("fw-" + i);
    }
    if (quota) {
      for (String role : List.of("a", "b", "a/x")) {
        if (random.nextBoolean()) {
          double g = random.nextInt(8);
          double limit = g + random.nextInt(12);
          Quota q =
              new Quota(
                  ResourceQuantities.parse("cpus:" + g),
                  ResourceLimits.parse("cpus:" + limit + ";mem:" + (limit * 512)));
          quotas.put(role, q);
          allocator.updateQuota(role, q);
        }
      }
    }
  }

  void addAgent(String id, boolean reservations) {
    List<Resource> parts = new ArrayList<>();
    parts.add(Resource.scalar("cpus", (1 + random.nextInt(16000)) / 1000.0));
    parts.add(Resource.scalar("mem", 32 + random.nextInt(4096)));
    if (random.nextInt(5) == 0) {
      parts.add(Resource.scalar("gpus", 1 + random.nextInt(4)));
    }
    parts.add(Resource.ranges("ports", io.mesokube.allocator.resources.Ranges.of(31000, 31099)));
    if (reservations && random.nextInt(3) == 0) {
      String role = List.of("a", "b", "a/x").get(random.nextInt(3));
      Reservation.Type type =
          random.nextBoolean() ? Reservation.Type.STATIC : Reservation.Type.DYNAMIC;
      parts.add(
          Resource.scalar("cpus", 1 + random.nextInt(4)).reserved(new Reservation(role, type)));
      parts.add(
          Resource.scalar("mem", 64 + random.nextInt(512)).reserved(new Reservation(role, type)));
    }
    Resources total = Resources.of(parts);
    agents.put(id, total);
    allocator.addAgent(AgentInfo.of(id, total));
  }

  void addFramework(String id) {
    Set<String> roles = new HashSet<>();
    roles.add(ROLES.get(random.nextInt(ROLES.size())));
    if (random.nextInt(4) == 0) {
      roles.add(ROLES.get(random.nextInt(ROLES.size())));
    }
    Set<FrameworkInfo.Capability> caps = new HashSet<>();
    caps.add(FrameworkInfo.Capability.MULTI_ROLE);
    if (random.nextBoolean()) {
      caps.add(FrameworkInfo.Capability.GPU_RESOURCES);
    }
    FrameworkInfo info = new FrameworkInfo(id, roles, caps);
    frameworks.put(id, info);
    allocator.addFramework(info);
  }

  /** One cycle followed by random reactions from frameworks, agents and the clock. */
  List<Offer> step() {
    AllocationResult result =
        random.nextInt(4) == 0 ? allocator.allocatePending() : allocator.allocate();
    for (Offer offer : result.offers()) {
      int choice = random.nextInt(3);
      if (choice == 0) {
        allocator.recoverResources(
            offer.frameworkId(),
            offer.agentId(),
            offer.resources(),
            java.time.Duration.ofSeconds(random.nextInt(20)));
      } else {
        outstanding.add(offer);
      }
    }
    if (!outstanding.isEmpty() && random.nextBoolean()) {
      Offer done = outstanding.remove(random.nextInt(outstanding.size()));
      if (frameworks.containsKey(done.frameworkId()) && agents.containsKey(done.agentId())) {
        allocator.recoverResources(done.frameworkId(), done.agentId(), done.resources(), null);
      }
    }
    randomEvent();
    clock.advance(java.time.Duration.ofSeconds(random.nextInt(10)));
    return result.offers();
  }

  private void randomEvent() {
    List<String> fws = new ArrayList<>(frameworks.keySet());
    List<String> ags = new ArrayList<>(agents.keySet());
    switch (random.nextInt(8)) {
      case 0 -> {
        if (!fws.isEmpty()) {
          String f = fws.get(random.nextInt(fws.size()));
          allocator.suppressOffers(f, Set.of());
        }
      }
      case 1 -> {
        if (!fws.isEmpty()) {
          allocator.reviveOffers(fws.get(random.nextInt(fws.size())), Set.of());
        }
      }
      case 2 -> {
        if (!ags.isEmpty()) {
          allocator.updateUnavailability(ags.get(random.nextInt(ags.size())), random.nextBoolean());
        }
      }
      case 3 -> {
        if (fws.size() > 1) {
          String f = fws.get(random.nextInt(fws.size()));
          allocator.removeFramework(f);
          frameworks.remove(f);
          outstanding.removeIf(o -> o.frameworkId().equals(f));
        }
      }
      case 4 -> {
        if (ags.size() > 1) {
          String a = ags.get(random.nextInt(ags.size()));
          allocator.removeAgent(a);
          agents.remove(a);
          outstanding.removeIf(o -> o.agentId().equals(a));
        }
      }
      case 5 -> addFramework("fw-late-" + random.nextInt(1_000_000));
      case 6 ->
          // Late agents bring no reservations: a new reservation may legitimately push a role
          // past its limit, which is not the allocator's doing.
          addAgent("agent-late-" + random.nextInt(1_000_000), false);
      default -> {}
    }
  }
}
