package io.mesokube.allocator;

import io.mesokube.allocator.resources.Resource;
import io.mesokube.allocator.resources.Resources;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Framework events of the {@link HierarchicalAllocator}: validated first, then applied. */
final class FrameworkOps {
  private final AllocatorState state;

  FrameworkOps(AllocatorState state) {
    this.state = state;
  }

  Framework framework(String id) {
    Framework framework = state.frameworks.get(id);
    if (framework == null) {
      throw new IllegalArgumentException("Unknown framework '" + id + "'");
    }
    return framework;
  }

  void add(
      FrameworkInfo info, Map<String, Resources> used, boolean active, Set<String> suppressed) {
    if (state.frameworks.containsKey(info.id())) {
      throw new IllegalArgumentException("Framework '" + info.id() + "' already exists");
    }
    requireSubscribed(info, suppressed);
    for (Map.Entry<String, Resources> e : used.entrySet()) {
      Agent agent = state.agents.get(e.getKey());
      if (agent == null) {
        throw new IllegalArgumentException(
            "Framework uses resources on unknown agent " + e.getKey());
      }
      for (Resource r : e.getValue().asList()) {
        if (r.allocationRole() == null || !info.roles().contains(r.allocationRole())) {
          throw new IllegalArgumentException(
              "Used resource " + r + " needs an allocation role of framework " + info.id());
        }
      }
      if (!agent.available.contains(e.getValue().unallocated())) {
        throw new IllegalArgumentException(
            "Agent " + agent.id + " does not have " + e.getValue() + " available");
      }
    }
    Framework framework = new Framework(info, active);
    state.frameworks.put(info.id(), framework);
    for (String role : info.roles()) {
      state.addClient(framework, role).suppressed = suppressed.contains(role);
    }
    framework.clients.values().forEach(state::updateActivity);
    for (Map.Entry<String, Resources> e : used.entrySet()) {
      Agent agent = state.agents.get(e.getKey());
      for (Resource r : e.getValue().asList()) {
        state.allocate(framework.client(r.allocationRole()), agent, Resources.of(r));
      }
    }
  }

  List<Agent> remove(String id) {
    Framework framework = framework(id);
    Set<Agent> touched = new HashSet<>();
    for (Client client : new ArrayList<>(framework.clients.values())) {
      touched.addAll(client.allocations.keySet());
      state.removeClient(client);
    }
    state.frameworks.remove(id);
    return new ArrayList<>(touched);
  }

  void setActive(String id, boolean active) {
    Framework framework = framework(id);
    framework.active = active;
    framework.clients.values().forEach(state::updateActivity);
  }

  void update(FrameworkInfo info, Set<String> suppressed) {
    Framework framework = framework(info.id());
    requireSubscribed(info, suppressed);
    for (Client client : framework.clients.values()) {
      if (!info.roles().contains(client.role.path) && !client.allocations.isEmpty()) {
        throw new IllegalArgumentException(
            "Framework '"
                + info.id()
                + "' cannot leave role '"
                + client.role.path
                + "' while it holds resources in it");
      }
    }
    for (Client client : new ArrayList<>(framework.clients.values())) {
      if (!info.roles().contains(client.role.path)) {
        state.removeClient(client);
      }
    }
    framework.setInfo(info);
    for (String role : info.roles()) {
      Client client = framework.clients.get(role);
      if (client == null) {
        client = state.addClient(framework, role);
      }
      client.suppressed = suppressed.contains(role);
      state.updateActivity(client);
    }
  }

  void suppress(String id, Set<String> roles, boolean suppress) {
    Framework framework = framework(id);
    for (String role : roles) {
      framework.client(role);
    }
    for (Client client : framework.clients.values()) {
      if (roles.isEmpty() || roles.contains(client.role.path)) {
        client.suppressed = suppress;
        if (!suppress) {
          state.clearFilters(client);
        }
        state.updateActivity(client);
      }
    }
  }

  private static void requireSubscribed(FrameworkInfo info, Set<String> roles) {
    for (String role : roles) {
      if (!info.roles().contains(role)) {
        throw new IllegalArgumentException(
            "Framework '" + info.id() + "' is not subscribed to role '" + role + "'");
      }
    }
  }
}
