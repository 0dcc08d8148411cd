package io.mesokube.allocator;

import static io.mesokube.allocator.Fixtures.agent;
import static io.mesokube.allocator.Fixtures.allocator;
import static io.mesokube.allocator.Fixtures.framework;
import static org.assertj.core.api.Assertions.assertThat;

import io.mesokube.allocator.resources.Resources;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AgentAvailabilityTest {
  private final HierarchicalAllocator allocator = allocator(new ManualClock());

  @Test
  void agentsInMaintenanceOrUnreachableAreNotOffered() {
    agent(allocator, "m", "cpus:1;mem:64");
    agent(allocator, "u", "cpus:1;mem:64");
    agent(allocator, "ok", "cpus:1;mem:64");
    framework(allocator, "f", "*");
    allocator.updateUnavailability("m", true);
    allocator.deactivateAgent("u");
    AllocationResult result = allocator.allocate();
    assertThat(result.offers()).singleElement().extracting(Offer::agentId).isEqualTo("ok");
    assertThat(result.summary().agentsUnavailable()).isEqualTo(2);
    assertThat(result.summary().count("f", SkipReason.AGENT_UNAVAILABLE)).isEqualTo(2);
    allocator.updateUnavailability("m", false);
    allocator.activateAgent("u");
    assertThat(allocator.allocate().offers()).extracting(Offer::agentId).containsOnly("m", "u");
  }

  @Test
  void gpuAgentsGoOnlyToGpuCapableFrameworks() {
    agent(allocator, "gpu", "cpus:4;mem:1024;gpus:2");
    agent(allocator, "plain", "cpus:4;mem:1024");
    framework(allocator, "cpuonly", "*");
    AllocationResult result = allocator.allocate();
    assertThat(result.offers()).singleElement().extracting(Offer::agentId).isEqualTo("plain");
    assertThat(result.summary().count("cpuonly", SkipReason.GPU_WITHHELD)).isEqualTo(1);
    allocator.addFramework(
        new FrameworkInfo("ml", Set.of("*"), Set.of(FrameworkInfo.Capability.GPU_RESOURCES)));
    assertThat(allocator.allocate().offers())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.frameworkId()).isEqualTo("ml");
              assertThat(o.resources().scalar("gpus")).isEqualTo(2.0);
            });
  }

  @Test
  void usedResourcesAreNotOfferedAndComeBackWhenTheFrameworkGoes() {
    framework(allocator, "f", "r");
    allocator.addAgent(
        AgentInfo.of("a1", Resources.parse("cpus:4;mem:1024")),
        Map.of("f", Resources.parse("cpus:3;mem:512").allocatedTo("r")));
    framework(allocator, "g", "r");
    assertThat(allocator.allocate().offers())
        .singleElement()
        .satisfies(o -> assertThat(o.resources().scalar("cpus")).isEqualTo(1.0));
    allocator.removeFramework("f");
    assertThat(allocator.allocate().offers())
        .singleElement()
        .satisfies(o -> assertThat(o.resources().scalar("cpus")).isEqualTo(3.0));
  }

  @Test
  void updateAgentChangesWhatIsOffered() {
    agent(allocator, "a1", "cpus:1;mem:64");
    framework(allocator, "f", "*");
    Fixtures.declineAll(allocator, allocator.allocate().offers(), null);
    allocator.updateAgent(AgentInfo.of("a1", Resources.parse("cpus:8;mem:64")));
    assertThat(allocator.allocate().offers().get(0).resources().scalar("cpus")).isEqualTo(8.0);
    allocator.removeAgent("a1");
    assertThat(allocator.allocation("f")).isEmpty();
    assertThat(allocator.allocate().offers()).isEmpty();
  }
}
