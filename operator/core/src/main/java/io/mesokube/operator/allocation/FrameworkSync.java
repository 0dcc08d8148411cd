package io.mesokube.operator.allocation;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.mesokube.allocator.FrameworkInfo;
import io.mesokube.allocator.HierarchicalAllocator;
import io.mesokube.api.v1alpha1.framework.Framework;
import io.mesokube.api.v1alpha1.framework.FrameworkCapability;
import io.mesokube.api.v1alpha1.framework.SchedulerType;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the allocator's frameworks equal to the Framework objects: added, updated, (de)activated by
 * scheduler liveness, suppressed by spec, and removed once they hold no task.
 */
final class FrameworkSync {
  private static final Logger LOG = LoggerFactory.getLogger(FrameworkSync.class);

  /** What was last applied for a framework. */
  private record Applied(FrameworkInfo info, Set<String> suppressed, boolean active) {}

  private final HierarchicalAllocator allocator;
  private final Map<String, Applied> applied = new HashMap<>();
  private final Map<String, String> refused = new HashMap<>();

  FrameworkSync(HierarchicalAllocator allocator) {
    this.allocator = allocator;
  }

  /**
   * Applies the current Frameworks.
   *
   * @param leases the scheduler Lease of a framework (namespace, name), or null
   * @param holdsTasks whether the allocator still accounts tasks of a framework id; a deleted
   *     framework stays (inactive) until its tasks are gone, so their resources stay in use
   * @param hasPendingTasks whether a Managed framework has tasks to place; one without is
   *     suppressed, so that it is not offered what it cannot use
   * @param removed told of every framework taken out of the allocator
   */
  void sync(
      List<Framework> frameworks,
      BiFunction<String, String, Lease> leases,
      Predicate<String> holdsTasks,
      Predicate<String> hasPendingTasks,
      Consumer<String> removed,
      Instant now) {
    Set<String> seen = new HashSet<>();
    for (Framework framework : frameworks) {
      String id = Keys.of(framework);
      seen.add(id);
      try {
        apply(framework, id, leases, hasPendingTasks.test(id), now);
      } catch (IllegalArgumentException e) {
        // A framework the allocator refuses (a role its rules reject, say) is left out of
        // allocation; it must not stop the cycle for every other framework.
        if (refused.put(id, e.getMessage()) == null) {
          LOG.warn("Framework {} is not offered resources: {}", id, e.getMessage());
        }
      }
    }
    refused.keySet().retainAll(seen);
    for (String id : Set.copyOf(applied.keySet())) {
      if (!seen.contains(id)) {
        if (applied.get(id).active) {
          allocator.deactivateFramework(id);
          applied.put(id, new Applied(applied.get(id).info, applied.get(id).suppressed, false));
        }
        if (!holdsTasks.test(id)) {
          allocator.removeFramework(id);
          applied.remove(id);
          removed.accept(id);
        }
      }
    }
  }

  private void apply(
      Framework framework,
      String id,
      BiFunction<String, String, Lease> leases,
      boolean hasPendingTasks,
      Instant now) {
    boolean deleting = framework.getMetadata().getDeletionTimestamp() != null;
    Applied next = desired(framework, leases, now, deleting, hasPendingTasks);
    Applied previous = applied.get(id);
    if (previous == null) {
      allocator.addFramework(info(framework, id), Map.of(), next.active, next.suppressed);
    } else if (!previous.info.equals(next.info) || !previous.suppressed.equals(next.suppressed)) {
      allocator.updateFramework(next.info, next.suppressed);
    }
    if (previous != null && previous.active != next.active) {
      if (next.active) {
        allocator.activateFramework(id);
      } else {
        allocator.deactivateFramework(id);
      }
    }
    applied.put(id, next);
  }

  /** Whether the allocator knows the framework. */
  boolean knows(String frameworkId) {
    return applied.containsKey(frameworkId);
  }

  /** Why the allocator refused a framework, if it did. */
  String refusal(String frameworkId) {
    return refused.get(frameworkId);
  }

  /** Whether the framework's scheduler is connected (always, for Managed frameworks). */
  boolean active(String frameworkId) {
    Applied a = applied.get(frameworkId);
    return a != null && a.active;
  }

  /** Whether every role of the framework is suppressed. */
  boolean suppressedEntirely(String frameworkId) {
    Applied a = applied.get(frameworkId);
    return a != null && a.suppressed.containsAll(a.info.roles());
  }

  private Applied desired(
      Framework framework,
      BiFunction<String, String, Lease> leases,
      Instant now,
      boolean deleting,
      boolean hasPendingTasks) {
    var spec = framework.getSpec();
    boolean managed = spec.scheduler() == SchedulerType.Managed;
    boolean connected =
        managed
            || connected(
                leases.apply(
                    framework.getMetadata().getNamespace(), framework.getMetadata().getName()),
                now);
    Set<String> suppressed =
        managed && !hasPendingTasks
            ? Set.copyOf(spec.roles())
            : spec.suppressedRoles() == null ? Set.of() : Set.copyOf(spec.suppressedRoles());
    return new Applied(info(framework, Keys.of(framework)), suppressed, connected && !deleting);
  }

  /** Whether a scheduler Lease was renewed within its duration. */
  static boolean connected(Lease lease, Instant now) {
    if (lease == null || lease.getSpec() == null || lease.getSpec().getRenewTime() == null) {
      return false;
    }
    ZonedDateTime renewed = lease.getSpec().getRenewTime();
    Integer seconds = lease.getSpec().getLeaseDurationSeconds();
    return renewed.toInstant().plusSeconds(seconds == null ? 0 : seconds).isAfter(now);
  }

  private static FrameworkInfo info(Framework framework, String id) {
    Set<FrameworkInfo.Capability> capabilities = EnumSet.noneOf(FrameworkInfo.Capability.class);
    if (framework.getSpec().capabilities() != null) {
      for (FrameworkCapability c : framework.getSpec().capabilities()) {
        if (c == FrameworkCapability.GPU_RESOURCES) {
          capabilities.add(FrameworkInfo.Capability.GPU_RESOURCES);
        } else if (c == FrameworkCapability.MULTI_ROLE) {
          capabilities.add(FrameworkInfo.Capability.MULTI_ROLE);
        }
      }
    }
    return new FrameworkInfo(id, Set.copyOf(framework.getSpec().roles()), capabilities);
  }
}
