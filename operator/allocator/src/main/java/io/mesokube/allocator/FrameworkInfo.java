package io.mesokube.allocator;

import io.mesokube.allocator.role.RoleName;
import java.util.Objects;
import java.util.Set;

/**
 * What the allocator needs to know about a framework: its id, the roles it subscribes to and its
 * capabilities.
 */
public record FrameworkInfo(String id, Set<String> roles, Set<Capability> capabilities) {
  /** Framework capabilities that change what the allocator offers. */
  public enum Capability {
    /** The framework can use GPUs; without it, agents with GPUs are not offered to it. */
    GPU_RESOURCES,
    /** The framework subscribes to several roles (Mesos' MULTI_ROLE). */
    MULTI_ROLE
  }

  /** Validates the id and every role. */
  public FrameworkInfo {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("Framework id must not be blank");
    }
    roles = Set.copyOf(Objects.requireNonNull(roles, "roles"));
    capabilities = Set.copyOf(Objects.requireNonNull(capabilities, "capabilities"));
    if (roles.isEmpty()) {
      throw new IllegalArgumentException("Framework '" + id + "' must subscribe to a role");
    }
    if (roles.size() > 1 && !capabilities.contains(Capability.MULTI_ROLE)) {
      throw new IllegalArgumentException(
          "Framework '" + id + "' subscribes to several roles without MULTI_ROLE");
    }
    for (String role : roles) {
      RoleName.validate(role);
    }
  }

  /** A framework in one role with no capabilities. */
  public static FrameworkInfo of(String id, String role) {
    return new FrameworkInfo(id, Set.of(role), Set.of());
  }
}
