package io.mesokube.allocator;

import io.mesokube.allocator.resources.Resources;
import java.util.Map;
import java.util.Objects;

/** An agent's id, total resources (with reservations) and attributes. */
public record AgentInfo(String id, Resources total, Map<String, String> attributes) {
  /** Validates the id; copies the attributes. */
  public AgentInfo {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("Agent id must not be blank");
    }
    Objects.requireNonNull(total, "total");
    attributes = Map.copyOf(Objects.requireNonNull(attributes, "attributes"));
    for (var r : total.asList()) {
      if (r.allocationRole() != null) {
        throw new IllegalArgumentException(
            "Agent '" + id + "' total must not carry allocation roles: " + r);
      }
    }
  }

  /** An agent without attributes. */
  public static AgentInfo of(String id, Resources total) {
    return new AgentInfo(id, total, Map.of());
  }
}
