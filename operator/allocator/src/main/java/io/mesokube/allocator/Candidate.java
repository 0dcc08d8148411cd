package io.mesokube.allocator;

import io.mesokube.allocator.resources.Resource;
import io.mesokube.allocator.resources.Resources;
import io.mesokube.allocator.resources.ScalarNames;
import io.mesokube.allocator.role.RoleName;
import java.util.Arrays;

/**
 * What one role could be offered on one agent right now, worked out on {@code long[]} vectors so
 * that the allocation loop can reject a role without building resources.
 *
 * <p>After {@link #compute}: {@code cap[k]} is how much unreserved resource {@code k} the role may
 * still take (its quota limits, the headroom that unmet guarantees need, and in stage 1 its own
 * unmet guarantee), and {@code amounts[k]} what it would get here, reservations for the role or its
 * ancestors included.
 */
final class Candidate {
  final long[] cap;
  final long[] amounts;
  private final long[] uncapped;
  private final long[] reserved;
  private final int kinds;
  private final MinAllocatable minAllocatable;
  private final RoleTree roles;
  private final QuotaHeadroom headroom;
  private SkipReason reason;

  Candidate(int kinds, MinAllocatable minAllocatable, RoleTree roles, QuotaHeadroom headroom) {
    this.kinds = kinds;
    this.minAllocatable = minAllocatable;
    this.roles = roles;
    this.headroom = headroom;
    this.cap = new long[kinds];
    this.amounts = new long[kinds];
    this.uncapped = new long[kinds];
    this.reserved = new long[kinds];
  }

  /**
   * Computes the candidate for a role on an agent; {@code guaranteed} is the role's unmet quota in
   * stage 1 and null in stage 2. Returns whether the candidate is worth an offer.
   */
  boolean compute(Agent agent, Role role, Role guaranteed) {
    reservedFor(agent, role);
    Role root = headroom.active() && guaranteed == null ? RoleTree.quotaRoot(role) : null;
    boolean hasGuaranteedKind = false;
    for (int k = 0; k < kinds; k++) {
      long available = k < agent.unreserved.length ? agent.unreserved[k] : 0;
      long room;
      boolean guaranteedKind = guaranteed != null && guaranteed.quota.guarantees().millis(k) > 0;
      if (guaranteedKind) {
        room = guaranteed.remainingGuarantee(k);
      } else {
        room = headroom.surplus(k);
        if (root != null) {
          // A role under a quota may use its own unmet guarantee besides the common surplus.
          room = Math.addExact(room, root.remainingGuarantee(k));
        }
      }
      uncapped[k] = Math.min(available, room) + reserved[k];
      room = Math.min(room, roles.limitHeadroom(role, k));
      cap[k] = room;
      amounts[k] = Math.min(available, room) + reserved[k];
      hasGuaranteedKind |= guaranteedKind && amounts[k] > 0;
    }
    if (minAllocatable.allows(amounts) && (guaranteed == null || hasGuaranteedKind)) {
      return true;
    }
    reason =
        minAllocatable.allows(uncapped)
            ? SkipReason.QUOTA_LIMIT
            : SkipReason.INSUFFICIENT_RESOURCES;
    return false;
  }

  /** Why the last {@link #compute} returned false. */
  SkipReason reason() {
    return reason;
  }

  /** Whether the cap leaves room for any resource the role is guaranteed. */
  boolean anyGuaranteedRoom(Role guaranteed) {
    for (int k = 0; k < kinds; k++) {
      if (guaranteed.quota.guarantees().millis(k) > 0 && cap[k] > 0) {
        return true;
      }
    }
    return false;
  }

  /** The resources of the candidate, without allocation role. */
  Resources resources(Agent agent, Role role) {
    Resources base =
        agent.hasReservedAvailable ? agent.available.allocatableTo(role.path) : agent.available;
    return base.shrinkUnreservedScalars(cap);
  }

  private void reservedFor(Agent agent, Role role) {
    Arrays.fill(reserved, 0);
    if (!agent.hasReservedAvailable) {
      return;
    }
    for (Resource r : agent.available.asList()) {
      if (r.kind() == Resource.Kind.SCALAR
          && !r.isUnreserved()
          && RoleName.isSelfOrAncestor(r.reservation().role(), role.path)) {
        reserved[ScalarNames.indexOf(r.name())] += r.millis();
      }
    }
  }
}
