package io.mesokube.allocator;

import io.mesokube.allocator.resources.Resources;
import io.mesokube.allocator.role.Quota;
import io.mesokube.allocator.role.RoleName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * Mesos' hierarchical DRF allocator as a library: it decides which framework is offered which
 * agent's resources.
 *
 * <p><b>Threading:</b> not thread-safe and takes no locks. The operator calls it from one thread
 * (its allocation loop), as Mesos runs its allocator in one libprocess actor.
 *
 * <p><b>Events and cycles:</b> every mutating call updates the state at once and marks what it
 * touched; {@link #allocatePending()} then runs one cycle over the union of everything marked since
 * the last cycle (Mesos' batching of allocation candidates). {@link #allocate()} runs a full cycle
 * over all agents and {@link #allocate(Collection)} one over chosen agents.
 *
 * <p><b>Bad input:</b> every public method validates its arguments before it changes anything and
 * throws {@link IllegalArgumentException} with the reason, leaving the state as it was.
 */
public final class HierarchicalAllocator {
  private static final Duration MAX_REFUSE = Duration.ofDays(365);

  final AllocatorState state;
  private final FrameworkOps frameworkOps;
  private final AgentOps agentOps;
  private final Random random;
  private final Set<String> pendingAgents = new LinkedHashSet<>();
  private boolean pendingAll;
  private int cycle;

  /** An allocator with the given options. */
  public HierarchicalAllocator(AllocatorOptions options) {
    this.state = new AllocatorState(Objects.requireNonNull(options, "options"));
    this.frameworkOps = new FrameworkOps(state);
    this.agentOps = new AgentOps(state);
    this.random = new Random(options.seed());
  }

  /** Adds an active framework that holds nothing yet. */
  public void addFramework(FrameworkInfo info) {
    addFramework(info, Map.of(), true, Set.of());
  }

  /**
   * Adds a framework, as Mesos' {@code addFramework}.
   *
   * @param used resources it already holds, by agent id, each with its role as allocation role
   * @param active whether it may be offered resources now
   * @param suppressedRoles roles it starts suppressed in
   */
  public void addFramework(
      FrameworkInfo info,
      Map<String, Resources> used,
      boolean active,
      Set<String> suppressedRoles) {
    frameworkOps.add(info, used, active, suppressedRoles);
    pendingAll = true;
  }

  /** Removes a framework; everything it held becomes available again. */
  public void removeFramework(String frameworkId) {
    for (Agent agent : frameworkOps.remove(frameworkId)) {
      pendingAgents.add(agent.id);
    }
  }

  /** Lets a framework be offered resources again. */
  public void activateFramework(String frameworkId) {
    frameworkOps.setActive(frameworkId, true);
    pendingAll = true;
  }

  /** Stops offers to a framework while keeping what it holds. */
  public void deactivateFramework(String frameworkId) {
    frameworkOps.setActive(frameworkId, false);
  }

  /**
   * Changes a framework's roles, capabilities and suppressed roles. A role it leaves must hold no
   * resources.
   */
  public void updateFramework(FrameworkInfo info, Set<String> suppressedRoles) {
    frameworkOps.update(info, suppressedRoles);
    pendingAll = true;
  }

  /** Stops offers to a framework for the given roles (all its roles if empty). */
  public void suppressOffers(String frameworkId, Set<String> roles) {
    frameworkOps.suppress(frameworkId, roles, true);
  }

  /** Resumes offers for the given roles (all if empty) and clears their offer filters. */
  public void reviveOffers(String frameworkId, Set<String> roles) {
    frameworkOps.suppress(frameworkId, roles, false);
    pendingAll = true;
  }

  /** Adds an agent with no resources in use. */
  public void addAgent(AgentInfo info) {
    addAgent(info, Map.of());
  }

  /**
   * Adds an agent, as Mesos' {@code addSlave}.
   *
   * @param used resources in use on it, by framework id, each with its allocation role
   */
  public void addAgent(AgentInfo info, Map<String, Resources> used) {
    agentOps.add(info, used);
    pendingAgents.add(info.id());
  }

  /** Removes an agent and everything allocated on it. */
  public void removeAgent(String agentId) {
    agentOps.remove(agentId);
    pendingAgents.remove(agentId);
  }

  /** Replaces an agent's total resources and attributes; the new total must cover what is used. */
  public void updateAgent(AgentInfo info) {
    agentOps.update(info);
    pendingAgents.add(info.id());
  }

  /** Marks an agent as in maintenance (not offered) or back in service. */
  public void updateUnavailability(String agentId, boolean inMaintenance) {
    agentOps.agent(agentId).inMaintenance = inMaintenance;
    pendingAgents.add(agentId);
  }

  /** Marks an agent unreachable: it keeps its allocations but is not offered. */
  public void deactivateAgent(String agentId) {
    agentOps.agent(agentId).unreachable = true;
  }

  /** Marks an unreachable agent reachable again. */
  public void activateAgent(String agentId) {
    agentOps.agent(agentId).unreachable = false;
    pendingAgents.add(agentId);
  }

  /**
   * Gives back resources a framework held (declined offers, finished tasks), as Mesos' {@code
   * recoverResources}.
   *
   * @param resources what is returned, each resource with its allocation role
   * @param refuse how long not to offer these resources on this agent to this framework and role
   *     again ({@code refuseSeconds}); zero or null for no filter
   */
  public void recoverResources(
      String frameworkId, String agentId, Resources resources, Duration refuse) {
    if (refuse != null && (refuse.isNegative() || refuse.compareTo(MAX_REFUSE) > 0)) {
      throw new IllegalArgumentException("refuse must be between 0 and 365 days, got " + refuse);
    }
    agentOps.recover(frameworkId, agentId, resources, refuse, state.options.clock().millis());
    pendingAgents.add(agentId);
  }

  /**
   * Allocates an agent's available resources to a framework outside an allocation cycle, as for a
   * task bound by hand or found running when the state is rebuilt; every resource carries its
   * allocation role. Fails, changing nothing, if they are not available.
   */
  public void addAllocation(String frameworkId, String agentId, Resources resources) {
    agentOps.addAllocation(frameworkId, agentId, resources);
  }

  /** Sets a role's quota (guarantees and limits); {@link Quota#NONE} removes it. */
  public void updateQuota(String role, Quota quota) {
    RoleName.validate(role);
    Objects.requireNonNull(quota, "quota");
    if (RoleName.DEFAULT.equals(role) && !quota.isNone()) {
      throw new IllegalArgumentException("The default role '*' cannot have a quota");
    }
    Role node = state.roles.getOrCreate(role);
    node.quota = quota;
    state.roles.quotaChanged();
    state.roles.tryRemove(node);
    pendingAll = true;
  }

  /** Sets role weights (default 1); all are validated before any is applied. */
  public void updateWeights(Map<String, Double> weights) {
    for (Map.Entry<String, Double> e : weights.entrySet()) {
      RoleName.validate(e.getKey());
      Double w = e.getValue();
      if (w == null || !(w > 0) || w.isInfinite()) {
        throw new IllegalArgumentException(
            "Weight of role '" + e.getKey() + "' must be positive and finite, got " + w);
      }
    }
    for (Map.Entry<String, Double> e : weights.entrySet()) {
      Role role = state.roles.getOrCreate(e.getKey());
      role.weight = e.getValue();
      state.roleSorter.updateWeight(e.getKey(), e.getValue());
      state.roles.tryRemove(role);
    }
    pendingAll = true;
  }

  /** A full cycle over every agent. */
  public AllocationResult allocate() {
    return run(state.agentList);
  }

  /** An incremental cycle over the given agents only. */
  public AllocationResult allocate(Collection<String> agentIds) {
    List<Agent> agents = new ArrayList<>(agentIds.size());
    for (String id : new LinkedHashSet<>(agentIds)) {
      agents.add(agentOps.agent(id));
    }
    return run(agents);
  }

  /** One cycle over what changed since the last cycle: all agents after a framework event. */
  public AllocationResult allocatePending() {
    if (pendingAll) {
      return allocate();
    }
    List<Agent> agents = new ArrayList<>(pendingAgents.size());
    for (String id : pendingAgents) {
      Agent agent = state.agents.get(id);
      if (agent != null) {
        agents.add(agent);
      }
    }
    return run(agents);
  }

  /** Whether events are waiting for {@link #allocatePending()}. */
  public boolean hasPendingEvents() {
    return pendingAll || !pendingAgents.isEmpty();
  }

  private AllocationResult run(List<Agent> agents) {
    pendingAll = false;
    pendingAgents.clear();
    Agent[] order = new Agent[agents.size()];
    int count = 0;
    for (Agent agent : agents) {
      if (agent.offerable()) {
        order[count++] = agent;
      }
    }
    // Shuffle so that frameworks earlier in the sort order do not always get the same agents.
    for (int i = count - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      Agent swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    long now = state.options.clock().millis();
    return new AllocationCycle(state, now, cycle++).run(order, count, agents.size() - count);
  }

  /** What an agent has neither offered nor in use. */
  public Resources available(String agentId) {
    return agentOps.agent(agentId).available;
  }

  /** What a framework holds on each agent, by agent id. */
  public Map<String, Resources> allocation(String frameworkId) {
    Map<String, Resources> out = new HashMap<>();
    for (Client client : frameworkOps.framework(frameworkId).clients.values()) {
      client.allocations.forEach((agent, r) -> out.merge(agent.id, r, Resources::plus));
    }
    return out;
  }
}
