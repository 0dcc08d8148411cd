package io.mesokube.operator.allocation;

import io.mesokube.allocator.AllocationSummary;
import io.mesokube.allocator.HierarchicalAllocator;
import io.mesokube.allocator.SkipReason;
import io.mesokube.allocator.resources.Resources;
import io.mesokube.api.v1alpha1.agent.Agent;
import io.mesokube.api.v1alpha1.task.Task;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Says why a Managed task is still pending, as kube-scheduler's "0/3 nodes are available" does:
 * whether any agent could ever hold it, how many lack which resource now, and what the allocator
 * reported for its framework (quota limit, headroom held for other roles, unavailable agents).
 */
final class PendingExplainer {
  /** Why a task waits: a CamelCase reason and a message for people. */
  record Explanation(String reason, String message) {}

  static final String TOO_LARGE = "LargerThanAnyAgent";
  static final String QUOTA_LIMIT = "QuotaLimitReached";
  static final String INSUFFICIENT = "InsufficientResources";
  static final String NO_AGENTS = "NoAgents";

  private PendingExplainer() {}

  /**
   * Explains one pending task.
   *
   * @param agents the agents the allocator knows (others are not considered)
   * @param known whether the allocator knows an agent
   */
  static Explanation explain(
      Task task,
      String role,
      String frameworkId,
      List<Agent> agents,
      Predicate<String> known,
      HierarchicalAllocator allocator,
      AllocationSummary summary,
      QuotaHeadroom quota) {
    Resources want = ResourceMapping.toAllocator(task.getSpec().charged());
    List<Agent> usable =
        agents.stream().filter(a -> known.test(a.getMetadata().getName())).toList();
    if (usable.isEmpty()) {
      return new Explanation(NO_AGENTS, "no agent is registered");
    }
    int fitsTotal = 0;
    Map<String, Integer> lacking = new LinkedHashMap<>();
    for (Agent agent : usable) {
      Resources total = ResourceMapping.agentTotal(agent.getSpec()).allocatableTo(role);
      if (Claims.claim(total.allocatedTo(role), role, want).isEmpty()) {
        continue;
      }
      fitsTotal++;
      Resources available = allocator.available(agent.getMetadata().getName()).allocatableTo(role);
      if (Claims.claim(available.allocatedTo(role), role, want).isEmpty()) {
        for (String name : lackingResources(available, want)) {
          lacking.merge(name, 1, Integer::sum);
        }
      }
    }
    int agentCount = usable.size();
    if (fitsTotal == 0) {
      return new Explanation(
          TOO_LARGE,
          "0/"
              + agentCount
              + " agents could ever hold it: it needs "
              + describe(task)
              + " for role "
              + role
              + ", more than any agent offers");
    }
    var overQuota = quota.exceeded(role, want);
    if (overQuota.isPresent()) {
      return new Explanation(QUOTA_LIMIT, overQuota.get() + "; it needs " + describe(task));
    }
    Map<SkipReason, Integer> reasons = summary == null ? Map.of() : summary.reasons(frameworkId);
    List<String> parts = new ArrayList<>();
    lacking.forEach((name, n) -> parts.add(n + " insufficient " + name));
    int unavailable = reasons.getOrDefault(SkipReason.AGENT_UNAVAILABLE, 0);
    if (unavailable > 0) {
      parts.add(unavailable + " in maintenance or unreachable");
    }
    if (reasons.getOrDefault(SkipReason.QUOTA_LIMIT, 0) > 0) {
      return new Explanation(
          QUOTA_LIMIT,
          "the quota limit of role "
              + role
              + " leaves no room for "
              + describe(task)
              + (parts.isEmpty() ? "" : "; agents: " + String.join(", ", parts)));
    }
    int held = reasons.getOrDefault(SkipReason.QUOTA_HEADROOM, 0);
    if (held > 0) {
      // Agents with room for the task may still be kept for other roles' guarantees.
      parts.add(held + " " + HeadroomHeld.phrase(summary));
      return new Explanation(
          HeadroomHeld.REASON,
          "0/"
              + agentCount
              + " agents can hold "
              + describe(task)
              + " now: "
              + String.join(", ", parts));
    }
    return new Explanation(
        INSUFFICIENT,
        "0/"
            + agentCount
            + " agents can hold "
            + describe(task)
            + " now"
            + (parts.isEmpty()
                ? "; waiting for the framework's fair share"
                : ": " + String.join(", ", parts)));
  }

  private static List<String> lackingResources(Resources available, Resources want) {
    List<String> out = new ArrayList<>();
    for (String name : ResourceMapping.SCALARS) {
      if (want.scalarMillis(name) > available.scalarMillis(name)) {
        out.add(name);
      }
    }
    if (out.isEmpty()) {
      out.add(ResourceMapping.PORTS);
    }
    return out;
  }

  private static String describe(Task task) {
    return ResourceMapping.describe(task.getSpec().charged());
  }
}
