package io.mesokube.operator.allocation;

import io.mesokube.allocator.resources.Ranges;
import io.mesokube.allocator.resources.Resource;
import io.mesokube.allocator.resources.Resources;
import io.mesokube.allocator.role.RoleName;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Picks the exact resources a task takes from a pool (an offer, or an agent's total when the ledger
 * is rebuilt): resources reserved for the task's role first, then unreserved ones, as Mesos'
 * resource matching prefers reservations.
 */
final class Claims {
  private Claims() {}

  /**
   * The resources of {@code pool} that satisfy {@code want} for {@code role}, marked as allocated
   * to {@code role}; empty if the pool cannot satisfy it.
   */
  static Optional<Resources> claim(Resources pool, String role, Resources want) {
    Resources remaining = pool;
    List<Resource> taken = new ArrayList<>();
    for (Resource wanted : want.asList()) {
      List<Resource> candidates = candidates(remaining, role, wanted);
      List<Resource> pieces =
          switch (wanted.kind()) {
            case SCALAR -> takeScalar(candidates, wanted.millis());
            case RANGES -> takeRanges(candidates, wanted.ranges());
            case SET -> List.of();
          };
      if (pieces == null || (pieces.isEmpty() && !wanted.isEmpty())) {
        return Optional.empty();
      }
      Resources got = Resources.of(pieces);
      remaining = remaining.minus(got);
      taken.addAll(pieces);
    }
    return Optional.of(Resources.of(taken).unallocated().allocatedTo(role));
  }

  private static List<Resource> candidates(Resources pool, String role, Resource wanted) {
    List<Resource> out = new ArrayList<>();
    for (Resource r : pool.asList()) {
      boolean usable = r.isUnreserved() || RoleName.isSelfOrAncestor(r.reservation().role(), role);
      if (usable && r.name().equals(wanted.name()) && r.kind() == wanted.kind()) {
        out.add(r);
      }
    }
    out.sort(Comparator.comparing(Resource::isUnreserved));
    return out;
  }

  private static List<Resource> takeScalar(List<Resource> candidates, long millis) {
    List<Resource> pieces = new ArrayList<>();
    long need = millis;
    for (Resource c : candidates) {
      if (need == 0) {
        break;
      }
      long take = Math.min(need, c.millis());
      if (take > 0) {
        pieces.add(withReservation(Resource.scalar(c.name(), take / 1000.0), c));
        need -= take;
      }
    }
    return need == 0 ? pieces : null;
  }

  private static List<Resource> takeRanges(List<Resource> candidates, Ranges want) {
    List<Resource> pieces = new ArrayList<>();
    Ranges missing = want;
    for (Resource c : candidates) {
      Ranges part = missing.intersect(c.ranges());
      if (!part.isEmpty()) {
        pieces.add(withReservation(Resource.ranges(c.name(), part), c));
        missing = missing.subtract(part);
      }
    }
    return missing.isEmpty() ? pieces : null;
  }

  private static Resource withReservation(Resource piece, Resource from) {
    Resource out = from.reservation() == null ? piece : piece.reserved(from.reservation());
    return from.allocationRole() == null ? out : out.allocatedTo(from.allocationRole());
  }
}
