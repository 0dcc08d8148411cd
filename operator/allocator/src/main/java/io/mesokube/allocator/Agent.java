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
  long nonScalarStamp;
  final Map<Client, Resources> allocations = new HashMap<>();
  // Offer filters by client slot, allocated on the first filter: a dense pair of arrays costs 12
  // bytes per client and is read without hashing on the hot path.
  RefusedResources[] refused;
  long[] refusedUntil;
  RefusedResources lastRefused;

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
    if (!available.sameNonScalars(value)) {
      nonScalarStamp++;
    }
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

  /** The refused resources of the client's filter on this agent, or null. */
  RefusedResources filter(int slot) {
    return refused == null || slot >= refused.length ? null : refused[slot];
  }

  long filterExpiry(int slot) {
    return refusedUntil[slot];
  }

  /** Sets a filter, sharing the refused resources with the previous decline if they are equal. */
  void setFilter(int slot, Resources resources, long expiresAtMillis) {
    if (refused == null || slot >= refused.length) {
      int size = Math.max(8, slot * 2);
      refused = Arrays.copyOf(refused == null ? new RefusedResources[0] : refused, size);
      refusedUntil = Arrays.copyOf(refusedUntil == null ? new long[0] : refusedUntil, size);
    }
    if (lastRefused == null
        || lastRefused.nonScalarStamp != nonScalarStamp
        || !lastRefused.refused.equals(resources)) {
      lastRefused = new RefusedResources(resources, this);
    }
    refused[slot] = lastRefused;
    refusedUntil[slot] = expiresAtMillis;
  }

  void clearFilter(int slot) {
    if (refused != null && slot < refused.length) {
      refused[slot] = null;
    }
  }
}
