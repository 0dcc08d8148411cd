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

/** The step of a Gone agent: final for its agent id; a renewal by that id is refused. */
final class GoneAgent {
  private GoneAgent() {}

  /** The decision at {@code now}; tasks a conflicting write left behind end now. */
  static AgentStep step(
      AgentStatus previous,
      Heartbeat heartbeat,
      AgentLife.Sight sight,
      List<Task> tasks,
      Predicate<Task> partitionAware,
      Timeouts timeouts,
      Instant now) {
    Instant marked = Heartbeat.parse(previous.unreachableTime());
    boolean renewing =
        heartbeat != null
            && heartbeat.renewed()
            && heartbeat.fresh(now)
            && sight.renewedAfter().test(marked == null ? Instant.MIN : marked);
    Condition was = AgentStep.reachable(previous);
    boolean refusedBefore = was != null && AgentLife.REFUSED.equals(was.reason());
    AgentStep.Reach reach = null;
    Notice notice = null;
    if (renewing && !refusedBefore) {
      String message =
          "agent "
              + previous.agentId()
              + " renews its Lease but was marked gone; restart it with a fresh state to"
              + " re-register";
      reach = new AgentStep.Reach(Condition.Status.False, AgentLife.REFUSED, message);
      notice = new Notice(true, AgentLife.REFUSED, message);
    }
    var updates =
        LostTasks.gone(
            tasks,
            partitionAware,
            "agent gone: unreachable for more than " + timeouts.gone().toSeconds() + " s",
            now);
    return new AgentStep(AgentPhase.Gone, previous.unreachableTime(), reach, updates, notice, null);
  }
}
