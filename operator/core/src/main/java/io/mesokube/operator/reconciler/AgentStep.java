package io.mesokube.operator.reconciler;

import io.mesokube.api.v1alpha1.agent.AgentPhase;
import io.mesokube.api.v1alpha1.agent.AgentStatus;
import io.mesokube.api.v1alpha1.common.Condition;
import io.mesokube.operator.reconciler.AgentLife.Notice;
import io.mesokube.operator.reconciler.AgentLife.Timeouts;
import java.time.Instant;
import java.util.List;

/**
 * One liveness decision for an agent, made by the step of its phase ({@link ActiveAgent}, {@link
 * UnreachableAgent}, {@link GoneAgent}): the phase and unreachable time to write, the Reachable
 * condition (null: keep it as it is), task states, an event, and when to look again (null: only
 * when something changes). Plain logic, no I/O.
 */
record AgentStep(
    AgentPhase phase,
    String unreachableTime,
    Reach reach,
    List<LostTasks.Update> taskUpdates,
    Notice notice,
    Instant due) {

  /** The Reachable condition to set. */
  record Reach(Condition.Status status, String reason, String message) {}

  /** Reason of the Reachable condition (Unknown) of an Active agent whose Lease is missing. */
  static final String LEASE_MISSING = "LeaseMissing";

  /** Reachable True: the agent heartbeats. */
  static final Reach RENEWING =
      new Reach(Condition.Status.True, "HeartbeatRenewed", "the agent renews its heartbeat Lease");

  /** Not registered yet: nothing to time. */
  static AgentStep registering(AgentStatus previous) {
    return new AgentStep(previous.phase(), previous.unreachableTime(), null, List.of(), null, null);
  }

  /** Reachable False: the agent stopped heartbeating. */
  static Reach silent(String silence, Timeouts timeouts) {
    return new Reach(
        Condition.Status.False,
        "HeartbeatTimeout",
        silence + " (unreachable timeout " + timeouts.unreachable().toSeconds() + " s)");
  }

  /**
   * The time after which a task change is the agent's news, not to be overwritten with
   * TASK_UNREACHABLE or TASK_LOST (see {@link LostTasks#unreachable}): the deadline of its last
   * renewal, in the agent's clock; without one, when the operator marked it.
   */
  static Instant guard(Heartbeat heartbeat, Instant marked) {
    return heartbeat != null && heartbeat.renewed() ? heartbeat.deadline() : marked;
  }

  /** The Reachable condition of a status, or null. */
  static Condition reachable(AgentStatus status) {
    if (status.conditions() == null) {
      return null;
    }
    return status.conditions().stream()
        .filter(c -> c.type().equals(AgentLife.REACHABLE))
        .findFirst()
        .orElse(null);
  }
}
