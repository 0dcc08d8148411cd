package io.mesokube.allocator;

import java.time.Duration;

/**
 * Test-only shortcut for the benchmarks: puts a cluster straight into the state that thousands of
 * decline rounds through the public API would reach.
 */
public final class BenchmarkAccess {
  private BenchmarkAccess() {}

  /**
   * Installs, on every agent, the filter a framework leaves when it is offered everything its role
   * could get there and declines it for {@code refuse}: Mesos' DeclineOffers steady state.
   */
  public static void declineEverywhere(
      HierarchicalAllocator allocator, String frameworkId, Duration refuse) {
    AllocatorState state = allocator.state;
    long until = state.options.clock().millis() + refuse.toMillis();
    for (Client client : state.frameworks.get(frameworkId).clients.values()) {
      for (Agent agent : state.agentList) {
        agent.setFilter(client.slot, agent.available.allocatableTo(client.role.path), until);
      }
    }
  }
}
