package io.mesokube.operator.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.mesokube.allocator.AllocatorOptions;
import io.mesokube.allocator.FrameworkInfo;
import io.mesokube.allocator.HierarchicalAllocator;
import io.mesokube.allocator.Offer;
import io.mesokube.api.v1alpha1.agent.Agent;
import io.mesokube.api.v1alpha1.agent.AgentPhase;
import io.mesokube.api.v1alpha1.agent.AgentSpec;
import io.mesokube.api.v1alpha1.agent.AgentStatus;
import io.mesokube.api.v1alpha1.agent.Maintenance;
import io.mesokube.api.v1alpha1.common.Resources;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentSyncTest {
  private final HierarchicalAllocator allocator =
      new HierarchicalAllocator(AllocatorOptions.defaults());
  private final AgentSync sync = new AgentSync(allocator);
  private final List<String> removed = new ArrayList<>();
  private final List<String> rescinded = new ArrayList<>();

  @Test
  void anUnreachableAgentIsNotOfferedAndAGoneOneIsReleasedUntilItRegistersAgain() {
    allocator.addFramework(FrameworkInfo.of("ns/fw", "batch"));

    sync(AgentPhase.Unreachable);
    assertThat(rescinded).containsExactly("a1");
    assertThat(allocator.allocate().offers()).isEmpty();

    sync(AgentPhase.Gone);
    assertThat(removed).as("its allocations go with it").containsExactly("a1");
    assertThat(sync.knows("a1")).isFalse();
    assertThat(allocator.allocate().offers()).isEmpty();

    sync(AgentPhase.Active);
    assertThat(sync.knows("a1")).isTrue();
    assertThat(allocator.allocate().offers())
        .singleElement()
        .satisfies(
            (Offer o) -> {
              assertThat(o.agentId()).isEqualTo("a1");
              assertThat(o.resources().scalar("cpus")).isEqualTo(4.0);
            });
  }

  @Test
  void anAgentWithoutPhaseIsOffered() {
    allocator.addFramework(FrameworkInfo.of("ns/fw", "batch"));
    sync(null);
    assertThat(rescinded).isEmpty();
    assertThat(allocator.allocate().offers()).extracting(Offer::agentId).containsExactly("a1");
  }

  @Test
  void aRegisteredAgentIsOfferedOnlyOnceItsHeartbeatWasSeen() {
    allocator.addFramework(FrameworkInfo.of("ns/fw", "batch"));
    sync(AgentPhase.Active, false);
    assertThat(rescinded)
        .as("an agent that may have died before this replica started")
        .containsExactly("a1");
    assertThat(allocator.allocate().offers()).isEmpty();

    sync(AgentPhase.Active, true);
    assertThat(allocator.allocate().offers()).extracting(Offer::agentId).containsExactly("a1");
  }

  @Test
  void anAgentGoingDownHasItsOffersRescindedWhileADrainingOneKeepsThem() {
    allocator.addFramework(FrameworkInfo.of("ns/fw", "batch"));
    sync(AgentPhase.Active);
    Offer offer = allocator.allocate().offers().getFirst();
    assertThat(offer.agentId()).isEqualTo("a1");

    sync(AgentPhase.Active, true, Maintenance.Mode.Draining);
    assertThat(rescinded).as("a draining agent's offers stand").isEmpty();

    sync(AgentPhase.Active, true, Maintenance.Mode.Down);
    assertThat(rescinded).containsExactly("a1");
    sync(AgentPhase.Active, true, Maintenance.Mode.Down);
    assertThat(rescinded).as("once, when it goes Down").containsExactly("a1");
    // What AllocationState does for a rescinded offer.
    allocator.recoverResources(offer.frameworkId(), "a1", offer.resources(), null);
    assertThat(allocator.allocate().offers()).as("no new offer while Down").isEmpty();

    sync(AgentPhase.Active, true, null);
    assertThat(allocator.allocate().offers())
        .as("back in service")
        .extracting(Offer::agentId)
        .containsExactly("a1");
  }

  @Test
  void anAgentFirstSeenDownHasItsOffersRescinded() {
    sync(AgentPhase.Active, true, Maintenance.Mode.Down);
    assertThat(rescinded).as("offers a former leader made are stale").containsExactly("a1");
  }

  private void sync(AgentPhase phase) {
    sync(phase, true);
  }

  private void sync(AgentPhase phase, boolean heartbeating) {
    sync(phase, heartbeating, null);
  }

  private void sync(AgentPhase phase, boolean heartbeating, Maintenance.Mode maintenance) {
    Agent agent = new Agent();
    agent.setMetadata(new ObjectMetaBuilder().withName("a1").build());
    agent.setSpec(
        new AgentSpec(
            null,
            "a1.local",
            Resources.of(4, 4096),
            null,
            null,
            maintenance == null ? null : new Maintenance(maintenance, "test")));
    if (phase != null) {
      agent.setStatus(new AgentStatus(null, phase, "id", null, null, null, null, null, null, null));
    }
    sync.sync(List.of(agent), name -> heartbeating, removed::add, rescinded::add);
  }
}
