package io.mesokube.allocator;

import static io.mesokube.allocator.Fixtures.allocator;
import static io.mesokube.allocator.Fixtures.framework;
import static org.assertj.core.api.Assertions.assertThat;

import io.mesokube.allocator.resources.Reservation;
import io.mesokube.allocator.resources.Resource;
import io.mesokube.allocator.resources.Resources;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AllocationSummaryTest {
  private final HierarchicalAllocator allocator = allocator(new ManualClock());

  @Test
  void explainsWhyAFrameworkGotNothing() {
    allocator.addAgent(
        AgentInfo.of(
            "reserved",
            Resources.of(
                Resource.scalar("cpus", 4).reserved(Reservation.ofStatic("eng")),
                Resource.scalar("mem", 512).reserved(Reservation.ofStatic("eng")),
                Resource.scalar("cpus", 0.001))));
    framework(allocator, "ops", "ops");
    framework(allocator, "quiet", "ops");
    allocator.suppressOffers("quiet", Set.of());
    AllocationResult result = allocator.allocate();
    assertThat(result.offers()).isEmpty();
    assertThat(result.summary().reasons("ops"))
        .containsExactly(java.util.Map.entry(SkipReason.INSUFFICIENT_RESOURCES, 1));
    assertThat(result.summary().reasons("quiet"))
        .containsExactly(java.util.Map.entry(SkipReason.SUPPRESSED, 1));
    assertThat(result.summary().agentsConsidered()).isEqualTo(1);
    assertThat(result.summary().offers()).isZero();
  }

  @Test
  void countsAreFreshEachCycle() {
    allocator.addAgent(AgentInfo.of("a1", Resources.parse("cpus:1;mem:64;gpus:1")));
    framework(allocator, "f", "*");
    assertThat(allocator.allocate().summary().count("f", SkipReason.GPU_WITHHELD)).isEqualTo(1);
    assertThat(allocator.allocate(java.util.List.of()).summary().reasons("f")).isEmpty();
  }
}
