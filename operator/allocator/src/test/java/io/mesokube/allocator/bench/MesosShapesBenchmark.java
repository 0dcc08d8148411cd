package io.mesokube.allocator.bench;

import io.mesokube.allocator.AgentInfo;
import io.mesokube.allocator.AllocationResult;
import io.mesokube.allocator.AllocatorOptions;
import io.mesokube.allocator.FrameworkInfo;
import io.mesokube.allocator.HierarchicalAllocator;
import io.mesokube.allocator.Offer;
import io.mesokube.allocator.resources.ResourceQuantities;
import io.mesokube.allocator.resources.Resources;
import io.mesokube.allocator.role.Quota;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Shapes for which Mesos published figures outside the main table: DeclineOffers at 2,000 × 200 and
 * 2,000 × 2,000 (MESOS-4694) and 10,000 × 3,000 (Mesos commit 6abe32f), and LargeAndSmallQuota/2:
 * 3,000 agents of {@code cpus:2;mem:2048;disk:2048}, 2,500 roles with a quota of half an agent and
 * 500 with two agents' worth, one framework each (Mesos commits 73033130 and 81e10fc0).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms6g", "-Xmx6g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MesosShapesBenchmark {
  @Param({
    "DeclineOffers-2000x200",
    "DeclineOffers-2000x2000",
    "DeclineOffers-10000x3000",
    "LargeAndSmallQuota-3000"
  })
  public String shape;

  private HierarchicalAllocator allocator;
  private List<Offer> previous = List.of();

  /** Builds the cluster of the shape. */
  @Setup(Level.Trial)
  public void build() {
    allocator =
        switch (shape) {
          case "DeclineOffers-2000x200" -> Cluster.build(2000, 200, false);
          case "DeclineOffers-2000x2000" -> Cluster.build(2000, 2000, false);
          case "DeclineOffers-10000x3000" -> Cluster.build(10_000, 3000, false);
          default -> largeAndSmallQuota();
        };
  }

  private static HierarchicalAllocator largeAndSmallQuota() {
    HierarchicalAllocator allocator =
        new HierarchicalAllocator(AllocatorOptions.defaults().withSeed(42));
    Resources agent = Resources.parse("cpus:2;mem:2048;disk:2048");
    for (int a = 0; a < 2500 / 5 + 500 * 5; a++) {
      allocator.addAgent(AgentInfo.of("agent-" + a, agent));
    }
    Quota small = Quota.of(ResourceQuantities.parse("cpus:1;mem:1024;disk:1024"));
    Quota large = Quota.of(ResourceQuantities.parse("cpus:4;mem:4096;disk:4096"));
    for (int r = 0; r < 2500; r++) {
      allocator.addFramework(FrameworkInfo.of("small-" + r, "smallQuotaRole" + r));
      allocator.updateQuota("smallQuotaRole" + r, small);
    }
    for (int r = 0; r < 500; r++) {
      allocator.addFramework(FrameworkInfo.of("large-" + r, "largeQuotaRole" + r));
      allocator.updateQuota("largeQuotaRole" + r, large);
    }
    return allocator;
  }

  /** Declines the previous cycle's offers without a filter (not timed). */
  @Setup(Level.Invocation)
  public void declinePrevious() {
    for (Offer offer : previous) {
      allocator.recoverResources(offer.frameworkId(), offer.agentId(), offer.resources(), null);
    }
    previous = List.of();
  }

  /** The timed cycle; {@code cpu} records its CPU time and offers. */
  @Benchmark
  public AllocationResult allocate(CycleStats cpu) {
    cpu.start();
    AllocationResult result = allocator.allocate();
    cpu.stop(result.offers().size());
    previous = result.offers();
    return result;
  }
}
