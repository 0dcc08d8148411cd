package io.mesokube.operator.reconciler;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import java.time.Duration;
import java.util.Objects;

/**
 * Which changes of an agent's heartbeat Lease need a reconcile. Plain logic, no I/O.
 *
 * <p>An agent renews its Lease every third of its duration; a reconcile per renewal would cost the
 * leader thousands of reconciles a second at 10,000 agents for nothing, as the one scheduled for
 * the agent's deadline reads the newest renewal anyway. Passed on are the changes that may move the
 * agent's phase: a new holder (a fresh registration), and a renewal after at least one missed one
 * (the agent may have been marked unreachable or gone meanwhile). Both renewal times are the
 * agent's own, so clock skew between agent and operator does not enter.
 */
final class LeaseRenewals {
  private LeaseRenewals() {}

  /** JOSDK's update filter: true if {@code after} may change the phase of the Lease's agent. */
  static boolean mayChangePhase(Lease after, Lease before) {
    LeaseSpec now = after.getSpec();
    LeaseSpec then = before.getSpec();
    if (now == null
        || then == null
        || now.getRenewTime() == null
        || then.getRenewTime() == null
        || now.getLeaseDurationSeconds() == null
        || !Objects.equals(now.getHolderIdentity(), then.getHolderIdentity())) {
      return true;
    }
    Duration gap = Duration.between(then.getRenewTime(), now.getRenewTime());
    // Renewals come every third of the duration: a gap of two thirds means one was missed.
    Duration missed =
        Duration.ofSeconds(now.getLeaseDurationSeconds()).multipliedBy(2).dividedBy(3);
    return gap.compareTo(missed) >= 0;
  }
}
