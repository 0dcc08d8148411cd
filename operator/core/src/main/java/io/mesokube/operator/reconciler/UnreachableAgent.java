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

/** The step of an Unreachable agent: Active again on a renewal, Gone after the gone timeout. */
final class UnreachableAgent {
  private UnreachableAgent() {}

  /** The decision at {@code now}. */
  static AgentStep step(
      AgentStatus previous,
      Heartbeat heartbeat,
      AgentLife.Sight sight,
      List<Task> tasks,
      Predicate<Task> partitionAware,
      Timeouts timeouts,
      Instant now) {
    Instant since = Heartbeat.parse(previous.unreachableTime());
    if (since == null) {
      since = now;
    }
    if (heartbeat != null && heartbeat.fresh(now) && sight.renewedAfter().test(since)) {
      // Its tasks stay as they are: the agent reports each one again (TASK_UNREACHABLE may go
      // back to TASK_RUNNING; the TASK_LOST ones it kills).
      Notice notice =
          new Notice(
              false,
              "AgentReachable",
              "heartbeat renewed after "
                  + Duration.between(since, now).toSeconds()
                  + " s unreachable");
      return new AgentStep(
          AgentPhase.Active, null, AgentStep.RENEWING, List.of(), notice, heartbeat.expires());
    }
    Instant goneAt = since.plus(timeouts.gone());
    if (!now.isBefore(goneAt)) {
      String message =
          "unreachable for more than "
              + timeouts.gone().toSeconds()
              + " s: its tasks are gone and its resources released";
      var updates = LostTasks.gone(tasks, partitionAware, "agent gone: " + message, now);
      return new AgentStep(
          AgentPhase.Gone,
          since.toString(),
          new AgentStep.Reach(Condition.Status.False, "GoneTimeout", message),
          updates,
          new Notice(true, "AgentGone", message + " (" + updates.size() + " tasks ended)"),
          null);
    }
    // Still silent: finish what an earlier pass could not write (a task changed meanwhile). The
    // Reachable condition says why since the agent turned unreachable; it is set only if missing.
    Condition was = AgentStep.reachable(previous);
    AgentStep.Reach silent =
        was != null && was.status() == Condition.Status.False
            ? null
            : AgentStep.silent(
                "no heartbeat since " + (heartbeat == null ? since : heartbeat.last()), timeouts);
    var updates =
        LostTasks.unreachable(
            tasks,
            partitionAware,
            AgentStep.guard(heartbeat, since),
            "agent unreachable: " + (was == null ? "no heartbeat" : was.message()),
            now);
    return new AgentStep(AgentPhase.Unreachable, since.toString(), silent, updates, null, goneAt);
  }
}
