package io.mesokube.operator.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.mesokube.allocator.AgentInfo;
import io.mesokube.allocator.AllocationResult;
import io.mesokube.allocator.AllocatorOptions;
import io.mesokube.allocator.HierarchicalAllocator;
import io.mesokube.allocator.resources.ResourceLimits;
import io.mesokube.allocator.resources.ResourceQuantities;
import io.mesokube.allocator.resources.Resources;
import io.mesokube.allocator.role.Quota;
import io.mesokube.api.v1alpha1.framework.Framework;
import io.mesokube.api.v1alpha1.framework.FrameworkSpec;
import io.mesokube.api.v1alpha1.framework.SchedulerType;
import io.mesokube.operator.allocation.OfferDiagnostics.Diagnosis;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The framework-level "why no offers" diagnosis, against a real allocator. */
class OfferDiagnoserTest {
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  private static final Duration RECENT = Duration.ofSeconds(10);

  private final HierarchicalAllocator allocator =
      new HierarchicalAllocator(AllocatorOptions.defaults().withSeed(1L));
  private final FrameworkSync sync = new FrameworkSync(allocator);
  private final OfferDiagnoser diagnoser = new OfferDiagnoser();

  @Test
  void aConnectedFrameworkWithOffersReceivesThem() {
    Map<String, Framework> frameworks = frameworks(framework(null));
    allocator.addAgent(AgentInfo.of("a1", Resources.parse("cpus:2;mem:1024")));
    sync(frameworks, true);
    AllocationResult result = allocator.allocate();
    assertThat(result.offers()).isNotEmpty();
    diagnoser.observe(
        List.of(new OfferBook.Entry("ns", "o", "1", "ns/fw", "a1", "r", Resources.EMPTY, NOW)),
        NOW);

    Diagnosis d = diagnose(frameworks, result, 1, NOW.plusSeconds(5));

    assertThat(d.offered()).isTrue();
    // Past the window with nothing outstanding, it no longer counts as receiving offers.
    assertThat(diagnose(frameworks, result, 1, NOW.plusSeconds(11)).offered()).isFalse();
  }

  @Test
  void aDisconnectedFrameworkSaysSo() {
    Map<String, Framework> frameworks = frameworks(framework(null));
    sync(frameworks, false);

    Diagnosis d = diagnose(frameworks, null, 1, NOW);

    assertThat(d)
        .extracting(Diagnosis::offered, Diagnosis::reason)
        .containsExactly(false, "Disconnected");
  }

  @Test
  void aSuppressedFrameworkSaysHowToRevive() {
    Map<String, Framework> frameworks = frameworks(framework(List.of("r")));
    sync(frameworks, true);

    Diagnosis d = diagnose(frameworks, allocator.allocate(), 1, NOW);

    assertThat(d.reason()).isEqualTo("Suppressed");
    assertThat(d.message()).contains("suppressedRoles");
  }

  @Test
  void withoutAgentsTheReasonIsNoAgents() {
    Map<String, Framework> frameworks = frameworks(framework(null));
    sync(frameworks, true);

    assertThat(diagnose(frameworks, allocator.allocate(), 0, NOW).reason()).isEqualTo("NoAgents");
  }

  @Test
  void declinedAgentsAreCountedAsFiltered() {
    Map<String, Framework> frameworks = frameworks(framework(null));
    allocator.addAgent(AgentInfo.of("a1", Resources.parse("cpus:2;mem:1024")));
    allocator.addAgent(AgentInfo.of("a2", Resources.parse("cpus:2;mem:1024")));
    sync(frameworks, true);
    for (var offer : allocator.allocate().offers()) {
      // A decline with a long filter: what was offered goes back, filtered for this framework.
      allocator.recoverResources(
          offer.frameworkId(), offer.agentId(), offer.resources(), Duration.ofMinutes(5));
    }

    Diagnosis d = diagnose(frameworks, allocator.allocate(), 2, NOW);

    assertThat(d.offered()).isFalse();
    assertThat(d.reason()).isEqualTo("FilteredByDecline");
    assertThat(d.message()).isEqualTo("0/2 agents offered: 2 filtered by an earlier decline");
  }

  @Test
  void anAgentInMaintenanceIsCounted() {
    Map<String, Framework> frameworks = frameworks(framework(null));
    allocator.addAgent(AgentInfo.of("a1", Resources.parse("cpus:2;mem:1024")));
    allocator.updateUnavailability("a1", true);
    sync(frameworks, true);

    Diagnosis d = diagnose(frameworks, allocator.allocate(), 1, NOW);

    assertThat(d.reason()).isEqualTo("AgentsUnavailable");
    assertThat(d.message()).contains("1 in maintenance or unreachable");
  }

  @Test
  void emptyAgentsHeldForAnotherRolesGuaranteeNameTheRoleAndTheAmounts() {
    // Issue 14: both agents empty, yet kept for eng/frontend's guarantee; not "less than the
    // minimum allocatable left".
    Map<String, Framework> frameworks = frameworks(framework(null));
    allocator.addAgent(AgentInfo.of("a1", Resources.parse("cpus:1;mem:1024")));
    allocator.addAgent(AgentInfo.of("a2", Resources.parse("cpus:1;mem:1024")));
    allocator.updateQuota(
        "eng/frontend",
        new Quota(
            ResourceQuantities.parse("cpus:2;mem:2048"),
            ResourceLimits.parse("cpus:32;mem:65536")));
    sync(frameworks, true);

    Diagnosis d = diagnose(frameworks, allocator.allocate(), 2, NOW);

    assertThat(d.offered()).isFalse();
    assertThat(d.reason()).isEqualTo("QuotaHeadroomHeld");
    assertThat(d.message())
        .isEqualTo(
            "0/2 agents offered: 2 held back as headroom for the unmet quota guarantees of"
                + " eng/frontend (cpus 2.0, mem 2048.0 MiB unmet)");
  }

  private Diagnosis diagnose(
      Map<String, Framework> frameworks, AllocationResult result, int agents, Instant now) {
    return diagnoser
        .diagnose(frameworks, sync, result == null ? null : result.summary(), agents, RECENT, now)
        .get("ns/fw");
  }

  private void sync(Map<String, Framework> frameworks, boolean connected) {
    Lease lease =
        new LeaseBuilder()
            .withNewSpec()
            .withRenewTime(NOW.atZone(ZoneOffset.UTC))
            .withLeaseDurationSeconds(connected ? 60 : 0)
            .endSpec()
            .build();
    sync.sync(
        List.copyOf(frameworks.values()),
        (ns, n) -> lease,
        id -> false,
        id -> false,
        id -> {},
        NOW);
  }

  private static Map<String, Framework> frameworks(Framework f) {
    return Map.of(Keys.of(f), f);
  }

  private static Framework framework(List<String> suppressed) {
    Framework f = new Framework();
    f.setMetadata(new ObjectMetaBuilder().withName("fw").withNamespace("ns").build());
    f.setSpec(
        new FrameworkSpec(
            List.of("r"), null, SchedulerType.Offers, 60L, true, suppressed, "nobody", null, null));
    return f;
  }
}
