package io.mesokube.allocator;

import io.mesokube.allocator.resources.ResourceLimits;
import io.mesokube.allocator.role.RoleName;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The hierarchy of roles in use, as Mesos' {@code RoleTree}: weights, quotas and quota consumption,
 * with a role kept only while something refers to it.
 */
final class RoleTree {
  private final Map<String, Role> roles = new HashMap<>();
  private final List<Role> quotaRoots = new ArrayList<>();
  private boolean anyLimits;

  Role get(String path) {
    return roles.get(path);
  }

  Collection<Role> all() {
    return roles.values();
  }

  /** The role at a path, created with its ancestors if missing. */
  Role getOrCreate(String path) {
    Role role = roles.get(path);
    if (role == null) {
      String parentPath = RoleName.parent(path);
      Role parent = parentPath == null ? null : getOrCreate(parentPath);
      role = new Role(path, parent);
      if (parent != null) {
        parent.children++;
      }
      roles.put(path, role);
    }
    return role;
  }

  /** Drops a role, and then its ancestors, while nothing refers to them. */
  void tryRemove(Role role) {
    while (role != null && role.isEmpty() && roles.get(role.path) == role) {
      roles.remove(role.path);
      if (role.parent != null) {
        role.parent.children--;
      }
      role = role.parent;
    }
  }

  /** Adds (sign 1) or removes (sign -1) consumption on a role and all its ancestors. */
  void consume(Role role, long[] quantities, int sign) {
    for (Role r = role; r != null; r = r.parent) {
      r.addConsumed(quantities, sign);
    }
  }

  /** Recomputes the derived quota indexes after a quota change. */
  void quotaChanged() {
    quotaRoots.clear();
    anyLimits = false;
    for (Role role : roles.values()) {
      anyLimits |= !role.quota.limits().isUnlimited();
      if (role.hasGuarantees() && nearestGuaranteed(role.parent) == null) {
        quotaRoots.add(role);
      }
    }
  }

  /** Roles with guarantees and no ancestor with guarantees; their sum is the required headroom. */
  List<Role> quotaRoots() {
    return quotaRoots;
  }

  boolean anyLimits() {
    return anyLimits;
  }

  /** The role itself or its nearest ancestor that has guarantees, or null. */
  static Role nearestGuaranteed(Role role) {
    for (Role r = role; r != null; r = r.parent) {
      if (r.hasGuarantees()) {
        return r;
      }
    }
    return null;
  }

  /** The quota root above (or at) a role, or null. */
  static Role quotaRoot(Role role) {
    Role root = null;
    for (Role r = role; r != null; r = r.parent) {
      if (r.hasGuarantees()) {
        root = r;
      }
    }
    return root;
  }

  /**
   * Room left under the limits of the role and all its ancestors for one resource, in thousandths,
   * or {@link ResourceLimits#UNLIMITED}.
   */
  long limitHeadroom(Role role, int index) {
    long room = ResourceLimits.UNLIMITED;
    if (!anyLimits) {
      return room;
    }
    for (Role r = role; r != null; r = r.parent) {
      long limit = r.quota.limits().millis(index);
      if (limit != ResourceLimits.UNLIMITED) {
        room = Math.min(room, Math.max(0, limit - r.consumed(index)));
      }
    }
    return room;
  }
}
