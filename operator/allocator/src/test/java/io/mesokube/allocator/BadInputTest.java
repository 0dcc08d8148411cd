package io.mesokube.allocator;

import static io.mesokube.allocator.Fixtures.agent;
import static io.mesokube.allocator.Fixtures.allocator;
import static io.mesokube.allocator.Fixtures.framework;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.mesokube.allocator.resources.Resources;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BadInputTest {
  private final HierarchicalAllocator allocator = allocator(new ManualClock());

  @Test
  void rejectsUnknownAndDuplicateIds() {
    agent(allocator, "a1", "cpus:1;mem:64");
    framework(allocator, "f", "r");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> agent(allocator, "a1", "cpus:1"))
        .withMessageContaining("already exists");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> framework(allocator, "f", "r"))
        .withMessageContaining("already exists");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> allocator.removeAgent("nope"))
        .withMessageContaining("Unknown agent");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> allocator.activateFramework("nope"))
        .withMessageContaining("Unknown framework");
  }

  @Test
  void rejectsRolesTheFrameworkHasNot() {
    framework(allocator, "f", "r");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> allocator.suppressOffers("f", Set.of("other")))
        .withMessageContaining("not subscribed to role 'other'");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> allocator.reviveOffers("f", Set.of("other")));
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                allocator.addFramework(
                    FrameworkInfo.of("g", "r"), Map.of(), true, Set.of("elsewhere")));
  }

  @Test
  void rejectsBadRoleNamesAndWeights() {
    assertThatIllegalArgumentException().isThrownBy(() -> FrameworkInfo.of("f", "a/../b"));
    assertThatIllegalArgumentException().isThrownBy(() -> FrameworkInfo.of("f", "/a"));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> allocator.updateWeights(Map.of("ok", 2.0, "bad", Double.NaN)));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> allocator.updateWeights(Map.of("neg", -1.0)));
  }

  @Test
  void recoveringWhatWasNotHeldIsRefusedAndChangesNothing() {
    agent(allocator, "a1", "cpus:2;mem:128");
    framework(allocator, "f", "r");
    Offer offer = allocator.allocate().offers().get(0);
    Resources tooMuch = Resources.parse("cpus:3").allocatedTo("r");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> allocator.recoverResources("f", "a1", tooMuch, null))
        .withMessageContaining("does not hold");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> allocator.recoverResources("f", "a1", Resources.parse("cpus:1"), null))
        .withMessageContaining("no allocation role");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                allocator.recoverResources(
                    "f", "a1", Resources.parse("cpus:1").allocatedTo("x"), null))
        .withMessageContaining("not subscribed");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> allocator.recoverResources("f", "a1", offer.resources(), Duration.ofSeconds(-1)));
    assertThat(allocator.allocation("f").get("a1")).isEqualTo(offer.resources());
    assertThat(allocator.available("a1").isEmpty()).isTrue();
  }

  @Test
  void agentsCannotUseMoreThanTheyHave() {
    framework(allocator, "f", "r");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                allocator.addAgent(
                    AgentInfo.of("a1", Resources.parse("cpus:1")),
                    Map.of("f", Resources.parse("cpus:2").allocatedTo("r"))))
        .withMessageContaining("more than its total");
    agent(allocator, "a2", "cpus:2;mem:64");
    allocator.allocate();
    assertThatIllegalArgumentException()
        .isThrownBy(() -> allocator.updateAgent(AgentInfo.of("a2", Resources.parse("cpus:1"))))
        .withMessageContaining("does not cover");
    assertThat(allocator.allocation("f").get("a2").scalar("cpus")).isEqualTo(2.0);
  }

  @Test
  void aFrameworkCannotLeaveARoleItHoldsResourcesIn() {
    agent(allocator, "a1", "cpus:2;mem:64");
    framework(allocator, "f", "r");
    allocator.allocate();
    assertThatIllegalArgumentException()
        .isThrownBy(() -> allocator.updateFramework(FrameworkInfo.of("f", "s"), Set.of()))
        .withMessageContaining("cannot leave role 'r'");
  }
}
