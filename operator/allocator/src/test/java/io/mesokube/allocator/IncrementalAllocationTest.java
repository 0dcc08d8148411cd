package io.mesokube.allocator;

import static io.mesokube.allocator.Fixtures.agent;
import static io.mesokube.allocator.Fixtures.allocator;
import static io.mesokube.allocator.Fixtures.framework;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IncrementalAllocationTest {
  private final ManualClock clock = new ManualClock();
  private final HierarchicalAllocator allocator = allocator(clock);

  @Test
  void allocatingChosenAgentsLeavesTheOthersAlone() {
    for (int i = 0; i < 5; i++) {
      agent(allocator, "a" + i, "cpus:1;mem:64");
    }
    framework(allocator, "f", "*");
    AllocationResult result = allocator.allocate(List.of("a1", "a3"));
    assertThat(result.offers()).extracting(Offer::agentId).containsExactlyInAnyOrder("a1", "a3");
    assertThat(result.summary().agentsConsidered()).isEqualTo(2);
    assertThat(allocator.available("a0").isEmpty()).isFalse();
  }

  @Test
  void eventsAreBatchedUntilTheNextCycle() {
    framework(allocator, "f", "*");
    allocator.allocatePending();
    assertThat(allocator.hasPendingEvents()).isFalse();
    agent(allocator, "a1", "cpus:1;mem:64");
    agent(allocator, "a2", "cpus:1;mem:64");
    assertThat(allocator.hasPendingEvents()).isTrue();
    AllocationResult batch = allocator.allocatePending();
    assertThat(batch.offers()).extracting(Offer::agentId).containsExactlyInAnyOrder("a1", "a2");
    assertThat(allocator.hasPendingEvents()).isFalse();
    assertThat(allocator.allocatePending().offers()).isEmpty();
  }

  @Test
  void aRecoveredAgentIsTheOnlyCandidateOfTheNextBatch() {
    for (int i = 0; i < 3; i++) {
      agent(allocator, "a" + i, "cpus:1;mem:64");
    }
    framework(allocator, "f", "*");
    List<Offer> offers = allocator.allocatePending().offers();
    Offer one = offers.get(0);
    allocator.recoverResources("f", one.agentId(), one.resources(), Duration.ZERO);
    AllocationResult next = allocator.allocatePending();
    assertThat(next.summary().agentsConsidered()).isEqualTo(1);
    assertThat(next.offers()).singleElement().extracting(Offer::agentId).isEqualTo(one.agentId());
  }

  @Test
  void aFrameworkEventMakesTheNextBatchAFullCycle() {
    for (int i = 0; i < 3; i++) {
      agent(allocator, "a" + i, "cpus:1;mem:64");
    }
    framework(allocator, "f", "*");
    Fixtures.declineAll(allocator, allocator.allocatePending().offers(), Duration.ofHours(1));
    allocator.allocatePending();
    allocator.reviveOffers("f", Set.of());
    AllocationResult next = allocator.allocatePending();
    assertThat(next.summary().agentsConsidered()).isEqualTo(3);
    assertThat(next.offers()).hasSize(3);
  }
}
