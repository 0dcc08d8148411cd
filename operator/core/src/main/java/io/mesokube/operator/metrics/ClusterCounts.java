package io.mesokube.operator.metrics;

import io.mesokube.api.v1alpha1.agent.Agent;
import io.mesokube.api.v1alpha1.agent.AgentPhase;
import io.mesokube.api.v1alpha1.common.Resources;
import io.mesokube.api.v1alpha1.framework.Framework;
import io.mesokube.api.v1alpha1.framework.FrameworkPhase;
import io.mesokube.api.v1alpha1.offer.Offer;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.api.v1alpha1.task.TaskState;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the cluster holds, counted from the informer caches: tasks by state, frameworks by phase,
 * agents by phase, outstanding offers and scalar resources. Plain logic, no I/O.
 *
 * @param tasks tasks by state; the key {@link #PENDING} holds unbound tasks with no state yet
 * @param frameworks frameworks by phase, a framework without status being {@code Pending}
 * @param frameworksConnected frameworks whose scheduler is connected
 * @param agents agents by phase, an agent without status being {@code Registering}
 * @param offersOutstanding offers made and not answered yet
 * @param resourcesTotal resources of every agent that is not gone, by kind
 * @param resourcesOfferedOrAllocated resources in offers plus those of non-terminal bound tasks
 */
record ClusterCounts(
    Map<String, Long> tasks,
    Map<FrameworkPhase, Long> frameworks,
    long frameworksConnected,
    Map<AgentPhase, Long> agents,
    long offersOutstanding,
    Map<ScalarResource, Double> resourcesTotal,
    Map<ScalarResource, Double> resourcesOfferedOrAllocated) {

  /** The state tag of a task waiting for an agent (the Mesos task state machine has none). */
  static final String PENDING = "PENDING";

  /** Counts the given cache contents. */
  static ClusterCounts of(
      List<Agent> agents, List<Framework> frameworks, List<Offer> offers, List<Task> tasks) {
    Map<AgentPhase, Long> agentPhases = new EnumMap<>(AgentPhase.class);
    Map<ScalarResource, Double> total = new EnumMap<>(ScalarResource.class);
    for (Agent agent : agents) {
      AgentPhase phase =
          agent.getStatus() == null || agent.getStatus().phase() == null
              ? AgentPhase.Registering
              : agent.getStatus().phase();
      agentPhases.merge(phase, 1L, Long::sum);
      // A gone agent's resources are released, as Mesos removes a gone agent's from the total.
      if (phase != AgentPhase.Gone && agent.getSpec() != null) {
        add(total, agent.getSpec().resources());
      }
    }

    Map<FrameworkPhase, Long> frameworkPhases = new EnumMap<>(FrameworkPhase.class);
    long connected = 0;
    for (Framework framework : frameworks) {
      var status = framework.getStatus();
      FrameworkPhase phase =
          status == null || status.phase() == null ? FrameworkPhase.Pending : status.phase();
      frameworkPhases.merge(phase, 1L, Long::sum);
      if (status != null && Boolean.TRUE.equals(status.connected())) {
        connected++;
      }
    }

    Map<ScalarResource, Double> used = new EnumMap<>(ScalarResource.class);
    Set<String> offerKeys = new HashSet<>();
    long outstanding = 0;
    for (Offer offer : offers) {
      offerKeys.add(offer.getMetadata().getNamespace() + "/" + offer.getMetadata().getName());
      if (offer.getSpec() == null) {
        continue;
      }
      if (offer.getSpec().answer() == null) {
        outstanding++;
      }
      add(used, offer.getSpec().resources());
    }

    Map<String, Long> taskStates = new TreeMap<>();
    for (Task task : tasks) {
      String state = state(task);
      taskStates.merge(state, 1L, Long::sum);
      boolean holdsResources =
          task.getSpec() != null
              && task.getSpec().agent() != null
              && !(task.getStatus() != null
                  && task.getStatus().state() != null
                  && task.getStatus().state().isTerminal());
      // A task launched from an offer that is not settled yet is still inside that offer's
      // resources: count it once.
      boolean insideOffer =
          task.getSpec() != null
              && task.getSpec().offer() != null
              && offerKeys.contains(
                  task.getMetadata().getNamespace() + "/" + task.getSpec().offer());
      if (holdsResources && !insideOffer) {
        add(used, task.getSpec().charged());
      }
    }
    return new ClusterCounts(
        taskStates, frameworkPhases, connected, agentPhases, outstanding, total, used);
  }

  /** The state tag of a task: its Mesos state, TASK_STAGING if bound without one, else PENDING. */
  static String state(Task task) {
    TaskState state = task.getStatus() == null ? null : task.getStatus().state();
    if (state != null) {
      return state.name();
    }
    boolean bound = task.getSpec() != null && task.getSpec().agent() != null;
    return bound ? TaskState.TASK_STAGING.name() : PENDING;
  }

  /** Tasks in a state tag, zero if none. */
  long tasks(String state) {
    return tasks.getOrDefault(state, 0L);
  }

  /** Frameworks in a phase, zero if none. */
  long frameworks(FrameworkPhase phase) {
    return frameworks.getOrDefault(phase, 0L);
  }

  /** Agents in a phase, zero if none. */
  long agents(AgentPhase phase) {
    return agents.getOrDefault(phase, 0L);
  }

  /** Total of a resource over the agents, zero if none. */
  double total(ScalarResource resource) {
    return resourcesTotal.getOrDefault(resource, 0.0);
  }

  /** Offered or allocated amount of a resource, zero if none. */
  double offeredOrAllocated(ScalarResource resource) {
    return resourcesOfferedOrAllocated.getOrDefault(resource, 0.0);
  }

  private static void add(Map<ScalarResource, Double> sums, Resources resources) {
    if (resources == null) {
      return;
    }
    for (ScalarResource resource : ScalarResource.values()) {
      double amount = resource.of(resources);
      if (amount != 0) {
        sums.merge(resource, amount, Double::sum);
      }
    }
  }
}
