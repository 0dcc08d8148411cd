package io.mesokube.allocator;

import io.mesokube.allocator.resources.Resources;

/**
 * A decline with {@code refuseSeconds}: until {@code expiresAtMillis}, the client is not offered
 * these resources, or a subset of them, on this agent again (Mesos' {@code RefusedOfferFilter}).
 *
 * @param agentVersion the agent's version when the filter was set, if at that moment the refused
 *     resources covered everything the client could be offered there; otherwise -1. While the agent
 *     keeps that version the filter applies without comparing resources.
 */
record OfferFilter(Resources refused, long expiresAtMillis, long agentVersion) {}
