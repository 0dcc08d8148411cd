package io.mesokube.operator.reconciler;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.mesokube.api.v1alpha1.agent.Agent;
import io.mesokube.api.v1alpha1.agent.AgentConditions;
import io.mesokube.api.v1alpha1.agent.AgentPhase;
import io.mesokube.api.v1alpha1.agent.AgentStatus;
import io.mesokube.api.v1alpha1.common.Condition;
import io.mesokube.api.v1alpha1.task.Task;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * An agent's liveness derived from its status, its heartbeat Lease and its tasks: the status to
 * write, the task states to write, the event to record and when to look again. Plain logic, no I/O.
 *
 * <p>The operator moves three phases, as Mesos' master does: Active to Unreachable when the
 * heartbeat stops for the unreachable timeout, Unreachable back to Active when the Lease is renewed
 * in time, Unreachable to Gone after the gone timeout. Gone is final for an agent id: a renewal by
 * the same id is refused; the agent must register afresh (a new id, phase Active written by the
 * agent itself). A missing phase or Registering is the agent's, and is never timed out.
 */
record AgentLife(
    AgentStatus status, List<LostTasks.Update> taskUpdates, Notice notice, Duration nextCheck) {

  /** The agents' timeouts (MesokubeConfig.Agents). */
  record Timeouts(Duration unreachable, Duration gone) {}

  /**
   * What the operator saw, by its own clock.
   *
   * @param firstSeen when it first saw a proof of life (given in the agent's clock)
   * @param allSilent whether every agent is silent in this replica's view while another agent is
   *     Active: no agent is marked unreachable then
   * @param renewedAfter whether the operator saw the agent's Lease renewed after a time (its
   *     clock): an unreachable agent is back only on such a renewal, not on a new leader's fresh
   *     look at an old one
   */
  record Sight(
      UnaryOperator<Instant> firstSeen, boolean allSilent, Predicate<Instant> renewedAfter) {}

  /** An event to record on the agent. */
  record Notice(boolean warning, String reason, String message) {}

  /** Condition type saying whether the agent heartbeats. */
  static final String REACHABLE = AgentConditions.REACHABLE;

  /** Reason of the Reachable condition of a gone agent that renews its Lease under its old id. */
  static final String REFUSED = "AgentRefused";

  private static final AgentStatus NONE =
      new AgentStatus(null, null, null, null, null, null, null, null, null, null);

  /** A check a little after a deadline, so that the deadline has passed when it runs. */
  private static final Duration MARGIN = Duration.ofMillis(100);

  /**
   * @param tasks the tasks bound to the agent
   * @param partitionAware whether a task's framework has the PARTITION_AWARE capability
   */
  static AgentLife of(
      Agent agent,
      Lease lease,
      List<Task> tasks,
      Predicate<Task> partitionAware,
      Timeouts timeouts,
      Sight sight,
      Instant now) {
    AgentStatus previous = agent.getStatus() == null ? NONE : agent.getStatus();
    Heartbeat heartbeat = Heartbeat.of(previous, lease, timeouts.unreachable(), sight.firstSeen());
    AgentStep step =
        switch (previous.phase() == null ? AgentPhase.Registering : previous.phase()) {
          case Registering -> AgentStep.registering(previous);
          case Active ->
              ActiveAgent.step(
                  previous, heartbeat, lease == null, sight, tasks, partitionAware, timeouts, now);
          case Unreachable ->
              UnreachableAgent.step(
                  previous, heartbeat, sight, tasks, partitionAware, timeouts, now);
          case Gone ->
              GoneAgent.step(previous, heartbeat, sight, tasks, partitionAware, timeouts, now);
        };
    AgentStatus status =
        new AgentStatus(
            agent.getMetadata().getGeneration(),
            step.phase(),
            previous.agentId(),
            previous.endpoint(),
            previous.capabilities(),
            AgentUsage.allocated(tasks, step.taskUpdates()),
            AgentUsage.count(tasks, step.taskUpdates()),
            previous.registeredTime(),
            step.unreachableTime(),
            conditions(previous, agent.getMetadata().getGeneration(), step.reach(), now));
    Duration next =
        step.due() == null
            ? null
            : (step.due().isAfter(now) ? Duration.between(now, step.due()) : Duration.ZERO)
                .plus(MARGIN);
    return new AgentLife(status, step.taskUpdates(), step.notice(), next);
  }

  /**
   * Whether two statuses differ only in the task count and allocated resources: changes that may
   * wait for the next periodic write.
   */
  static boolean onlyUsageChanged(AgentStatus before, AgentStatus after) {
    return before != null
        && after != null
        && Objects.equals(withoutUsage(before), withoutUsage(after));
  }

  private static AgentStatus withoutUsage(AgentStatus s) {
    return new AgentStatus(
        s.observedGeneration(),
        s.phase(),
        s.agentId(),
        s.endpoint(),
        s.capabilities(),
        null,
        null,
        s.registeredTime(),
        s.unreachableTime(),
        s.conditions());
  }

  /** The agent's own conditions as they are, then Reachable as decided (or as it was). */
  private static List<Condition> conditions(
      AgentStatus previous, Long generation, AgentStep.Reach reach, Instant now) {
    var conditions = new Conditions(previous.conditions(), generation, now);
    if (previous.conditions() != null) {
      previous.conditions().stream()
          .map(Condition::type)
          .filter(type -> !type.equals(REACHABLE))
          .distinct()
          .forEach(conditions::keep);
    }
    if (reach == null) {
      conditions.keep(REACHABLE);
    } else {
      conditions.set(REACHABLE, reach.status(), reach.reason(), reach.message());
    }
    List<Condition> built = conditions.build();
    return built.isEmpty() ? null : built;
  }
}
