package io.mesokube.allocator;

import static io.mesokube.allocator.Fixtures.agent;
import static io.mesokube.allocator.Fixtures.allocator;
import static io.mesokube.allocator.Fixtures.framework;
import static io.mesokube.allocator.Fixtures.total;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.mesokube.allocator.resources.ResourceLimits;
import io.mesokube.allocator.resources.ResourceQuantities;
import io.mesokube.allocator.role.Quota;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuotaAllocationTest {
  private final ManualClock clock = new ManualClock();
  private final HierarchicalAllocator allocator = allocator(clock);

  private static Quota quota(String guarantees, String limits) {
    return new Quota(ResourceQuantities.parse(guarantees), ResourceLimits.parse(limits));
  }

  @Test
  void guaranteesAreSatisfiedBeforeFairShare() {
    for (int i = 0; i < 4; i++) {
      agent(allocator, "a" + i, "cpus:4;mem:1024");
    }
    // Without quota, two frameworks split 2/2; the guarantee of 12 cpus changes that.
    allocator.updateQuota("prod", quota("cpus:12", "cpus:100"));
    framework(allocator, "p", "prod");
    framework(allocator, "d", "dev");
    List<Offer> offers = allocator.allocate().offers();
    assertThat(total(offers, "p", "cpus")).isGreaterThanOrEqualTo(12.0);
    assertThat(total(offers, "d", "cpus")).isLessThanOrEqualTo(4.0);
  }

  @Test
  void guaranteedResourcesAreChoppedToTheGuaranteeInStageOne() {
    agent(allocator, "a1", "cpus:10;mem:1000");
    // "aprod" sorts before "dev", so without stage 1 it would take the whole agent in stage 2.
    allocator.updateQuota("aprod", quota("cpus:3;mem:100", "cpus:100;mem:10000"));
    framework(allocator, "p", "aprod");
    framework(allocator, "d", "dev");
    List<Offer> offers = allocator.allocate().offers();
    assertThat(total(offers, "p", "cpus")).isEqualTo(3.0);
    assertThat(total(offers, "p", "mem")).isEqualTo(100.0);
    assertThat(total(offers, "d", "cpus")).isEqualTo(7.0);
  }

  @Test
  void limitsAreNeverExceededEvenWithNothingElseAsking() {
    for (int i = 0; i < 5; i++) {
      agent(allocator, "a" + i, "cpus:4;mem:1024");
    }
    allocator.updateQuota("capped", quota("", "cpus:6;mem:1536"));
    framework(allocator, "c", "capped");
    AllocationResult result = allocator.allocate();
    assertThat(total(result.offers(), "c", "cpus")).isEqualTo(6.0);
    assertThat(total(result.offers(), "c", "mem")).isEqualTo(1536.0);
    assertThat(result.summary().count("c", SkipReason.QUOTA_LIMIT)).isPositive();
  }

  @Test
  void aLimitOnOneResourceStillLetsTheOthersBeOffered() {
    for (int i = 0; i < 3; i++) {
      agent(allocator, "a" + i, "cpus:4;mem:1024");
    }
    allocator.updateQuota("capped", quota("", "cpus:6"));
    framework(allocator, "c", "capped");
    List<Offer> offers = allocator.allocate().offers();
    assertThat(total(offers, "c", "cpus")).isEqualTo(6.0);
    assertThat(total(offers, "c", "mem")).isEqualTo(3072.0);
  }

  @Test
  void headroomForUnmetGuaranteesIsKeptFromOtherRoles() {
    agent(allocator, "a1", "cpus:4;mem:1024");
    agent(allocator, "a2", "cpus:4;mem:1024");
    // prod is guaranteed 6 cpus but has no framework yet: dev may only take the 2 spare cpus.
    allocator.updateQuota("prod", quota("cpus:6", "cpus:6"));
    framework(allocator, "d", "dev");
    assertThat(total(allocator.allocate().offers(), "d", "cpus")).isEqualTo(2.0);
    framework(allocator, "p", "prod");
    assertThat(total(allocator.allocate().offers(), "p", "cpus")).isEqualTo(6.0);
  }

  @Test
  void aParentsLimitCapsItsChildren() {
    for (int i = 0; i < 4; i++) {
      agent(allocator, "a" + i, "cpus:2;mem:256");
    }
    allocator.updateQuota("eng", quota("", "cpus:3"));
    framework(allocator, "fe", "eng/frontend");
    framework(allocator, "be", "eng/backend");
    List<Offer> offers = allocator.allocate().offers();
    assertThat(total(offers, "fe", "cpus") + total(offers, "be", "cpus")).isEqualTo(3.0);
  }

  @Test
  void aChildsGuaranteeCountsTowardItsParentsQuota() {
    for (int i = 0; i < 4; i++) {
      agent(allocator, "a" + i, "cpus:2;mem:256");
    }
    allocator.updateQuota("eng", quota("cpus:4", "cpus:8"));
    framework(allocator, "fe", "eng/frontend");
    framework(allocator, "other", "other");
    List<Offer> offers = allocator.allocate().offers();
    assertThat(total(offers, "fe", "cpus")).isGreaterThanOrEqualTo(4.0);
  }

  @Test
  void rejectsBadQuotas() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> quota("cpus:5", "cpus:4"))
        .withMessageContaining("exceeds its limit");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> allocator.updateQuota("*", quota("cpus:1", "cpus:1")));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> allocator.updateQuota("a//b", Quota.NONE));
  }
}
