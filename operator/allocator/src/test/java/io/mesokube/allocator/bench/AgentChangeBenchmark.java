package io.mesokube.allocator.bench;

import io.mesokube.allocator.AllocationResult;
import io.mesokube.allocator.HierarchicalAllocator;
import io.mesokube.allocator.Offer;
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
 * The incremental path for one agent: on a busy cluster (every agent's spare resources offered),
 * one agent's offer is declined without a filter and {@code allocatePending()} re-offers that agent
 * alone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms6g", "-Xmx6g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AgentChangeBenchmark {
  @Param({"1000", "5000", "10000"})
  public int agents;

  @Param({"1", "100", "1000"})
  public int frameworks;

  private HierarchicalAllocator allocator;
  private Offer outstanding;

  /** Builds the cluster and offers every agent's spare resources once. */
  @Setup(Level.Trial)
  public void build() {
    allocator = Cluster.build(agents, frameworks, false);
    outstanding = allocator.allocate().offers().get(0);
  }

  /** Declines one offer without a filter (not timed). */
  @Setup(Level.Invocation)
  public void declineOne() {
    allocator.recoverResources(
        outstanding.frameworkId(), outstanding.agentId(), outstanding.resources(), null);
  }

  /** The timed batch: one agent. */
  @Benchmark
  public AllocationResult allocatePending() {
    AllocationResult result = allocator.allocatePending();
    outstanding = result.offers().get(0);
    return result;
  }
}
