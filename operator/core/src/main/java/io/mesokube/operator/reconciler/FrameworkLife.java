package io.mesokube.operator.reconciler;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.mesokube.api.v1alpha1.common.Condition;
import io.mesokube.api.v1alpha1.common.Resources;
import io.mesokube.api.v1alpha1.framework.Framework;
import io.mesokube.api.v1alpha1.framework.FrameworkPhase;
import io.mesokube.api.v1alpha1.framework.FrameworkStatus;
import io.mesokube.api.v1alpha1.framework.SchedulerType;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.api.v1alpha1.task.TaskState;
import io.mesokube.operator.allocation.OfferDiagnostics;
import io.mesokube.operator.allocation.OfferDiagnostics.Diagnosis;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A framework's state derived from its spec, its scheduler's Lease and its tasks: the status to
 * write, whether to tear it down, and when to look again. Plain logic, no I/O.
 */
record FrameworkLife(
    FrameworkStatus status, boolean tearDown, List<Task> tasksToKill, Duration nextCheck) {

  /**
   * @param offered what the framework's outstanding offers hold
   * @param clusterTotal what all agents offer, for the dominant share
   * @param diagnosis the leader's view of the framework's offers, if it made one
   */
  static FrameworkLife of(
      Framework framework,
      Lease lease,
      List<Task> tasks,
      Resources offered,
      Resources clusterTotal,
      Diagnosis diagnosis,
      Instant now) {
    FrameworkStatus previous = framework.getStatus();
    boolean managed = framework.getSpec().scheduler() == SchedulerType.Managed;
    Instant leaseExpiry = leaseExpiry(lease);
    boolean connected = managed || (leaseExpiry != null && leaseExpiry.isAfter(now));
    Duration failover = Duration.ofSeconds(framework.getSpec().failoverTimeoutSeconds());
    Instant since = !connected && leaseExpiry != null ? leaseExpiry : null;
    boolean failedOver = since != null && !since.plus(failover).isAfter(now);
    boolean deleting = framework.getMetadata().getDeletionTimestamp() != null;
    List<Task> active = tasks.stream().filter(FrameworkLife::nonTerminal).toList();
    Resources allocated =
        ResourceSums.sum(
            active.stream()
                .filter(t -> t.getSpec().agent() != null)
                .map(t -> t.getSpec().charged())
                .toList());

    FrameworkPhase phase;
    if (failedOver || deleting) {
      phase = active.isEmpty() ? FrameworkPhase.Completed : FrameworkPhase.TearingDown;
    } else if (connected) {
      phase = FrameworkPhase.Active;
    } else {
      phase = leaseExpiry == null ? FrameworkPhase.Pending : FrameworkPhase.Disconnected;
    }
    Duration next = null;
    if (!managed && connected) {
      next = Duration.between(now, leaseExpiry).plusMillis(100);
    } else if (since != null && !failedOver) {
      next = Duration.between(now, since.plus(failover)).plusMillis(100);
    }

    String registered =
        previous != null && previous.registeredTime() != null
            ? previous.registeredTime()
            : now.toString();
    String frameworkId =
        previous != null && previous.frameworkId() != null
            ? previous.frameworkId()
            : framework.getMetadata().getUid() + "-0000";
    var conditions =
        new Conditions(
                previous == null ? null : previous.conditions(),
                framework.getMetadata().getGeneration(),
                now)
            .set("Registered", true, "FrameworkIdAssigned", "framework id " + frameworkId)
            .set(
                "Connected",
                connected,
                managed ? "ManagedByOperator" : connected ? "LeaseRenewed" : "LeaseNotRenewed",
                managed
                    ? "the operator schedules this framework's tasks"
                    : connected
                        ? "the scheduler renews its Lease"
                        : "no scheduler renews the Lease");
    if (managed) {
      // Managed tasks say why they wait one by one; the framework takes no offers itself.
    } else if (diagnosis != null) {
      conditions.set(
          OfferDiagnostics.CONDITION, diagnosis.offered(), diagnosis.reason(), diagnosis.message());
    } else {
      // No diagnosis yet (a new leader's first seconds): keep the last one rather than churn.
      conditions.keep(OfferDiagnostics.CONDITION);
    }
    FrameworkStatus status =
        new FrameworkStatus(
            framework.getMetadata().getGeneration(),
            phase,
            frameworkId,
            connected,
            registered,
            since == null ? null : since.toString(),
            allocated,
            offered,
            ResourceSums.dominantShare(allocated, clusterTotal),
            counts(tasks),
            conditions.build());
    boolean tearDown = failedOver || deleting;
    List<Task> toKill =
        tearDown
            ? active.stream().filter(t -> !Boolean.TRUE.equals(t.getSpec().kill())).toList()
            : List.of();
    return new FrameworkLife(status, tearDown, toKill, next);
  }

  /**
   * Whether two statuses differ only in task counts, resource usage and the counts in the Offered
   * condition's message: changes that may wait for the next periodic write.
   */
  static boolean onlyUsageChanged(FrameworkStatus before, FrameworkStatus after) {
    return before != null
        && after != null
        && Objects.equals(withoutUsage(before), withoutUsage(after));
  }

  private static FrameworkStatus withoutUsage(FrameworkStatus s) {
    return new FrameworkStatus(
        s.observedGeneration(),
        s.phase(),
        s.frameworkId(),
        s.connected(),
        s.registeredTime(),
        s.disconnectedTime(),
        null,
        null,
        null,
        null,
        s.conditions() == null
            ? null
            : s.conditions().stream()
                .map(
                    c ->
                        c.type().equals(OfferDiagnostics.CONDITION)
                            ? new Condition(
                                c.type(),
                                c.status(),
                                c.observedGeneration(),
                                c.lastTransitionTime(),
                                c.reason(),
                                null)
                            : c)
                .toList());
  }

  static boolean nonTerminal(Task task) {
    return task.getStatus() == null
        || task.getStatus().state() == null
        || !task.getStatus().state().isTerminal();
  }

  private static Instant leaseExpiry(Lease lease) {
    if (lease == null || lease.getSpec() == null || lease.getSpec().getRenewTime() == null) {
      return null;
    }
    Integer seconds = lease.getSpec().getLeaseDurationSeconds();
    return lease.getSpec().getRenewTime().toInstant().plusSeconds(seconds == null ? 0 : seconds);
  }

  private static Map<TaskState, Integer> counts(List<Task> tasks) {
    Map<TaskState, Integer> counts = new TreeMap<>();
    for (Task t : tasks) {
      TaskState state = t.getStatus() == null ? null : t.getStatus().state();
      if (state == null && t.getSpec().agent() != null) {
        state = TaskState.TASK_STAGING;
      }
      if (state != null) {
        counts.merge(state, 1, Integer::sum);
      }
    }
    return counts.isEmpty() ? null : counts;
  }
}
