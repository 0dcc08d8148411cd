package io.mesokube.allocator;

import static io.mesokube.allocator.Fixtures.agent;
import static io.mesokube.allocator.Fixtures.allocator;
import static io.mesokube.allocator.Fixtures.framework;
import static org.assertj.core.api.Assertions.assertThat;

import io.mesokube.allocator.resources.Reservation;
import io.mesokube.allocator.resources.Resource;
import io.mesokube.allocator.resources.ResourceLimits;
import io.mesokube.allocator.resources.ResourceQuantities;
import io.mesokube.allocator.resources.Resources;
import io.mesokube.allocator.role.Quota;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: agents whose resources are held back as quota headroom for another role's unmet
 * guarantee are reported as such, with the roles and amounts, not as short of resources.
 */
class QuotaHeadroomSkipTest {
  private final HierarchicalAllocator allocator = allocator(new ManualClock());

  private static Quota quota(String guarantees, String limits) {
    return new Quota(ResourceQuantities.parse(guarantees), ResourceLimits.parse(limits));
  }

  @Test
  void emptyAgentsHeldForAnotherRolesGuaranteeAreSkippedForTheHeadroom() {
    agent(allocator, "a1", "cpus:1;mem:1024");
    agent(allocator, "a2", "cpus:1;mem:1024");
    // The deploy/examples shape: eng/frontend is guaranteed everything the cluster has left.
    allocator.updateQuota("eng/frontend", quota("cpus:2;mem:2048", "cpus:32;mem:65536"));
    framework(allocator, "b", "batch");

    AllocationResult result = allocator.allocate();

    assertThat(result.offers()).isEmpty();
    assertThat(result.summary().reasons("b"))
        .containsExactly(Map.entry(SkipReason.QUOTA_HEADROOM, 2));
    assertThat(result.summary().unmetGuarantees())
        .containsExactly(Map.entry("eng/frontend", ResourceQuantities.parse("cpus:2;mem:2048")));
  }

  @Test
  void theUnmetAmountIsTheGuaranteeLessWhatTheRoleAndItsChildrenConsume() {
    agent(allocator, "a1", "cpus:1;mem:1024");
    agent(allocator, "a2", "cpus:1;mem:1024");
    allocator.updateQuota("eng", quota("cpus:2;mem:2048", "cpus:32;mem:65536"));
    framework(allocator, "web", "eng/frontend");
    allocator.addAllocation(
        "web", "a1", Resources.parse("cpus:0.5;mem:512").allocatedTo("eng/frontend"));
    allocator.suppressOffers("web", Set.of());
    framework(allocator, "b", "batch");

    AllocationResult result = allocator.allocate();

    assertThat(result.offers()).isEmpty();
    assertThat(result.summary().count("b", SkipReason.QUOTA_HEADROOM)).isEqualTo(2);
    assertThat(result.summary().unmetGuarantees())
        .containsExactly(Map.entry("eng", ResourceQuantities.parse("cpus:1.5;mem:1536")));
  }

  @Test
  void onlyWhatTheHeadroomTakesIsHeldBack() {
    agent(allocator, "a1", "cpus:2;mem:2048");
    agent(allocator, "a2", "cpus:2;mem:2048");
    allocator.updateQuota("eng/frontend", quota("cpus:2;mem:2048", "cpus:32;mem:65536"));
    framework(allocator, "b", "batch");

    AllocationResult result = allocator.allocate();

    // The surplus beyond the guarantee is offered; only the agent it leaves empty-handed is held.
    assertThat(Fixtures.total(result.offers(), "b", "cpus")).isEqualTo(2.0);
    assertThat(result.summary().reasons("b")).containsOnlyKeys(SkipReason.QUOTA_HEADROOM);
    assertThat(result.summary().unmetGuarantees()).containsOnlyKeys("eng/frontend");
  }

  @Test
  void aMetGuaranteeHoldsNothingBack() {
    agent(allocator, "a1", "cpus:1;mem:1024");
    agent(allocator, "a2", "cpus:1;mem:1024");
    allocator.updateQuota("eng/frontend", quota("cpus:1;mem:1024", "cpus:32;mem:65536"));
    framework(allocator, "fe", "eng/frontend");
    framework(allocator, "b", "batch");

    AllocationResult result = allocator.allocate();

    assertThat(Fixtures.total(result.offers(), "b", "cpus")).isEqualTo(1.0);
    assertThat(result.summary().reasons("b")).doesNotContainKey(SkipReason.QUOTA_HEADROOM);
    assertThat(result.summary().unmetGuarantees()).isEmpty();
  }

  @Test
  void anAgentShortForTheRoleIsStillInsufficientWhileTheHeadroomHoldsAnother() {
    // Reserved for eng, with a sliver left for anyone: short of the minimum for ops, headroom or
    // not. The empty agent is held for prod's guarantee.
    allocator.addAgent(
        AgentInfo.of(
            "reserved",
            Resources.of(
                Resource.scalar("cpus", 4).reserved(Reservation.ofStatic("eng")),
                Resource.scalar("mem", 512).reserved(Reservation.ofStatic("eng")),
                Resource.scalar("cpus", 0.001))));
    agent(allocator, "empty", "cpus:1;mem:1024");
    allocator.updateQuota("prod", quota("cpus:1;mem:1024", "cpus:1;mem:1024"));
    framework(allocator, "ops", "ops");

    AllocationResult result = allocator.allocate();

    assertThat(result.offers()).isEmpty();
    assertThat(result.summary().reasons("ops"))
        .containsOnly(
            Map.entry(SkipReason.INSUFFICIENT_RESOURCES, 1),
            Map.entry(SkipReason.QUOTA_HEADROOM, 1));
  }

  @Test
  void aLimitIsStillTheLimitWhenHeadroomIsHeldToo() {
    agent(allocator, "a1", "cpus:4;mem:4096");
    allocator.updateQuota("prod", quota("cpus:1;mem:1024", "cpus:1;mem:1024"));
    allocator.updateQuota("capped", quota("", "cpus:0.001;mem:16"));
    framework(allocator, "c", "capped");

    AllocationResult result = allocator.allocate();

    assertThat(result.offers()).isEmpty();
    assertThat(result.summary().reasons("c")).containsExactly(Map.entry(SkipReason.QUOTA_LIMIT, 1));
  }
}
