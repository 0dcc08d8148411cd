package io.mesokube.allocator;

import io.mesokube.allocator.resources.Resources;
import java.util.HashMap;
import java.util.Map;

/**
 * One framework in one of its roles: the unit the framework sorters order, that offers go to and
 * that offer filters are kept for (Mesos keys them by framework and role too).
 *
 * <p>Invariant: {@code allocations} holds, per agent, exactly what was offered or used and not yet
 * recovered, each resource with this client's role as allocation role.
 */
final class Client {
  final Framework framework;
  final Role role;
  final int slot;
  boolean suppressed;
  final Map<Agent, Resources> allocations = new HashMap<>();
  final int[] skips = new int[SkipReason.values().length];
  int countedCycle = -1;

  Client(Framework framework, Role role, int slot) {
    this.framework = framework;
    this.role = role;
    this.slot = slot;
  }

  /** Whether the framework sorter should list this client. */
  boolean offerable() {
    return framework.active && !suppressed;
  }
}
