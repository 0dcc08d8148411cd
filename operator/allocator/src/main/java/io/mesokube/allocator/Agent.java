package io.mesokube.allocator;

import io.mesokube.allocator.resources.Resource;
import io.mesokube.allocator.resources.Resources;
import io.mesokube.allocator.resources.ScalarNames;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The allocator's view of one agent.
 *
 * <p>Invariants: {@code available + allocated(unallocated) == total}; {@code version} changes
 * whenever {@code available} does; {@code unreserved} caches the unreserved scalars of {@code
 * available} so the allocation loop reads a {@code long[]} instead of walking resources.
 */
final class Agent {
  final String id;
  int index;
  AgentInfo info;
  Resources available = Resources.EMPTY;
  long[] unreserved = new long[ScalarNames.count()];
  long[] reservedAvailable = new long[ScalarNames.count()];
  boolean hasReservedAvailable;
  boolean hasGpus;
  boolean inMaintenance;
  boolean unreachable;
  long version;
  final Map<Client, Resources> allocations = new HashMap<>();
  OfferFilter[] filters;
  int filterCount;

  Agent(AgentInfo info) {
    this.id = info.id();
    this.info = info;
  }

  Resources total() {
    return info.total();
  }

  boolean offerable() {
    return !inMaintenance && !unreachable;
  }

  void setAvailable(Resources value) {
    available = value;
    version++;
    int kinds = ScalarNames.count();
    if (unreserved.length < kinds) {
      unreserved = new long[kinds];
      reservedAvailable = new long[kinds];
    } else {
      Arrays.fill(unreserved, 0);
      Arrays.fill(reservedAvailable, 0);
    }
    hasReservedAvailable = false;
    for (Resource r : value.asList()) {
      if (r.kind() != Resource.Kind.SCALAR) {
        continue;
      }
      int k = ScalarNames.indexOf(r.name());
      if (r.isUnreserved()) {
        unreserved[k] += r.millis();
      } else {
        reservedAvailable[k] += r.millis();
        hasReservedAvailable = true;
      }
    }
    hasGpus = info.total().scalarMillis("gpus") > 0;
  }

  OfferFilter filter(int slot) {
    return filters == null || slot >= filters.length ? null : filters[slot];
  }

  void setFilter(int slot, OfferFilter filter) {
    if (filters == null || slot >= filters.length) {
      filters =
          Arrays.copyOf(filters == null ? new OfferFilter[0] : filters, Math.max(8, slot * 2));
    }
    if (filters[slot] == null && filter != null) {
      filterCount++;
    } else if (filters[slot] != null && filter == null) {
      filterCount--;
    }
    filters[slot] = filter;
  }
}
