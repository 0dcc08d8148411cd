package io.mesokube.allocator;

import io.mesokube.allocator.resources.ScalarNames;
import io.mesokube.allocator.role.Quota;
import io.mesokube.allocator.sorter.Sorter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One node of the {@link RoleTree}.
 *
 * <p>Invariant: {@code consumed} is what counts against this role's quota, for the whole subtree:
 * unreserved resources allocated to it and every reservation for it, allocated or not (Mesos 1.9's
 * definition of quota consumption).
 */
final class Role {
  final String path;
  final Role parent;
  int children;
  int clients;
  double weight = 1.0;
  Quota quota = Quota.NONE;
  long[] consumed = new long[0];
  Sorter<Client> frameworks;
  final int[] skips = new int[SkipReason.values().length];
  int countedCycle = -1;
  final List<Client> members = new ArrayList<>();
  // Per stage of a cycle (stamped): whether the guarantees are met, and which minimum-allocatable
  // alternatives (bit i = alternative i) no longer fit in the role's room. Both are monotone
  // within a stage because allocations only add consumption and use up headroom.
  int metStamp = -1;
  int impossibleStamp = -1;
  int impossible;
  SkipReason impossibleReason;

  Role(String path, Role parent) {
    this.path = path;
    this.parent = parent;
  }

  long consumed(int index) {
    return index < consumed.length ? consumed[index] : 0;
  }

  void addConsumed(long[] delta, int sign) {
    if (consumed.length < delta.length) {
      consumed = Arrays.copyOf(consumed, delta.length);
    }
    for (int i = 0; i < delta.length; i++) {
      consumed[i] += sign * delta[i];
      assert consumed[i] >= 0 : "consumption of " + path + " went negative";
    }
  }

  boolean hasGuarantees() {
    return !quota.guarantees().isEmpty();
  }

  /** Whether consumption reaches every guarantee. */
  boolean guaranteesMet() {
    var g = quota.guarantees();
    for (int i = 0, n = ScalarNames.count(); i < n; i++) {
      if (consumed(i) < g.millis(i)) {
        return false;
      }
    }
    return true;
  }

  /** Guarantee not yet consumed for one resource, floored at zero. */
  long remainingGuarantee(int index) {
    return Math.max(0, quota.guarantees().millis(index) - consumed(index));
  }

  boolean isEmpty() {
    return children == 0
        && clients == 0
        && weight == 1.0
        && quota.isNone()
        && Arrays.stream(consumed).allMatch(c -> c == 0);
  }
}
