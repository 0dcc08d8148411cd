package io.mesokube.allocator.bench;

import io.mesokube.allocator.AgentInfo;
import io.mesokube.allocator.AllocatorOptions;
import io.mesokube.allocator.BenchmarkAccess;
import io.mesokube.allocator.FrameworkInfo;
import io.mesokube.allocator.HierarchicalAllocator;
import io.mesokube.allocator.resources.Ranges;
import io.mesokube.allocator.resources.Resource;
import io.mesokube.allocator.resources.ResourceLimits;
import io.mesokube.allocator.resources.ResourceQuantities;
import io.mesokube.allocator.resources.Resources;
import io.mesokube.allocator.role.Quota;
import java.time.Duration;
import java.util.Map;

/**
 * The cluster of Mesos' {@code HierarchicalAllocator_BENCHMARK_Test.DeclineOffers}: agents of
 * {@code cpus:24;mem:4096;disk:4096;ports:[31000-32000]}, each with {@code cpus:16;mem:2014;
 * disk:1024} and 16 single ports in use by framework {@code i % frameworks}.
 */
public final class Cluster {
  /** Agent capacity, as in Mesos' benchmark. */
  public static final Resources AGENT =
      Resources.parse("cpus:24;mem:4096;disk:4096;ports:[31000-32000]");

  private Cluster() {}

  /** Roles used: one ({@code *}) without quota, up to 100 with quota. */
  public static int roleCount(int frameworks, boolean quota) {
    return quota ? Math.min(frameworks, 100) : 1;
  }

  static String role(int framework, int roles, boolean quota) {
    return quota ? "team" + (framework % roles) : "*";
  }

  /**
   * Builds the cluster. With {@code quota}, frameworks spread over up to 100 roles, each guaranteed
   * 2 cpus per agent it has beyond what it already uses and limited at 6 beyond, so stage 1 has
   * guarantees to meet and stage 2 limits to respect.
   */
  public static HierarchicalAllocator build(int agents, int frameworks, boolean quota) {
    HierarchicalAllocator allocator =
        new HierarchicalAllocator(AllocatorOptions.defaults().withSeed(42));
    int roles = roleCount(frameworks, quota);
    for (int f = 0; f < frameworks; f++) {
      allocator.addFramework(FrameworkInfo.of("framework-" + f, role(f, roles, quota)));
    }
    if (quota) {
      double perRoleAgents = agents / (double) roles;
      for (int r = 0; r < roles; r++) {
        double used = 16 * perRoleAgents;
        allocator.updateQuota(
            "team" + r,
            new Quota(
                ResourceQuantities.of(Map.of("cpus", used + 2 * perRoleAgents)),
                ResourceLimits.of(Map.of("cpus", used + 6 * perRoleAgents))));
      }
    }
    long[] ports = new long[32];
    for (int j = 0; j < 16; j++) {
      ports[2 * j] = 31000 + j * 62L;
      ports[2 * j + 1] = 31000 + j * 62L;
    }
    Resources used =
        Resources.parse("cpus:16;mem:2014;disk:1024")
            .plus(Resources.of(Resource.ranges("ports", Ranges.of(ports))));
    for (int a = 0; a < agents; a++) {
      int f = a % frameworks;
      allocator.addAgent(
          AgentInfo.of("agent-" + a, AGENT),
          Map.of("framework-" + f, used.allocatedTo(role(f, roles, quota))));
    }
    return allocator;
  }

  /**
   * Mesos' DeclineOffers state, "most frameworks declining": every framework but one in ten (and
   * the only one, when there is one) has declined everything on every agent for a year.
   */
  public static void declineMost(HierarchicalAllocator allocator, int frameworks) {
    for (int f = 0; f < frameworks; f++) {
      if (frameworks == 1 || f % 10 != 0) {
        BenchmarkAccess.declineEverywhere(allocator, "framework-" + f, Duration.ofDays(365));
      }
    }
  }
}
