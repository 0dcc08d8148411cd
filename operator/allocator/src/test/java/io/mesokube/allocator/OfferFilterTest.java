package io.mesokube.allocator;

import static io.mesokube.allocator.Fixtures.agent;
import static io.mesokube.allocator.Fixtures.allocator;
import static io.mesokube.allocator.Fixtures.declineAll;
import static io.mesokube.allocator.Fixtures.framework;
import static org.assertj.core.api.Assertions.assertThat;

import io.mesokube.allocator.resources.Resources;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OfferFilterTest {
  private final ManualClock clock = new ManualClock();
  private final HierarchicalAllocator allocator = allocator(clock);

  @Test
  void aDeclineWithRefuseSecondsFiltersUntilItExpires() {
    agent(allocator, "a1", "cpus:2;mem:256");
    framework(allocator, "f", "*");
    declineAll(allocator, allocator.allocate().offers(), Duration.ofSeconds(10));
    AllocationResult filtered = allocator.allocate();
    assertThat(filtered.offers()).isEmpty();
    assertThat(filtered.summary().count("f", SkipReason.FILTERED)).isEqualTo(1);
    clock.advance(Duration.ofSeconds(9));
    assertThat(allocator.allocate().offers()).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(allocator.allocate().offers()).hasSize(1);
  }

  @Test
  void aDeclineWithoutFilterIsOfferedAgainAtOnce() {
    agent(allocator, "a1", "cpus:2;mem:256");
    framework(allocator, "f", "*");
    declineAll(allocator, allocator.allocate().offers(), Duration.ZERO);
    assertThat(allocator.allocate().offers()).hasSize(1);
  }

  @Test
  void filteredResourcesGoToTheNextFramework() {
    agent(allocator, "a1", "cpus:2;mem:256");
    framework(allocator, "f1", "*");
    framework(allocator, "f2", "*");
    List<Offer> offers = allocator.allocate().offers();
    String first = offers.get(0).frameworkId();
    declineAll(allocator, offers, Duration.ofHours(1));
    assertThat(allocator.allocate().offers())
        .singleElement()
        .extracting(Offer::frameworkId)
        .isNotEqualTo(first);
  }

  @Test
  void aFilterOnlyCoversWhatWasRefusedNotMore() {
    agent(allocator, "a1", "cpus:4;mem:512");
    framework(allocator, "f", "*");
    Offer offer = allocator.allocate().offers().get(0);
    Resources half = Resources.parse("cpus:2;mem:256").allocatedTo("*");
    allocator.recoverResources("f", "a1", half, Duration.ofHours(1));
    assertThat(allocator.allocate().offers()).isEmpty();
    // The rest comes back (say a task finished): now more than was refused is available.
    allocator.recoverResources("f", "a1", offer.resources().minus(half), Duration.ZERO);
    assertThat(allocator.allocate().offers())
        .singleElement()
        .satisfies(o -> assertThat(o.resources().scalar("cpus")).isEqualTo(4.0));
  }

  @Test
  void freedPortsLiftAFilterEvenWhenScalarsAreUnchanged() {
    agent(allocator, "a1", "cpus:4;mem:512;ports:[1-10]");
    framework(allocator, "f", "*");
    allocator.allocate();
    allocator.recoverResources(
        "f",
        "a1",
        Resources.parse("cpus:2;mem:256;ports:[1-5]").allocatedTo("*"),
        Duration.ofHours(1));
    assertThat(allocator.allocate().offers()).isEmpty();
    allocator.recoverResources(
        "f", "a1", Resources.parse("ports:[6-10]").allocatedTo("*"), Duration.ZERO);
    assertThat(allocator.allocate().offers())
        .singleElement()
        .satisfies(
            o ->
                assertThat(o.resources().unallocated())
                    .isEqualTo(Resources.parse("cpus:2;mem:256;ports:[1-10]")));
  }

  @Test
  void oneAgentsDeclinesAreSharedAcrossFrameworksButStayIndependent() {
    agent(allocator, "a1", "cpus:2;mem:256");
    for (int i = 0; i < 5; i++) {
      framework(allocator, "f" + i, "*");
    }
    for (int i = 0; i < 4; i++) {
      declineAll(allocator, allocator.allocate().offers(), Duration.ofSeconds(10 + i));
    }
    AllocationResult last = allocator.allocate();
    assertThat(last.offers()).hasSize(1);
    declineAll(allocator, last.offers(), Duration.ofSeconds(100));
    assertThat(allocator.allocate().offers()).isEmpty();
    clock.advance(Duration.ofSeconds(10));
    // Only the first decline (10 s) has expired.
    assertThat(allocator.allocate().offers()).hasSize(1);
  }

  @Test
  void filtersAreKeptPerFrameworkAndAgent() {
    agent(allocator, "a1", "cpus:1;mem:64");
    agent(allocator, "a2", "cpus:1;mem:64");
    framework(allocator, "f", "*");
    List<Offer> offers = allocator.allocate().offers();
    Offer onA1 = offers.stream().filter(o -> o.agentId().equals("a1")).findFirst().orElseThrow();
    Offer onA2 = offers.stream().filter(o -> o.agentId().equals("a2")).findFirst().orElseThrow();
    allocator.recoverResources("f", "a1", onA1.resources(), Duration.ofHours(1));
    allocator.recoverResources("f", "a2", onA2.resources(), Duration.ZERO);
    assertThat(allocator.allocate().offers())
        .singleElement()
        .extracting(Offer::agentId)
        .isEqualTo("a2");
  }

  @Test
  void reviveClearsFilters() {
    agent(allocator, "a1", "cpus:2;mem:256");
    framework(allocator, "f", "*");
    declineAll(allocator, allocator.allocate().offers(), Duration.ofDays(1));
    assertThat(allocator.allocate().offers()).isEmpty();
    allocator.reviveOffers("f", Set.of());
    assertThat(allocator.allocate().offers()).hasSize(1);
  }
}
