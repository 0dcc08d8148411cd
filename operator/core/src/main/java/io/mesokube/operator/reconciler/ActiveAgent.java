package io.mesokube.operator.reconciler;

import io.mesokube.api.v1alpha1.agent.AgentPhase;
import io.mesokube.api.v1alpha1.agent.AgentStatus;
import io.mesokube.api.v1alpha1.common.Condition;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.operator.reconciler.AgentLife.Notice;
import io.mesokube.operator.reconciler.AgentLife.Timeouts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/** The step of an Active agent: it stays Active while it heartbeats, else turns Unreachable. */
final class ActiveAgent {
  private ActiveAgent() {}

  /**
   * The decision at {@code now}.
   *
   * @param leaseMissing whether the agent has no heartbeat Lease at all
   * @param sight what this replica saw: whether every agent is silent, and renewals after a time
   */
  static AgentStep step(
      AgentStatus previous,
      Heartbeat heartbeat,
      boolean leaseMissing,
      AgentLife.Sight sight,
      List<Task> tasks,
      Predicate<Task> partitionAware,
      Timeouts timeouts,
      Instant now) {
    if (heartbeat != null && heartbeat.fresh(now)) {
      return new AgentStep(
          AgentPhase.Active,
          null,
          stillHeld(previous, sight) ? null : AgentStep.RENEWING,
          List.of(),
          null,
          heartbeat.expires());
    }
    if (sight.allSilent()) {
      return holding(previous, heartbeat, now);
    }
    String silence;
    if (leaseMissing) {
      // A missing Lease is not yet silence: deleted by mistake, it is back at the agent's next
      // renewal, and TASK_LOST cannot be undone. The agent gets a full timeout from when the
      // operator first saw the Lease missing, kept as the Reachable condition's transition time.
      Condition was = AgentStep.reachable(previous);
      Instant since =
          was != null && was.status() == Condition.Status.Unknown
              ? Heartbeat.parse(was.lastTransitionTime())
              : null;
      Instant deadline = (since == null ? now : since).plus(timeouts.unreachable());
      if (now.isBefore(deadline)) {
        AgentStep.Reach missing =
            new AgentStep.Reach(
                Condition.Status.Unknown,
                AgentStep.LEASE_MISSING,
                "its heartbeat Lease is missing; unreachable unless it is renewed within "
                    + timeouts.unreachable().toSeconds()
                    + " s");
        return new AgentStep(AgentPhase.Active, null, missing, List.of(), null, deadline);
      }
      silence = "heartbeat Lease missing since " + since;
    } else {
      silence = heartbeat == null ? "no heartbeat known" : "no heartbeat since " + heartbeat.last();
    }
    AgentStep.Reach silent = AgentStep.silent(silence, timeouts);
    var updates =
        LostTasks.unreachable(
            tasks, partitionAware, AgentStep.guard(heartbeat, now), silent.message(), now);
    long lost = updates.stream().filter(u -> u.status().state().isTerminal()).count();
    Notice notice =
        new Notice(
            true,
            "AgentUnreachable",
            silent.message()
                + ": "
                + (updates.size() - lost)
                + " tasks unreachable, "
                + lost
                + " lost; gone in "
                + timeouts.gone().toSeconds()
                + " s unless it comes back");
    return new AgentStep(
        AgentPhase.Unreachable, now.toString(), silent, updates, notice, now.plus(timeouts.gone()));
  }

  /**
   * Every agent went silent at once: more likely this replica's view of the cluster is broken (a
   * watch that stopped, an API server or etcd that was away) than every agent at the same moment.
   * Like Kubernetes' node lifecycle controller in a full disruption, no agent is marked unreachable
   * and no task lost; Reachable turns Unknown until an agent heartbeats again.
   */
  private static AgentStep holding(AgentStatus previous, Heartbeat heartbeat, Instant now) {
    Condition was = AgentStep.reachable(previous);
    boolean news = was == null || !ALL_SILENT.equals(was.reason());
    String message =
        (heartbeat == null ? "no heartbeat known" : "no heartbeat since " + heartbeat.last())
            + ", nor from any other agent: not marked unreachable while every agent is silent";
    return new AgentStep(
        AgentPhase.Active,
        null,
        news ? new AgentStep.Reach(Condition.Status.Unknown, ALL_SILENT, message) : null,
        List.of(),
        news ? new Notice(true, ALL_SILENT, message) : null,
        now.plus(RECHECK));
  }

  /**
   * Whether the agent was held while every agent was silent and has not renewed since: when proofs
   * come again, every agent gets a full timeout, which is no proof that this one renews.
   */
  private static boolean stillHeld(AgentStatus previous, AgentLife.Sight sight) {
    Condition was = AgentStep.reachable(previous);
    if (was == null || !ALL_SILENT.equals(was.reason())) {
      return false;
    }
    Instant heldSince = Heartbeat.parse(was.lastTransitionTime());
    return heldSince != null && !sight.renewedAfter().test(heldSince);
  }

  /** Reason of the Reachable condition (Unknown) while every agent is silent. */
  static final String ALL_SILENT = "AllAgentsSilent";

  /** How often a held agent is looked at again (a renewal brings a pass sooner). */
  private static final Duration RECHECK = Duration.ofSeconds(5);
}
