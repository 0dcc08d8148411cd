package io.mesokube.allocator;

import io.mesokube.allocator.resources.Resource;
import io.mesokube.allocator.resources.ResourceQuantities;
import io.mesokube.allocator.resources.Resources;
import io.mesokube.allocator.resources.ScalarNames;
import io.mesokube.allocator.sorter.DrfSorter;
import io.mesokube.allocator.sorter.RandomSorter;
import io.mesokube.allocator.sorter.Sorter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the allocator knows, and the bookkeeping that keeps it consistent: sorters, role
 * consumption and agent availability always move together through {@link #allocate} and {@link
 * #unallocate}.
 */
final class AllocatorState {
  final AllocatorOptions options;
  final RoleTree roles = new RoleTree();
  final Sorter<Role> roleSorter;
  final Map<String, Sorter<Client>> frameworkSorters = new HashMap<>();
  final Map<String, Framework> frameworks = new LinkedHashMap<>();
  final Map<String, Agent> agents = new HashMap<>();
  final List<Agent> agentList = new ArrayList<>();
  // Clients left out of the sorters (framework inactive or role suppressed), for the summary.
  final Set<Client> idle = new LinkedHashSet<>();
  private final ArrayDeque<Integer> freeSlots = new ArrayDeque<>();
  private int nextSlot;
  private ResourceQuantities clusterTotal = ResourceQuantities.EMPTY;
  private long sorterSeed;

  AllocatorState(AllocatorOptions options) {
    this.options = options;
    this.sorterSeed = options.seed();
    this.roleSorter = newSorter(options.roleSorter());
  }

  private <T> Sorter<T> newSorter(AllocatorOptions.SorterType type) {
    return type == AllocatorOptions.SorterType.DRF
        ? new DrfSorter<>()
        : new RandomSorter<>(sorterSeed++);
  }

  Sorter<Client> frameworkSorter(Role role) {
    return role.frameworks;
  }

  Client addClient(Framework framework, String rolePath) {
    Role role = roles.getOrCreate(rolePath);
    Integer free = freeSlots.poll();
    Client client = new Client(framework, role, free != null ? free : nextSlot++);
    framework.clients.put(rolePath, client);
    role.members.add(client);
    if (role.clients++ == 0) {
      Sorter<Client> sorter = newSorter(options.frameworkSorter());
      sorter.addTotal(clusterTotal);
      frameworkSorters.put(rolePath, sorter);
      role.frameworks = sorter;
      roleSorter.add(rolePath, role);
    }
    frameworkSorter(role).add(framework.id, client);
    updateActivity(client);
    return client;
  }

  void removeClient(Client client) {
    for (Map.Entry<Agent, Resources> e : new ArrayList<>(client.allocations.entrySet())) {
      unallocate(client, e.getKey(), e.getValue());
    }
    clearFilters(client);
    Role role = client.role;
    frameworkSorter(role).remove(client.framework.id);
    client.framework.clients.remove(role.path);
    role.members.remove(client);
    idle.remove(client);
    if (--role.clients == 0) {
      frameworkSorters.remove(role.path);
      role.frameworks = null;
      roleSorter.remove(role.path);
    }
    freeSlots.add(client.slot);
    roles.tryRemove(role);
  }

  void updateActivity(Client client) {
    Sorter<Client> sorter = frameworkSorter(client.role);
    if (client.offerable()) {
      sorter.activate(client.framework.id);
      idle.remove(client);
    } else {
      sorter.deactivate(client.framework.id);
      idle.add(client);
    }
  }

  void clearFilters(Client client) {
    for (Agent agent : agentList) {
      agent.clearFilter(client.slot);
    }
  }

  /** Adds an agent's total to the sorters' pools and its reservations to role consumption. */
  void addTotal(Agent agent, int sign) {
    ResourceQuantities q = agent.total().quantities();
    clusterTotal = sign > 0 ? clusterTotal.plus(q) : clusterTotal.minusFloorZero(q);
    for (Sorter<Client> s : frameworkSorters.values()) {
      updateTotal(s, q, sign);
    }
    updateTotal(roleSorter, q, sign);
    for (Resource r : agent.total().reserved().asList()) {
      long[] delta = Resources.of(r).quantities().toArray(ScalarNames.count());
      Role role = roles.getOrCreate(r.reservation().role());
      roles.consume(role, delta, sign);
      if (sign < 0) {
        roles.tryRemove(role);
      }
    }
  }

  private static <T> void updateTotal(Sorter<T> sorter, ResourceQuantities q, int sign) {
    if (sign > 0) {
      sorter.addTotal(q);
    } else {
      sorter.removeTotal(q);
    }
  }

  /** Hands resources (each with the client's role as allocation role) of an agent to a client. */
  void allocate(Client client, Agent agent, Resources resources) {
    Resources plain = resources.unallocated();
    agent.setAvailable(agent.available.minus(plain));
    client.allocations.merge(agent, resources, Resources::plus);
    agent.allocations.merge(client, resources, Resources::plus);
    account(client, plain, 1);
  }

  /** Gives back resources a client held on an agent. */
  void unallocate(Client client, Agent agent, Resources resources) {
    Resources held = client.allocations.getOrDefault(agent, Resources.EMPTY);
    Resources rest = held.minus(resources);
    Resources plain = resources.unallocated();
    if (rest.isEmpty()) {
      client.allocations.remove(agent);
      agent.allocations.remove(client);
    } else {
      client.allocations.put(agent, rest);
      agent.allocations.put(client, rest);
    }
    agent.setAvailable(agent.available.plus(plain));
    account(client, plain, -1);
  }

  private void account(Client client, Resources plain, int sign) {
    ResourceQuantities q = plain.quantities();
    Sorter<Client> sorter = frameworkSorter(client.role);
    if (sign > 0) {
      roleSorter.allocated(client.role.path, q);
      sorter.allocated(client.framework.id, q);
    } else {
      roleSorter.unallocated(client.role.path, q);
      sorter.unallocated(client.framework.id, q);
    }
    long[] unreserved = plain.unreserved().quantities().toArray(ScalarNames.count());
    roles.consume(client.role, unreserved, sign);
  }

  void addAgentToList(Agent agent) {
    agent.index = agentList.size();
    agentList.add(agent);
    agents.put(agent.id, agent);
  }

  void removeAgentFromList(Agent agent) {
    Agent last = agentList.remove(agentList.size() - 1);
    if (last != agent) {
      agentList.set(agent.index, last);
      last.index = agent.index;
    }
    agents.remove(agent.id);
  }
}
