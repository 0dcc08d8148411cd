package io.mesokube.allocator.resources;

import io.mesokube.allocator.role.RoleName;
import java.util.Objects;

/**
 * A reservation of a resource for one role: static (set on the agent) or dynamic (made by an
 * operator or framework at run time).
 */
public record Reservation(String role, Type type) {
  /** How the reservation was made. */
  public enum Type {
    /** Configured on the agent at start. */
    STATIC,
    /** Made later through a RESERVE operation. */
    DYNAMIC
  }

  /** Validates the role name; the default role {@code *} cannot hold reservations. */
  public Reservation {
    Objects.requireNonNull(type, "reservation type");
    RoleName.validate(role);
    if (RoleName.DEFAULT.equals(role)) {
      throw new IllegalArgumentException("Resources cannot be reserved for the default role '*'");
    }
  }

  /** A static reservation for a role. */
  public static Reservation ofStatic(String role) {
    return new Reservation(role, Type.STATIC);
  }

  /** A dynamic reservation for a role. */
  public static Reservation ofDynamic(String role) {
    return new Reservation(role, Type.DYNAMIC);
  }

  @Override
  public String toString() {
    return role + (type == Type.DYNAMIC ? ",dynamic" : "");
  }
}
