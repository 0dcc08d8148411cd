package io.mesokube.allocator;

import io.mesokube.allocator.resources.Resource;
import io.mesokube.allocator.resources.Resources;
import io.mesokube.allocator.resources.ScalarNames;

/**
 * What a decline with {@code refuseSeconds} refused on one agent (Mesos' {@code
 * RefusedOfferFilter}): until the filter expires the client is not offered these resources, or a
 * subset of them, there again.
 *
 * <p>Immutable and shared by every client that declined the same resources on the same agent, so
 * that a thousand frameworks declining one agent cost one object, not a thousand. To check a filter
 * without walking resources it keeps the refused unreserved scalars as a vector and the agent's
 * non-scalar stamp at the time of the decline if the refused resources covered every non-scalar the
 * agent then had available (otherwise -1).
 */
final class RefusedResources {
  final Resources refused;
  final long[] unreservedScalars;
  final long nonScalarStamp;

  RefusedResources(Resources refused, Agent agent) {
    this.refused = refused;
    this.unreservedScalars = new long[ScalarNames.count()];
    refused.unreserved().addQuantitiesTo(unreservedScalars);
    boolean coversNonScalars =
        refused.contains(agent.available.filter(r -> r.kind() != Resource.Kind.SCALAR));
    this.nonScalarStamp = coversNonScalars ? agent.nonScalarStamp : -1;
  }

  /**
   * Whether the filter covers what an agent without available reservations would offer now: {@code
   * unreserved} holds the (capped) unreserved scalars of that offer.
   */
  boolean coversUnreserved(Agent agent, long[] unreserved) {
    if (nonScalarStamp != agent.nonScalarStamp) {
      return false;
    }
    for (int k = 0; k < unreserved.length; k++) {
      if (unreserved[k] > (k < unreservedScalars.length ? unreservedScalars[k] : 0)) {
        return false;
      }
    }
    return true;
  }
}
