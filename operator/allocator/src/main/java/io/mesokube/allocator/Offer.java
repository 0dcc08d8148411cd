package io.mesokube.allocator;

import io.mesokube.allocator.resources.Resources;

/**
 * Resources of one agent offered to one framework for one of its roles; every resource carries the
 * role as its allocation role.
 */
public record Offer(String frameworkId, String role, String agentId, Resources resources) {}
