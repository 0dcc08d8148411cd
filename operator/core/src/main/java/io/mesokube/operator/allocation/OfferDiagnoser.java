package io.mesokube.operator.allocation;

import io.mesokube.allocator.AllocationSummary;
import io.mesokube.allocator.SkipReason;
import io.mesokube.api.v1alpha1.framework.Framework;
import io.mesokube.api.v1alpha1.framework.SchedulerType;
import io.mesokube.operator.allocation.OfferDiagnostics.Diagnosis;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Says why a framework that answers offers receives none, from the allocator's skip counts of a
 * full pass: how many agents passed it over for which reason (Marathon users' "deployment stuck
 * with no explanation", at the framework level). Confined to the allocation thread.
 */
final class OfferDiagnoser {
  /** Condition reasons, by the allocator's skip reason. */
  private static final Map<SkipReason, String> REASONS = new EnumMap<>(SkipReason.class);

  /**
   * How each skip reason reads in a message, after a count of agents; the quota headroom's phrase
   * names roles, so {@link HeadroomHeld} words it.
   */
  private static final Map<SkipReason, String> PHRASES = new EnumMap<>(SkipReason.class);

  static {
    REASONS.put(SkipReason.FILTERED, "FilteredByDecline");
    REASONS.put(SkipReason.INSUFFICIENT_RESOURCES, "InsufficientResources");
    REASONS.put(SkipReason.QUOTA_LIMIT, "QuotaLimitReached");
    REASONS.put(SkipReason.QUOTA_HEADROOM, HeadroomHeld.REASON);
    REASONS.put(SkipReason.GPU_WITHHELD, "GpuAgentsWithheld");
    REASONS.put(SkipReason.AGENT_UNAVAILABLE, "AgentsUnavailable");
    REASONS.put(SkipReason.SUPPRESSED, "Suppressed");
    REASONS.put(SkipReason.INACTIVE, "Disconnected");
    PHRASES.put(SkipReason.FILTERED, "filtered by an earlier decline");
    PHRASES.put(SkipReason.INSUFFICIENT_RESOURCES, "with less than the minimum allocatable left");
    PHRASES.put(SkipReason.QUOTA_LIMIT, "beyond the role's quota limit");
    PHRASES.put(SkipReason.GPU_WITHHELD, "with GPUs, withheld without GPU_RESOURCES");
    PHRASES.put(SkipReason.AGENT_UNAVAILABLE, "in maintenance or unreachable");
    PHRASES.put(SkipReason.SUPPRESSED, "passed over: offers suppressed");
    PHRASES.put(SkipReason.INACTIVE, "passed over: scheduler disconnected");
  }

  private final Map<String, Instant> lastOffered = new HashMap<>();

  /** Notes the frameworks that hold outstanding offers now; called every cycle. */
  void observe(Collection<OfferBook.Entry> outstanding, Instant now) {
    for (OfferBook.Entry e : outstanding) {
      lastOffered.put(e.frameworkId(), now);
    }
  }

  /**
   * Diagnoses every framework that answers offers.
   *
   * @param recent offers received within this long count as receiving offers
   * @param agents agents the allocator knows
   */
  Map<String, Diagnosis> diagnose(
      Map<String, Framework> frameworks,
      FrameworkSync sync,
      AllocationSummary summary,
      int agents,
      Duration recent,
      Instant now) {
    lastOffered.keySet().retainAll(frameworks.keySet());
    // Worded once: it names the same roles for every framework held back.
    String held = summary == null ? null : HeadroomHeld.phrase(summary);
    Map<String, Diagnosis> out = new HashMap<>();
    frameworks.forEach(
        (id, framework) -> {
          if (framework.getSpec().scheduler() == SchedulerType.Offers) {
            out.put(id, diagnose(id, sync, summary, held, agents, recent, now));
          }
        });
    return out;
  }

  private Diagnosis diagnose(
      String id,
      FrameworkSync sync,
      AllocationSummary summary,
      String held,
      int agents,
      Duration recent,
      Instant now) {
    String refusal = sync.refusal(id);
    if (refusal != null) {
      return new Diagnosis(false, "RefusedByAllocator", refusal);
    }
    Instant last = lastOffered.get(id);
    if (last != null && !last.plus(recent).isBefore(now)) {
      return new Diagnosis(true, "OffersReceived", "the framework receives offers");
    }
    if (!sync.active(id)) {
      return new Diagnosis(
          false, REASONS.get(SkipReason.INACTIVE), "no scheduler renews the framework's Lease");
    }
    if (sync.suppressedEntirely(id)) {
      return new Diagnosis(
          false,
          REASONS.get(SkipReason.SUPPRESSED),
          "the framework suppressed offers for all its roles (remove them from suppressedRoles"
              + " to revive)");
    }
    if (agents == 0) {
      return new Diagnosis(false, "NoAgents", "no agent is registered");
    }
    Map<SkipReason, Integer> reasons = summary == null ? Map.of() : summary.reasons(id);
    SkipReason top = null;
    List<String> parts = new ArrayList<>();
    for (var e : reasons.entrySet()) {
      String phrase = e.getKey() == SkipReason.QUOTA_HEADROOM ? held : PHRASES.get(e.getKey());
      parts.add(e.getValue() + " " + phrase);
      if (top == null || e.getValue() > reasons.get(top)) {
        top = e.getKey();
      }
    }
    if (top == null) {
      return new Diagnosis(
          false,
          "ResourcesInUse",
          "0/"
              + agents
              + " agents have resources left for it: other frameworks and tasks use them");
    }
    return new Diagnosis(
        false, REASONS.get(top), "0/" + agents + " agents offered: " + String.join(", ", parts));
  }
}
