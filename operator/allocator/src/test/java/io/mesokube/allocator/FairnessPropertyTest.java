package io.mesokube.allocator;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesokube.allocator.resources.ResourceLimits;
import io.mesokube.allocator.resources.ResourceQuantities;
import io.mesokube.allocator.resources.Resources;
import io.mesokube.allocator.role.Quota;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/** Guarantees and DRF fairness over random clusters. */
class FairnessPropertyTest {

  /**
   * Guarantees that fit in the cluster's unreserved resources, for roles with an active framework,
   * are all met by one cycle, however many other frameworks compete.
   */
  @Property(tries = 150)
  void satisfiableGuaranteesAreMet(@ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
    Random random = new Random(seed);
    HierarchicalAllocator allocator =
        new HierarchicalAllocator(AllocatorOptions.defaults().withSeed(seed));
    int agents = 1 + random.nextInt(20);
    int cpus = 0;
    for (int i = 0; i < agents; i++) {
      int c = 1 + random.nextInt(16);
      cpus += c;
      allocator.addAgent(
          AgentInfo.of(
              "a" + i, Resources.parse("cpus:" + c + ";mem:" + (256 + random.nextInt(4096)))));
    }
    Map<String, Integer> guarantees = new HashMap<>();
    int left = cpus;
    for (String role : List.of("q1", "q2", "team/q3")) {
      int g = left == 0 ? 0 : random.nextInt(left + 1);
      left -= g;
      guarantees.put(role, g);
      if (g > 0) {
        allocator.updateQuota(
            role, new Quota(ResourceQuantities.parse("cpus:" + g), ResourceLimits.NONE));
      }
      allocator.addFramework(FrameworkInfo.of("fw-" + role, role));
    }
    for (int i = 0; i < 1 + random.nextInt(5); i++) {
      allocator.addFramework(FrameworkInfo.of("greedy-" + i, "other" + i));
    }
    List<Offer> offers = allocator.allocate().offers();
    for (Map.Entry<String, Integer> e : guarantees.entrySet()) {
      double got = Fixtures.total(offers, "fw-" + e.getKey(), "cpus");
      assertThat(got).as("cpus for %s", e.getKey()).isGreaterThanOrEqualTo(e.getValue());
    }
  }

  /**
   * With every agent offered, weighted dominant shares of competing roles end within one agent's
   * dominant share divided by the smallest weight of each other: the stated tolerance of DRF with
   * indivisible offers.
   */
  @Property(tries = 150)
  void weightedDominantSharesConverge(@ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
    Random random = new Random(seed);
    HierarchicalAllocator allocator =
        new HierarchicalAllocator(AllocatorOptions.defaults().withSeed(seed));
    int agents = 20 + random.nextInt(200);
    double[][] sizes = new double[agents][2];
    double totalCpus = 0;
    double totalMem = 0;
    for (int i = 0; i < agents; i++) {
      sizes[i][0] = 1 + random.nextInt(8);
      sizes[i][1] = 256 + random.nextInt(1793);
      totalCpus += sizes[i][0];
      totalMem += sizes[i][1];
      allocator.addAgent(
          AgentInfo.of("a" + i, Resources.parse("cpus:" + sizes[i][0] + ";mem:" + sizes[i][1])));
    }
    int roles = 2 + random.nextInt(4);
    Map<String, Double> weights = new HashMap<>();
    double minWeight = Double.MAX_VALUE;
    for (int r = 0; r < roles; r++) {
      double w = 1 + random.nextInt(3);
      weights.put("r" + r, w);
      minWeight = Math.min(minWeight, w);
      allocator.addFramework(FrameworkInfo.of("f" + r, "r" + r));
    }
    allocator.updateWeights(weights);
    List<Offer> offers = allocator.allocate().offers();
    assertThat(offers).hasSize(agents);
    double largestAgent = 0;
    for (double[] s : sizes) {
      largestAgent = Math.max(largestAgent, Math.max(s[0] / totalCpus, s[1] / totalMem));
    }
    double min = Double.MAX_VALUE;
    double max = 0;
    for (int r = 0; r < roles; r++) {
      double share =
          Math.max(
                  Fixtures.total(offers, "f" + r, "cpus") / totalCpus,
                  Fixtures.total(offers, "f" + r, "mem") / totalMem)
              / weights.get("r" + r);
      min = Math.min(min, share);
      max = Math.max(max, share);
    }
    assertThat(max - min).isLessThanOrEqualTo(largestAgent / minWeight + 1e-9);
  }
}
