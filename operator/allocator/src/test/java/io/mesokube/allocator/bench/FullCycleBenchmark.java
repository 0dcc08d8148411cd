package io.mesokube.allocator.bench;

import io.mesokube.allocator.AllocationResult;
import io.mesokube.allocator.HierarchicalAllocator;
import io.mesokube.allocator.Offer;
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
 * One full allocation cycle ({@code allocate()} over every agent) on Mesos' DeclineOffers cluster.
 * Before each cycle the offers of the previous one are declined without a filter, so every cycle
 * does the same work: what Mesos' benchmark times per round.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms6g", "-Xmx6g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FullCycleBenchmark {
  @Param({"1000", "5000", "10000"})
  public int agents;

  @Param({"1", "100", "1000"})
  public int frameworks;

  @Param({"false", "true"})
  public boolean quota;

  @Param({"false", "true"})
  public boolean filters;

  private HierarchicalAllocator allocator;
  private List<Offer> previous = List.of();

  /** Builds the cluster, and with {@code filters} the DeclineOffers filters. */
  @Setup(Level.Trial)
  public void build() {
    allocator = Cluster.build(agents, frameworks, quota);
    if (filters) {
      Cluster.declineMost(allocator, frameworks);
    }
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
