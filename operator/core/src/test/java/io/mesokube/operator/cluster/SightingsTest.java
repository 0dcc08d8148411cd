package io.mesokube.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.mesokube.api.Mesokube;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SightingsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final MutableClock clock = new MutableClock(T0);
  private final AtomicReference<Instant> leadingSince = new AtomicReference<>();
  private final Sightings sightings = new Sightings(clock, leadingSince::get);

  @Test
  void aProofIsDatedWhenFirstSeenAndOnlyANewerOneIsNews() {
    Instant proof = T0.minusSeconds(100); // the agent's clock, far behind
    assertThat(sightings.firstSeen("a1", proof)).isEqualTo(T0);
    clock.now = T0.plusSeconds(5);
    assertThat(sightings.firstSeen("a1", proof)).as("seen before").isEqualTo(T0);
    assertThat(sightings.firstSeen("a1", proof.minusSeconds(3)))
        .as("a stale object after a relist")
        .isEqualTo(T0);
    assertThat(sightings.firstSeen("a1", proof.plusSeconds(3))).isEqualTo(T0.plusSeconds(5));
  }

  @Test
  void nothingIsSeenBeforeLeadershipStarted() {
    sightings.firstSeen("a1", T0);
    leadingSince.set(T0.plusSeconds(60));
    clock.now = T0.plusSeconds(61);
    assertThat(sightings.firstSeen("a1", T0)).isEqualTo(T0.plusSeconds(60));
  }

  @Test
  void theViewIsQuietWhenNoAgentWasSeenRenewingForTwoRenewalIntervals() {
    assertThat(sightings.quiet(T0)).as("nothing seen yet").isTrue();
    sightings.observe(lease("a1", T0.minusSeconds(500)));
    assertThat(sightings.quiet(T0)).as("a Lease as first listed proves nothing").isTrue();
    sightings.observe(lease("a1", T0.minusSeconds(497)));
    // 10 s Leases are renewed every 3.3 s: two intervals without any renewal is quiet.
    assertThat(sightings.quiet(T0.plusMillis(6_666))).isFalse();
    assertThat(sightings.quiet(T0.plusMillis(6_667))).isTrue();
  }

  @Test
  void agentsGoingSilentAMomentApartLeaveTheViewQuietForEachOfThem() {
    // The case a per-agent check got wrong: two agents' last renewals 80 ms apart, then nothing.
    sightings.observe(lease("a1", T0.minusSeconds(10)));
    sightings.observe(lease("a2", T0.minusSeconds(10)));
    sightings.observe(lease("a1", T0));
    clock.now = T0.plusMillis(80);
    sightings.observe(lease("a2", T0.plusMillis(80)));
    Instant firstExpires = sightings.firstSeen("a1", T0).plus(TIMEOUT);
    Instant secondExpires = sightings.firstSeen("a2", T0.plusMillis(80)).plus(TIMEOUT);
    assertThat(sightings.quiet(firstExpires)).isTrue();
    assertThat(sightings.quiet(secondExpires)).isTrue();
  }

  @Test
  void afterAQuietViewSilenceCountsFromWhenProofsCameBack() {
    sightings.observe(lease("a1", T0.minusSeconds(10)));
    sightings.observe(lease("a2", T0.minusSeconds(10)));
    sightings.observe(lease("a1", T0));
    sightings.observe(lease("a2", T0));
    assertThat(sightings.firstSeen("a2", T0)).isEqualTo(T0);
    // An outage of a minute; a1's renewal comes back first, a2's a moment later.
    clock.now = T0.plusSeconds(60);
    sightings.observe(lease("a1", T0.plusSeconds(60)));
    assertThat(sightings.quiet(clock.now)).isFalse();
    assertThat(sightings.firstSeen("a2", T0))
        .as("a2 gets a full timeout from when renewals came back")
        .isEqualTo(T0.plusSeconds(60));
    // Renewals that keep coming are no resumption: a2 still counts from when they came back.
    clock.now = T0.plusSeconds(63);
    sightings.observe(lease("a1", T0.plusSeconds(63)));
    assertThat(sightings.firstSeen("a2", T0)).isEqualTo(T0.plusSeconds(60));
  }

  @Test
  void theQuietGapFollowsTheLongestLeaseOfTheAgentsKnown() {
    sightings.observe(lease("a1", T0.minusSeconds(100), 30));
    sightings.observe(lease("a2", T0.minusSeconds(100), 3));
    sightings.observe(lease("a1", T0.minusSeconds(90), 30));
    assertThat(sightings.quiet(T0.plusSeconds(19))).isFalse();
    assertThat(sightings.quiet(T0.plusSeconds(20))).isTrue();
    // The agent with the long Lease is deleted: two of a2's 1 s renewal intervals are quiet.
    sightings.retain(Set.of("a2"));
    assertThat(sightings.quiet(T0.plusSeconds(2))).isTrue();
    assertThat(sightings.quiet(T0.plusMillis(1_999))).isFalse();
  }

  @Test
  void forgetsAgentsNoLongerKnown() {
    sightings.firstSeen("a1", T0);
    sightings.firstSeen("a2", T0);
    sightings.retain(Set.of("a2"));
    assertThat(sightings.size()).isEqualTo(1);
    clock.now = T0.plusSeconds(10);
    assertThat(sightings.firstSeen("a1", T0)).as("news again").isEqualTo(T0.plusSeconds(10));
  }

  @Test
  void anAgentIsProvenAliveOnlyByARenewalSeenWhileWatching() {
    assertThat(sightings.observe(lease("a1", T0.minusSeconds(500))))
        .as("as first listed: may have died long ago")
        .isFalse();
    assertThat(sightings.renewing("a1", clock.now)).isFalse();
    assertThat(sightings.observe(lease("a1", T0.minusSeconds(500)))).as("no change").isFalse();
    assertThat(sightings.observe(lease("a1", T0.minusSeconds(497)))).isTrue();
    assertThat(sightings.renewing("a1", clock.now)).isTrue();
    assertThat(sightings.observe(lease("a1", T0.minusSeconds(494))))
        .as("proven once is news once")
        .isFalse();
    assertThat(sightings.observe(leaseWithoutLabel())).isFalse();

    // A registration the reconciler sees for the first time is no proof: it may be long past.
    sightings.observe(lease("a3", T0.minusSeconds(500)));
    sightings.firstSeen("a3", T0.minusSeconds(400));
    assertThat(sightings.renewing("a3", clock.now)).isFalse();
    assertThat(sightings.observe(lease("a3", T0.minusSeconds(500)))).isFalse();
    // Nor is a Lease first delivered after the reconciler looked.
    sightings.firstSeen("a4", T0.minusSeconds(500));
    assertThat(sightings.observe(lease("a4", T0.minusSeconds(500)))).isFalse();
    assertThat(sightings.observe(lease("a4", T0.minusSeconds(497)))).isTrue();
  }

  @Test
  void anAgentIsOfferableOnlyWhileItsRenewalsAreSeenAndBackOnlyOnANewOne() {
    sightings.observe(lease("a1", T0.minusSeconds(500)));
    sightings.observe(lease("a1", T0.minusSeconds(497)));
    assertThat(sightings.renewing("a1", T0.plusSeconds(9))).as("within its 10 s Lease").isTrue();
    assertThat(sightings.renewing("a1", T0.plusSeconds(10))).as("stopped renewing").isFalse();
    assertThat(sightings.renewedAfter("a1", T0.minusSeconds(1))).isTrue();
    assertThat(sightings.renewedAfter("a1", T0)).as("not after it was marked").isFalse();
    clock.now = T0.plusSeconds(20);
    assertThat(sightings.observe(lease("a1", T0.minusSeconds(470)))).as("renewing again").isTrue();
    assertThat(sightings.renewedAfter("a1", T0)).isTrue();
  }

  private static Lease lease(String agent, Instant renewed) {
    return lease(agent, renewed, 10);
  }

  private static Lease lease(String agent, Instant renewed, int seconds) {
    return new LeaseBuilder()
        .withNewMetadata()
        .withName(Mesokube.agentLeaseName(agent))
        .addToLabels(Mesokube.LABEL_AGENT, agent)
        .endMetadata()
        .withNewSpec()
        .withHolderIdentity(agent + "-id")
        .withRenewTime(renewed.atZone(ZoneOffset.UTC))
        .withLeaseDurationSeconds(seconds)
        .endSpec()
        .build();
  }

  private static Lease leaseWithoutLabel() {
    return new LeaseBuilder()
        .withNewMetadata()
        .withName("other")
        .endMetadata()
        .withNewSpec()
        .withRenewTime(T0.atZone(ZoneOffset.UTC))
        .endSpec()
        .build();
  }

  private static final class MutableClock extends Clock {
    Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
