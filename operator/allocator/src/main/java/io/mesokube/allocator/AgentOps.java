package io.mesokube.allocator;

import io.mesokube.allocator.resources.Resource;
import io.mesokube.allocator.resources.Resources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/** Agent events and resource recovery of the {@link HierarchicalAllocator}. */
final class AgentOps {
  private final AllocatorState state;

  AgentOps(AllocatorState state) {
    this.state = state;
  }

  Agent agent(String id) {
    Agent agent = state.agents.get(id);
    if (agent == null) {
      throw new IllegalArgumentException("Unknown agent '" + id + "'");
    }
    return agent;
  }

  void add(AgentInfo info, Map<String, Resources> used) {
    if (state.agents.containsKey(info.id())) {
      throw new IllegalArgumentException("Agent '" + info.id() + "' already exists");
    }
    Resources sum = Resources.EMPTY;
    for (Map.Entry<String, Resources> e : used.entrySet()) {
      Framework framework = state.frameworks.get(e.getKey());
      if (framework == null) {
        throw new IllegalArgumentException(
            "Agent uses resources of unknown framework " + e.getKey());
      }
      for (Resource r : e.getValue().asList()) {
        if (r.allocationRole() == null) {
          throw new IllegalArgumentException("Used resource " + r + " has no allocation role");
        }
        framework.client(r.allocationRole());
      }
      sum = sum.plus(e.getValue().unallocated());
    }
    if (!info.total().contains(sum)) {
      throw new IllegalArgumentException(
          "Agent '" + info.id() + "' uses more than its total: " + sum);
    }
    Agent agent = new Agent(info);
    agent.setAvailable(info.total());
    state.addAgentToList(agent);
    state.addTotal(agent, 1);
    for (Map.Entry<String, Resources> e : used.entrySet()) {
      Framework framework = state.frameworks.get(e.getKey());
      for (Resource r : e.getValue().asList()) {
        state.allocate(framework.client(r.allocationRole()), agent, Resources.of(r));
      }
    }
  }

  void remove(String id) {
    Agent agent = agent(id);
    for (Map.Entry<Client, Resources> e : new ArrayList<>(agent.allocations.entrySet())) {
      state.unallocate(e.getKey(), agent, e.getValue());
    }
    state.addTotal(agent, -1);
    state.removeAgentFromList(agent);
  }

  void update(AgentInfo info) {
    Agent agent = agent(info.id());
    Resources used = Resources.EMPTY;
    for (Resources r : agent.allocations.values()) {
      used = used.plus(r.unallocated());
    }
    if (!info.total().contains(used)) {
      throw new IllegalArgumentException(
          "New total of agent '" + info.id() + "' does not cover what is in use: " + used);
    }
    state.addTotal(agent, -1);
    agent.info = info;
    agent.setAvailable(info.total().minus(used));
    state.addTotal(agent, 1);
  }

  /**
   * Allocates resources of an agent to a framework outside an allocation cycle; they must be
   * available on the agent.
   */
  void addAllocation(String frameworkId, String agentId, Resources resources) {
    Agent agent = agent(agentId);
    Map<Client, Resources> byClient = byClient(frameworkId, resources, "Allocated");
    if (!agent.available.contains(resources.unallocated())) {
      throw new IllegalArgumentException(
          "Agent '" + agentId + "' does not have " + resources + " available");
    }
    for (Map.Entry<Client, Resources> e : byClient.entrySet()) {
      state.allocate(e.getKey(), agent, e.getValue());
    }
  }

  /** Groups resources by the framework's client for each one's allocation role. */
  private Map<Client, Resources> byClient(String frameworkId, Resources resources, String what) {
    Framework framework = state.frameworks.get(frameworkId);
    if (framework == null) {
      throw new IllegalArgumentException("Unknown framework '" + frameworkId + "'");
    }
    Map<Client, Resources> byClient = new LinkedHashMap<>();
    for (Resource r : resources.asList()) {
      if (r.allocationRole() == null) {
        throw new IllegalArgumentException(what + " resource " + r + " has no allocation role");
      }
      byClient.merge(framework.client(r.allocationRole()), Resources.of(r), Resources::plus);
    }
    return byClient;
  }

  void recover(String frameworkId, String agentId, Resources resources, Duration refuse, long now) {
    Map<Client, Resources> byClient = byClient(frameworkId, resources, "Recovered");
    Agent agent = agent(agentId);
    for (Map.Entry<Client, Resources> e : byClient.entrySet()) {
      Resources held = e.getKey().allocations.getOrDefault(agent, Resources.EMPTY);
      if (!held.contains(e.getValue())) {
        throw new IllegalArgumentException(
            "Framework '" + frameworkId + "' does not hold " + e.getValue() + " on " + agentId);
      }
    }
    for (Map.Entry<Client, Resources> e : byClient.entrySet()) {
      Client client = e.getKey();
      state.unallocate(client, agent, e.getValue());
      if (refuse != null && !refuse.isZero()) {
        agent.setFilter(client.slot, e.getValue().unallocated(), now + refuse.toMillis());
      }
    }
  }
}
