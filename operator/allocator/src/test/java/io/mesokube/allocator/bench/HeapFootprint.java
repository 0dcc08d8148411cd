package io.mesokube.allocator.bench;

import io.mesokube.allocator.AgentInfo;
import io.mesokube.allocator.AllocatorOptions;
import io.mesokube.allocator.FrameworkInfo;
import io.mesokube.allocator.HierarchicalAllocator;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.util.Locale;

/**
 * Heap the allocator keeps per agent, per framework, per offer held and per offer filter, measured
 * as the used heap after full collections, at 10,000 agents and 1,000 frameworks. Prints a Markdown
 * table.
 */
public final class HeapFootprint {
  private static final int AGENTS = 10_000;
  private static final int FRAMEWORKS = 1_000;

  private HeapFootprint() {}

  /** Runs the measurement. */
  public static void main(String[] args) {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long base = usedAfterGc(memory);
    HierarchicalAllocator allocator =
        new HierarchicalAllocator(AllocatorOptions.defaults().withSeed(1));
    for (int a = 0; a < AGENTS; a++) {
      allocator.addAgent(AgentInfo.of("agent-" + a, Cluster.AGENT));
    }
    long withAgents = usedAfterGc(memory);
    for (int f = 0; f < FRAMEWORKS; f++) {
      allocator.addFramework(FrameworkInfo.of("framework-" + f, "*"));
    }
    long withFrameworks = usedAfterGc(memory);
    int offers = allocator.allocate().offers().size();
    long withOffers = usedAfterGc(memory);
    HierarchicalAllocator declined = Cluster.build(AGENTS, FRAMEWORKS, false);
    long beforeFilters = usedAfterGc(memory);
    Cluster.declineMost(declined, FRAMEWORKS);
    long withFilters = usedAfterGc(memory);
    long filters = (long) AGENTS * (FRAMEWORKS - FRAMEWORKS / 10);
    System.out.println("| what | bytes each |");
    System.out.println("| --- | ---: |");
    row("agent (empty allocator + 10,000 agents)", withAgents - base, AGENTS);
    row("framework (1,000 frameworks in `*`)", withFrameworks - withAgents, FRAMEWORKS);
    row("offer held (one per agent)", withOffers - withFrameworks, offers);
    row("offer filter (900 frameworks × 10,000 agents)", withFilters - beforeFilters, filters);
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "Total heap for 10,000 agents and 1,000 frameworks with every agent offered: %.1f MiB%n",
        (withOffers - base) / 1048576.0);
    // Keep both allocators alive until every measurement is taken.
    Reference.reachabilityFence(allocator);
    Reference.reachabilityFence(declined);
  }

  private static void row(String what, long bytes, long count) {
    System.out.printf(Locale.ROOT, "| %s | %,.0f |%n", what, bytes / (double) count);
  }

  private static long usedAfterGc(MemoryMXBean memory) {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
