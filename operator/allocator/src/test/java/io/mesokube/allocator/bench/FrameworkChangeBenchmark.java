package io.mesokube.allocator.bench;

import io.mesokube.allocator.AllocationResult;
import io.mesokube.allocator.HierarchicalAllocator;
import java.util.Set;
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
 * The incremental path for one framework: on a busy cluster a framework revives, which (as in
 * Mesos) makes the next batch a cycle over every agent; timed: the revive and that batch.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms6g", "-Xmx6g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FrameworkChangeBenchmark {
  @Param({"1000", "5000", "10000"})
  public int agents;

  @Param({"1", "100", "1000"})
  public int frameworks;

  private HierarchicalAllocator allocator;

  /** Builds the cluster and offers every agent's spare resources once. */
  @Setup(Level.Trial)
  public void build() {
    allocator = Cluster.build(agents, frameworks, false);
    allocator.allocate();
  }

  /** Revive and the batch it triggers. */
  @Benchmark
  public AllocationResult reviveAndAllocate() {
    allocator.reviveOffers("framework-0", Set.of());
    return allocator.allocatePending();
  }
}
