package io.mesokube.allocator;

import static io.mesokube.allocator.Fixtures.agent;
import static io.mesokube.allocator.Fixtures.allocator;
import static io.mesokube.allocator.Fixtures.framework;
import static io.mesokube.allocator.Fixtures.multiRole;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SuppressReviveTest {
  private final HierarchicalAllocator allocator = allocator(new ManualClock());

  @Test
  void suppressedRolesGetNoOffersUntilRevived() {
    agent(allocator, "a1", "cpus:1;mem:64");
    agent(allocator, "a2", "cpus:1;mem:64");
    multiRole(allocator, "m", "x", "y");
    allocator.suppressOffers("m", Set.of("x"));
    AllocationResult result = allocator.allocate();
    assertThat(result.offers()).extracting(Offer::role).containsOnly("y");
    assertThat(result.summary().count("m", SkipReason.SUPPRESSED)).isEqualTo(2);
    Fixtures.declineAll(allocator, result.offers(), null);
    allocator.suppressOffers("m", Set.of());
    assertThat(allocator.allocate().offers()).isEmpty();
    allocator.reviveOffers("m", Set.of("x"));
    assertThat(allocator.allocate().offers()).extracting(Offer::role).containsOnly("x");
  }

  @Test
  void aFrameworkCanStartSuppressedAndDeactivated() {
    agent(allocator, "a1", "cpus:1;mem:64");
    allocator.addFramework(FrameworkInfo.of("f", "r"), Map.of(), true, Set.of("r"));
    framework(allocator, "g", "r");
    allocator.deactivateFramework("g");
    AllocationResult result = allocator.allocate();
    assertThat(result.offers()).isEmpty();
    assertThat(result.summary().count("g", SkipReason.INACTIVE)).isEqualTo(1);
    allocator.activateFramework("g");
    assertThat(allocator.allocate().offers())
        .singleElement()
        .extracting(Offer::frameworkId)
        .isEqualTo("g");
  }

  @Test
  void updateFrameworkChangesRolesAndSuppression() {
    agent(allocator, "a1", "cpus:1;mem:64");
    framework(allocator, "f", "old");
    allocator.suppressOffers("f", Set.of());
    allocator.updateFramework(new FrameworkInfo("f", Set.of("new"), Set.of()), Set.of());
    assertThat(allocator.allocate().offers())
        .singleElement()
        .extracting(Offer::role)
        .isEqualTo("new");
  }
}
