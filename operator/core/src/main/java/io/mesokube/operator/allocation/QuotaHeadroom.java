package io.mesokube.operator.allocation;

import io.mesokube.allocator.resources.Resources;
import io.mesokube.allocator.role.RoleName;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a role's quota limit, or one of its ancestors', leaves room for more: what tasks hold and
 * offers hold count against the role and every ancestor (Mesos' hierarchical quota).
 */
final class QuotaHeadroom {

  private final Map<String, io.mesokube.api.v1alpha1.common.Resources> limits;
  private final Map<String, Resources> consumed;

  /**
   * @param limits quota limits by role
   * @param consumed what each role holds itself (not counting its children)
   */
  QuotaHeadroom(
      Map<String, io.mesokube.api.v1alpha1.common.Resources> limits,
      Map<String, Resources> consumed) {
    this.limits = limits;
    this.consumed = consumed;
  }

  /** Why {@code want} more for {@code role} would cross a limit; empty if it would not. */
  Optional<String> exceeded(String role, Resources want) {
    for (String limited : limits.keySet()) {
      if (!RoleName.isSelfOrAncestor(limited, role)) {
        continue;
      }
      Resources used = Resources.EMPTY;
      for (Map.Entry<String, Resources> e : consumed.entrySet()) {
        if (RoleName.isSelfOrAncestor(limited, e.getKey())) {
          used = used.plus(e.getValue());
        }
      }
      Resources limit = ResourceMapping.toAllocator(limits.get(limited));
      for (String name : ResourceMapping.SCALARS) {
        boolean capped = limit.scalarMillis(name) > 0 || hasLimit(limits.get(limited), name);
        if (capped
            && used.scalarMillis(name) + want.scalarMillis(name) > limit.scalarMillis(name)) {
          return Optional.of(
              "the quota limit of role "
                  + limited
                  + " ("
                  + name
                  + " "
                  + limit.scalar(name)
                  + ") leaves "
                  + Math.max(0, limit.scalar(name) - used.scalar(name))
                  + " "
                  + name
                  + " for it");
        }
      }
    }
    return Optional.empty();
  }

  private static boolean hasLimit(io.mesokube.api.v1alpha1.common.Resources limit, String name) {
    return switch (name) {
      case ResourceMapping.CPUS -> limit.cpus() != null;
      case ResourceMapping.MEM -> limit.mem() != null;
      case ResourceMapping.DISK -> limit.disk() != null;
      default -> limit.gpus() != null;
    };
  }
}
