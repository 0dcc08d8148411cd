package io.mesokube.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LeaseRenewalsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");

  @Test
  void aRenewalOnTimeNeedsNoReconcile() {
    assertThat(LeaseRenewals.mayChangePhase(lease("id-1", 10), lease("id-1", 5))).isFalse();
  }

  @Test
  void aRenewalAfterAMissedOneMayEndAnUnreachablePhase() {
    assertThat(LeaseRenewals.mayChangePhase(lease("id-1", 10), lease("id-1", 0))).isTrue();
    assertThat(LeaseRenewals.mayChangePhase(lease("id-1", 100), lease("id-1", 0))).isTrue();
  }

  @Test
  void aNewHolderIsAFreshRegistration() {
    assertThat(LeaseRenewals.mayChangePhase(lease("id-2", 5), lease("id-1", 0))).isTrue();
  }

  @Test
  void anIncompleteLeaseIsPassedOn() {
    Lease bare = new LeaseBuilder().withNewSpec().endSpec().build();
    assertThat(LeaseRenewals.mayChangePhase(bare, lease("id-1", 0))).isTrue();
    assertThat(LeaseRenewals.mayChangePhase(lease("id-1", 5), bare)).isTrue();
  }

  /** A Lease of 15 s renewed {@code seconds} after T0. */
  private static Lease lease(String holder, int seconds) {
    return new LeaseBuilder()
        .withNewSpec()
        .withHolderIdentity(holder)
        .withLeaseDurationSeconds(15)
        .withRenewTime(T0.plusSeconds(seconds).atZone(ZoneOffset.UTC))
        .endSpec()
        .build();
  }
}
