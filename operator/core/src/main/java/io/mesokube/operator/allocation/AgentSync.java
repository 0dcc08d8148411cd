package io.mesokube.operator.allocation;

import io.mesokube.allocator.AgentInfo;
import io.mesokube.allocator.HierarchicalAllocator;
import io.mesokube.api.v1alpha1.agent.Agent;
import io.mesokube.api.v1alpha1.agent.AgentPhase;
import io.mesokube.api.v1alpha1.agent.Maintenance;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the allocator's agents equal to the Agent objects: totals and attributes from the spec,
 * maintenance from {@code spec.maintenance}, reachability from {@code status.phase} and from this
 * replica having seen the agent's heartbeat.
 *
 * <p>An Unreachable agent stays in the allocator, deactivated: its tasks may come back with it. A
 * Gone agent is removed, as a deleted one, so that everything allocated on it is released (Mesos
 * removes an agent it marks gone); it is added afresh when it registers again.
 *
 * <p>An agent in maintenance, Draining or Down, gets no new offers. Its outstanding offers are
 * rescinded when it goes Down (the agent then kills its tasks and launches none, as a Mesos agent
 * on a DOWN machine), as when it turns unreachable. Draining leaves them to be answered: in Mesos
 * the offers of a draining machine stand, carrying its unavailability, until the machine is down.
 */
final class AgentSync {
  private static final Logger LOG = LoggerFactory.getLogger(AgentSync.class);

  /** What was last applied for an agent. */
  private record Applied(AgentInfo info, Maintenance.Mode maintenance, boolean reachable) {

    boolean inMaintenance() {
      return maintenance != null;
    }

    boolean down() {
      return maintenance == Maintenance.Mode.Down;
    }
  }

  private final HierarchicalAllocator allocator;
  private final Map<String, Applied> applied = new HashMap<>();

  AgentSync(HierarchicalAllocator allocator) {
    this.allocator = allocator;
  }

  /**
   * Applies the current Agents.
   *
   * @param heartbeating whether this replica saw an agent renew its heartbeat: a registered agent
   *     it did not see renew is not offered yet (a Mesos master offers an agent only once it
   *     re-registered), so that an agent that died before this replica started is never offered
   * @param removed told of every agent taken out of the allocator
   * @param unavailable told of every agent whose outstanding offers are to be rescinded: it turned
   *     unreachable, or its maintenance turned Down
   * @return names of agents whose spec the allocator refused, with the reason logged
   */
  Set<String> sync(
      List<Agent> agents,
      Predicate<String> heartbeating,
      Consumer<String> removed,
      Consumer<String> unavailable) {
    Set<String> seen = new HashSet<>();
    Set<String> refused = new HashSet<>();
    for (Agent agent : agents) {
      if (phase(agent) == AgentPhase.Gone) {
        continue;
      }
      String name = agent.getMetadata().getName();
      seen.add(name);
      Applied next;
      try {
        next = desired(agent, heartbeating.test(name));
      } catch (IllegalArgumentException e) {
        LOG.warn("Agent {} is not offered: {}", name, e.getMessage());
        refused.add(name);
        continue;
      }
      Applied previous = applied.get(name);
      try {
        if (previous == null) {
          allocator.addAgent(next.info);
        } else if (!previous.info.equals(next.info)) {
          allocator.updateAgent(next.info);
        }
      } catch (IllegalArgumentException e) {
        LOG.warn("Agent {} keeps its previous resources: {}", name, e.getMessage());
        refused.add(name);
        continue;
      }
      if (previous == null || previous.inMaintenance() != next.inMaintenance()) {
        allocator.updateUnavailability(name, next.inMaintenance());
      }
      boolean turnedUnreachable = false;
      if (previous == null ? !next.reachable : previous.reachable != next.reachable) {
        if (next.reachable) {
          allocator.activateAgent(name);
        } else {
          allocator.deactivateAgent(name);
          turnedUnreachable = true;
        }
      }
      boolean wentDown = next.down() && (previous == null || !previous.down());
      if (turnedUnreachable || wentDown) {
        unavailable.accept(name);
      }
      applied.put(name, next);
    }
    for (String name : Set.copyOf(applied.keySet())) {
      if (!seen.contains(name)) {
        allocator.removeAgent(name);
        applied.remove(name);
        removed.accept(name);
      }
    }
    return refused;
  }

  /** Whether the allocator knows the agent. */
  boolean knows(String name) {
    return applied.containsKey(name);
  }

  private static Applied desired(Agent agent, boolean heartbeating) {
    var spec = agent.getSpec();
    AgentInfo info =
        new AgentInfo(
            agent.getMetadata().getName(),
            ResourceMapping.agentTotal(spec),
            spec.attributes() == null ? Map.of() : spec.attributes());
    // A registered agent is offered once this replica saw it heartbeat; one that no agent process
    // registered (no phase: an Agent applied by hand) has no heartbeat to wait for.
    AgentPhase phase = phase(agent);
    boolean reachable =
        phase != AgentPhase.Unreachable && (phase != AgentPhase.Active || heartbeating);
    return new Applied(
        info, spec.maintenance() == null ? null : spec.maintenance().mode(), reachable);
  }

  private static AgentPhase phase(Agent agent) {
    return agent.getStatus() == null ? null : agent.getStatus().phase();
  }
}
