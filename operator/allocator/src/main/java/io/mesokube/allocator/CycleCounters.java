package io.mesokube.allocator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The skip counters of one cycle. Only clients and roles the cycle actually passed over are
 * touched, so an incremental cycle over one agent costs nothing per framework.
 */
final class CycleCounters {
  private final int cycle;
  final List<Client> clients = new ArrayList<>();
  final List<Role> roles = new ArrayList<>();

  CycleCounters(int cycle) {
    this.cycle = cycle;
  }

  void skip(Client client, SkipReason reason) {
    if (client.countedCycle != cycle) {
      client.countedCycle = cycle;
      Arrays.fill(client.skips, 0);
      clients.add(client);
    }
    client.skips[reason.ordinal()]++;
  }

  /** A pass over an agent that applies to every framework of the role. */
  void skip(Role role, SkipReason reason, int agents) {
    if (role.countedCycle != cycle) {
      role.countedCycle = cycle;
      Arrays.fill(role.skips, 0);
      roles.add(role);
    }
    role.skips[reason.ordinal()] += agents;
  }
}
