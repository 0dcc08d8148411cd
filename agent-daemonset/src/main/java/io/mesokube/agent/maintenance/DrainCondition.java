package io.mesokube.agent.maintenance;

import io.mesokube.api.v1alpha1.agent.Agent;
import io.mesokube.api.v1alpha1.agent.AgentConditions;
import io.mesokube.api.v1alpha1.agent.Maintenance;
import io.mesokube.api.v1alpha1.common.Condition;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What an agent says of its drain, as the {@link AgentConditions#DRAINED} condition of its Agent:
 * absent unless the Agent is Down; False (reason {@code Draining}) while the agent still holds a
 * task; True (reason {@code Drained}) once it holds none. Pure logic.
 */
final class DrainCondition {
  static final String DRAINING = "Draining";
  static final String DRAINED = "Drained";

  private DrainCondition() {}

  /** Why {@code agent} is Down, or null when it is not (no maintenance, or Draining). */
  static String downReason(Agent agent) {
    Maintenance maintenance = agent == null ? null : agent.getSpec().maintenance();
    if (maintenance == null || maintenance.mode() != Maintenance.Mode.Down) {
      return null;
    }
    return maintenance.reason() == null || maintenance.reason().isBlank()
        ? "no reason given"
        : maintenance.reason();
  }

  /**
   * The condition {@code agent} should carry, or null for none.
   *
   * @param held tasks the agent still holds (running, being killed, or with an update the API
   *     server does not hold yet)
   * @param cgroupsLeft the agent's own cgroups that could not be removed once it held none; null
   *     while that was not tried yet
   */
  static Condition desired(Agent agent, int held, List<Path> cgroupsLeft, Instant now) {
    if (downReason(agent) == null) {
      return null;
    }
    Long generation = agent.getMetadata().getGeneration();
    if (held > 0 || cgroupsLeft == null) {
      return new Condition(
          AgentConditions.DRAINED,
          Condition.Status.False,
          generation,
          now.toString(),
          DRAINING,
          held > 0
              ? "killing its tasks: " + held + (held == 1 ? " task" : " tasks") + " left"
              : "no task left; removing the agent's cgroups");
    }
    return new Condition(
        AgentConditions.DRAINED,
        Condition.Status.True,
        generation,
        now.toString(),
        DRAINED,
        cgroupsLeft.isEmpty()
            ? "no task left; the agent's cgroups are removed"
            : "no task left; cgroups still in use, left in place: " + cgroupsLeft);
  }

  /**
   * {@code current} with the Drained condition replaced by {@code desired} (removed when null),
   * keeping its transition time while its status does not change; the other conditions as they are.
   * Null when that changes nothing, so that no write is due.
   */
  static List<Condition> apply(List<Condition> current, Condition desired) {
    List<Condition> others = new ArrayList<>();
    Condition existing = null;
    for (Condition c : current == null ? List.<Condition>of() : current) {
      if (c.type().equals(AgentConditions.DRAINED)) {
        existing = c;
      } else {
        others.add(c);
      }
    }
    if (desired == null) {
      return existing == null ? null : others;
    }
    if (existing != null && existing.status() == desired.status()) {
      desired =
          new Condition(
              desired.type(),
              desired.status(),
              desired.observedGeneration(),
              existing.lastTransitionTime(),
              desired.reason(),
              desired.message());
    }
    if (desired.equals(existing)) {
      return null;
    }
    others.add(desired);
    return others;
  }
}
