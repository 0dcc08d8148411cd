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
 * ancestors included. {@code unheld[k]} is the cap the role would have if no headroom were held
 * back, so that a refusal can say whether the headroom or the agent was short.
 */
final class Candidate {
  final long[] cap;
  final long[] amounts;
  private final long[] unheld;
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
    this.unheld = new long[kinds];
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
      long limit = roles.limitHeadroom(role, k);
      long room;
      boolean guaranteedKind = guaranteed != null && guaranteed.quota.guarantees().millis(k) > 0;
      if (guaranteedKind) {
        room = guaranteed.remainingGuarantee(k);
        unheld[k] = Math.min(room, limit);
      } else {
        room = headroom.surplus(k);
        if (root != null) {
          // A role under a quota may use its own unmet guarantee besides the common surplus.
          room = Math.addExact(room, root.remainingGuarantee(k));
        }
        unheld[k] = limit;
      }
      uncapped[k] = Math.min(available, room) + reserved[k];
      room = Math.min(room, limit);
      cap[k] = room;
      amounts[k] = Math.min(available, room) + reserved[k];
      hasGuaranteedKind |= guaranteedKind && amounts[k] > 0;
    }
    if (minAllocatable.allows(amounts) && (guaranteed == null || hasGuaranteedKind)) {
      return true;
    }
    reason = refusal(agent);
    return false;
  }

  /**
   * Why the role gets nothing here: its limit when the agent has enough within the headroom, the
   * headroom when the agent would have enough within the limit if nothing were held back, and
   * otherwise the agent itself. Only runs on a refusal, and reuses {@code uncapped} as scratch.
   */
  private SkipReason refusal(Agent agent) {
    if (minAllocatable.allows(uncapped)) {
      return SkipReason.QUOTA_LIMIT;
    }
    if (!headroom.active()) {
      return SkipReason.INSUFFICIENT_RESOURCES;
    }
    for (int k = 0; k < kinds; k++) {
      long available = k < agent.unreserved.length ? agent.unreserved[k] : 0;
      uncapped[k] = Math.min(available, unheld[k]) + reserved[k];
    }
    return minAllocatable.allows(uncapped)
        ? SkipReason.QUOTA_HEADROOM
        : SkipReason.INSUFFICIENT_RESOURCES;
  }

  /**
   * Why the role's room, whatever the agent, rules out the alternatives outside {@code fits} (the
   * mask of {@link #cap}): the headroom if one of them would fit without it, else the reason of the
   * last refusal.
   */
  SkipReason roomReason(int fits) {
    if (headroom.active() && (minAllocatable.mask(unheld) & ~fits) != 0) {
      return SkipReason.QUOTA_HEADROOM;
    }
    return reason;
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
