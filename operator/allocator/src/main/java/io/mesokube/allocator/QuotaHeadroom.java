package io.mesokube.allocator;

import io.mesokube.allocator.resources.ScalarNames;
import java.util.List;

/**
 * Mesos' quota headroom for one cycle: unreserved resources that must stay unallocated so that
 * unsatisfied guarantees can still be met.
 *
 * <p>Invariant: {@code required[k]} is the sum over quota roots of their unconsumed guarantee of
 * resource {@code k}, and {@code available[k]} the unreserved, unallocated amount on all offerable
 * agents. Roles without guarantees may only take the surplus {@code available - required}.
 */
final class QuotaHeadroom {
  private final long[] required;
  private final long[] available;
  private final boolean active;

  QuotaHeadroom(RoleTree roles, List<Agent> agents) {
    int kinds = ScalarNames.count();
    required = new long[kinds];
    available = new long[kinds];
    List<Role> roots = roles.quotaRoots();
    active = !roots.isEmpty();
    if (!active) {
      return;
    }
    for (Role root : roots) {
      for (int k = 0; k < kinds; k++) {
        required[k] += root.remainingGuarantee(k);
      }
    }
    for (Agent agent : agents) {
      if (agent.offerable()) {
        for (int k = 0; k < Math.min(kinds, agent.unreserved.length); k++) {
          available[k] += agent.unreserved[k];
        }
      }
    }
  }

  boolean active() {
    return active;
  }

  /** Unreserved amount a role outside every quota may take without eating into guarantees. */
  long surplus(int k) {
    return active ? Math.max(0, available[k] - required[k]) : Long.MAX_VALUE;
  }

  /** Records an allocation of unreserved resources; the root's guarantee remainder changed. */
  void allocated(long[] unreserved, Role root, long[] rootRemainingBefore) {
    if (!active) {
      return;
    }
    for (int k = 0; k < unreserved.length && k < available.length; k++) {
      available[k] -= unreserved[k];
      if (root != null) {
        required[k] -= rootRemainingBefore[k] - root.remainingGuarantee(k);
      }
    }
  }
}
