package io.mesokube.allocator;

import static io.mesokube.allocator.Fixtures.agent;
import static io.mesokube.allocator.Fixtures.allocator;
import static io.mesokube.allocator.Fixtures.framework;
import static io.mesokube.allocator.Fixtures.multiRole;
import static io.mesokube.allocator.Fixtures.total;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.mesokube.allocator.resources.Resources;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DrfAllocationTest {
  private final ManualClock clock = new ManualClock();
  private final HierarchicalAllocator allocator = allocator(clock);

  @Test
  void offersEachAgentWholeToOneFrameworkWithItsRoleMarked() {
    agent(allocator, "a1", "cpus:4;mem:1024;ports:[31000-31010]");
    framework(allocator, "f1", "eng");
    List<Offer> offers = allocator.allocate().offers();
    assertThat(offers).hasSize(1);
    Offer offer = offers.get(0);
    assertThat(offer.frameworkId()).isEqualTo("f1");
    assertThat(offer.role()).isEqualTo("eng");
    assertThat(offer.resources().unallocated())
        .isEqualTo(Resources.parse("cpus:4;mem:1024;ports:[31000-31010]"));
    assertThat(offer.resources().asList()).allMatch(r -> "eng".equals(r.allocationRole()));
    assertThat(allocator.available("a1").isEmpty()).isTrue();
    assertThat(allocator.allocate().offers()).isEmpty();
  }

  @Test
  void frameworksWithEqualWeightGetEqualShares() {
    for (int i = 0; i < 10; i++) {
      agent(allocator, "a" + i, "cpus:2;mem:512");
    }
    framework(allocator, "f1", "*");
    framework(allocator, "f2", "*");
    List<Offer> offers = allocator.allocate().offers();
    assertThat(total(offers, "f1", "cpus")).isEqualTo(10.0);
    assertThat(total(offers, "f2", "cpus")).isEqualTo(10.0);
  }

  @Test
  void theFrameworkWithTheSmallerDominantShareGoesFirst() {
    agent(allocator, "a1", "cpus:10;mem:100");
    agent(allocator, "a2", "cpus:1;mem:10");
    framework(allocator, "big", "*");
    List<Offer> first = allocator.allocate().offers();
    assertThat(first).hasSize(2);
    Offer small = first.stream().filter(o -> o.agentId().equals("a2")).findFirst().orElseThrow();
    allocator.recoverResources("big", "a2", small.resources(), null);
    framework(allocator, "newcomer", "*");
    assertThat(allocator.allocate().offers())
        .singleElement()
        .extracting(Offer::frameworkId)
        .isEqualTo("newcomer");
  }

  @Test
  void roleWeightsSkewTheSplit() {
    for (int i = 0; i < 8; i++) {
      agent(allocator, "a" + i, "cpus:1;mem:128");
    }
    allocator.updateWeights(Map.of("heavy", 3.0));
    framework(allocator, "h", "heavy");
    framework(allocator, "l", "light");
    List<Offer> offers = allocator.allocate().offers();
    assertThat(total(offers, "h", "cpus")).isEqualTo(6.0);
    assertThat(total(offers, "l", "cpus")).isEqualTo(2.0);
  }

  @Test
  void hierarchicalRolesShareAtEachLevel() {
    for (int i = 0; i < 8; i++) {
      agent(allocator, "a" + i, "cpus:1;mem:128");
    }
    framework(allocator, "fe", "eng/frontend");
    framework(allocator, "be", "eng/backend");
    framework(allocator, "ops", "ops");
    List<Offer> offers = allocator.allocate().offers();
    // eng and ops split 4/4; inside eng, frontend and backend split 2/2.
    assertThat(total(offers, "ops", "cpus")).isEqualTo(4.0);
    assertThat(total(offers, "fe", "cpus")).isEqualTo(2.0);
    assertThat(total(offers, "be", "cpus")).isEqualTo(2.0);
  }

  @Test
  void multiRoleFrameworksAreOfferedInEachRole() {
    for (int i = 0; i < 4; i++) {
      agent(allocator, "a" + i, "cpus:1;mem:128");
    }
    multiRole(allocator, "m", "x", "y");
    List<Offer> offers = allocator.allocate().offers();
    assertThat(offers).extracting(Offer::role).containsOnly("x", "y");
    assertThat(offers.stream().filter(o -> o.role().equals("x")).count()).isEqualTo(2);
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> allocator.addFramework(new FrameworkInfo("n", Set.of("x", "y"), Set.of())))
        .withMessageContaining("MULTI_ROLE");
  }

  @Test
  void minimumAllocatableResourcesHoldBackCrumbs() {
    agent(allocator, "tiny", "cpus:0.005;mem:16");
    agent(allocator, "memonly", "mem:64");
    agent(allocator, "portsonly", "ports:[1-100]");
    framework(allocator, "f", "*");
    assertThat(allocator.allocate().offers())
        .singleElement()
        .extracting(Offer::agentId)
        .isEqualTo("memonly");
  }

  @Test
  void theAgentOrderIsShuffledAndReproducibleFromTheSeed() {
    List<String> first = offerOrder(7);
    assertThat(offerOrder(7)).isEqualTo(first);
    assertThat(offerOrder(8)).isNotEqualTo(first);
  }

  private static List<String> offerOrder(long seed) {
    HierarchicalAllocator a = new HierarchicalAllocator(AllocatorOptions.defaults().withSeed(seed));
    for (int i = 0; i < 20; i++) {
      agent(a, "a" + i, "cpus:1;mem:64");
    }
    framework(a, "f1", "*");
    framework(a, "f2", "*");
    return a.allocate().offers().stream().map(o -> o.frameworkId() + "@" + o.agentId()).toList();
  }

  @Test
  void theRandomSorterStillOffersEverything() {
    HierarchicalAllocator a =
        new HierarchicalAllocator(
            AllocatorOptions.defaults()
                .withSorters(
                    AllocatorOptions.SorterType.RANDOM, AllocatorOptions.SorterType.RANDOM));
    for (int i = 0; i < 10; i++) {
      agent(a, "a" + i, "cpus:1;mem:64");
    }
    framework(a, "f1", "r1");
    framework(a, "f2", "r2");
    List<Offer> offers = a.allocate().offers();
    assertThat(offers).hasSize(10);
  }
}
