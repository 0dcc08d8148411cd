package io.mesokube.operator.allocation;

import io.mesokube.allocator.AllocationSummary;
import io.mesokube.allocator.resources.ResourceQuantities;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How messages say that agents were held back as quota headroom ({@link
 * io.mesokube.allocator.SkipReason#QUOTA_HEADROOM}): the roles whose unmet guarantees keep the
 * resources, and how much of each guarantee is unmet. The one wording for the framework's {@code
 * Offered} condition and a pending task's {@code Scheduled} condition.
 */
final class HeadroomHeld {
  /** Condition reason when the headroom is what keeps resources from a framework. */
  static final String REASON = "QuotaHeadroomHeld";

  /** Roles named in a message; the others are only counted, so a message stays short. */
  private static final int NAMED = 3;

  private HeadroomHeld() {}

  /**
   * The phrase that follows a count of agents, e.g. {@code held back as headroom for the unmet
   * quota guarantees of eng/frontend (cpus 2.0, mem 2048.0 MiB unmet)}.
   */
  static String phrase(AllocationSummary summary) {
    Map<String, ResourceQuantities> unmet = new TreeMap<>(summary.unmetGuarantees());
    if (unmet.isEmpty()) {
      // Guarantees met later in the same cycle: nothing is held back any more.
      return "held back as headroom for quota guarantees unmet at the time";
    }
    List<String> named = new ArrayList<>();
    for (Map.Entry<String, ResourceQuantities> e : unmet.entrySet()) {
      if (named.size() == NAMED) {
        break;
      }
      named.add(
          e.getKey()
              + " ("
              + ResourceMapping.describe(ResourceMapping.fromQuantities(e.getValue()))
              + " unmet)");
    }
    int others = unmet.size() - named.size();
    String last =
        others > 0 ? others + " more role" + (others == 1 ? "" : "s") : named.removeLast();
    String roles = named.isEmpty() ? last : String.join(", ", named) + " and " + last;
    return "held back as headroom for the unmet quota guarantees of " + roles;
  }
}
