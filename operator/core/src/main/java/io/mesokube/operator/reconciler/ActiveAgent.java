package io.mesokube.operator.reconciler;

import io.mesokube.api.v1alpha1.agent.AgentPhase;
import io.mesokube.api.v1alpha1.agent.AgentStatus;
import io.mesokube.api.v1alpha1.common.Condition;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.operator.reconciler.AgentLife.Notice;
import io.mesokube.operator.reconciler.AgentLife.Timeouts;
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
   */
  static AgentStep step(
      AgentStatus previous,
      Heartbeat heartbeat,
      boolean leaseMissing,
      List<Task> tasks,
      Predicate<Task> partitionAware,
      Timeouts timeouts,
      Instant now) {
    if (heartbeat != null && heartbeat.fresh(now)) {
      return new AgentStep(
          AgentPhase.Active, null, AgentStep.RENEWING, List.of(), null, heartbeat.deadline());
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
}
