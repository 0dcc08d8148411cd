package io.mesokube.allocator.resources;

import io.mesokube.allocator.role.RoleName;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One named resource with its value (scalar, ranges or set), its optional reservation and its
 * optional allocation role, as a Mesos {@code Resource} message carries them.
 *
 * <p>Immutable. Two resources with the same {@link #sameKind key} (name, kind, reservation,
 * allocation role) merge when added.
 */
public final class Resource {
  /** The three value types Mesos knows. */
  public enum Kind {
    /** A fixed-point quantity such as {@code cpus}. */
    SCALAR,
    /** Integer intervals such as {@code ports}. */
    RANGES,
    /** Named items such as device ids. */
    SET
  }

  private final String name;
  private final Kind kind;
  private final long millis;
  private final Ranges ranges;
  private final SortedSet<String> items;
  private final Reservation reservation;
  private final String allocationRole;

  private Resource(
      String name,
      Kind kind,
      long millis,
      Ranges ranges,
      SortedSet<String> items,
      Reservation reservation,
      String allocationRole) {
    this.name = name;
    this.kind = kind;
    this.millis = millis;
    this.ranges = ranges;
    this.items = items;
    this.reservation = reservation;
    this.allocationRole = allocationRole;
  }

  /** An unreserved scalar; rejects NaN, infinite and negative values. */
  public static Resource scalar(String name, double value) {
    validateName(name);
    return new Resource(name, Kind.SCALAR, Scalars.toMillis(name, value), null, null, null, null);
  }

  /** An unreserved ranges resource such as {@code ports}. */
  public static Resource ranges(String name, Ranges ranges) {
    validateName(name);
    return new Resource(name, Kind.RANGES, 0, Objects.requireNonNull(ranges), null, null, null);
  }

  /** An unreserved set resource. */
  public static Resource set(String name, Set<String> items) {
    validateName(name);
    for (String item : items) {
      if (item == null || item.isBlank()) {
        throw new IllegalArgumentException("Set resource '" + name + "' has a blank item");
      }
    }
    return new Resource(
        name,
        Kind.SET,
        0,
        null,
        Collections.unmodifiableSortedSet(new TreeSet<>(items)),
        null,
        null);
  }

  private static void validateName(String name) {
    if (name == null || name.isBlank() || name.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("Invalid resource name '" + name + "'");
    }
  }

  /** The same resource reserved for a role. */
  public Resource reserved(Reservation reservation) {
    return new Resource(name, kind, millis, ranges, items, reservation, allocationRole);
  }

  /** The same resource with its allocation role set, as the allocator hands it out. */
  public Resource allocatedTo(String role) {
    RoleName.validate(role);
    return new Resource(name, kind, millis, ranges, items, reservation, role);
  }

  /** The same resource without an allocation role. */
  public Resource unallocated() {
    return allocationRole == null
        ? this
        : new Resource(name, kind, millis, ranges, items, reservation, null);
  }

  Resource withMillis(long value) {
    return new Resource(name, kind, value, null, null, reservation, allocationRole);
  }

  Resource withRanges(Ranges value) {
    return new Resource(name, kind, 0, value, null, reservation, allocationRole);
  }

  Resource withItems(SortedSet<String> value) {
    return new Resource(
        name, kind, 0, null, Collections.unmodifiableSortedSet(value), reservation, allocationRole);
  }

  /** Resource name, e.g. {@code cpus}. */
  public String name() {
    return name;
  }

  /** Value type. */
  public Kind kind() {
    return kind;
  }

  /** Scalar value in thousandths; 0 for non-scalars. */
  public long millis() {
    return millis;
  }

  /** Scalar value as a double; 0 for non-scalars. */
  public double scalar() {
    return Scalars.toDouble(millis);
  }

  /** Ranges value, or empty for other kinds. */
  public Ranges ranges() {
    return ranges == null ? Ranges.EMPTY : ranges;
  }

  /** Set value, or empty for other kinds. */
  public SortedSet<String> items() {
    return items == null ? Collections.emptySortedSet() : items;
  }

  /** The reservation, or null when unreserved. */
  public Reservation reservation() {
    return reservation;
  }

  /** Role this resource is allocated to, or null when unallocated. */
  public String allocationRole() {
    return allocationRole;
  }

  /** Whether the resource is not reserved. */
  public boolean isUnreserved() {
    return reservation == null;
  }

  /** Whether the value is zero or empty. */
  public boolean isEmpty() {
    return switch (kind) {
      case SCALAR -> millis == 0;
      case RANGES -> ranges.isEmpty();
      case SET -> items.isEmpty();
    };
  }

  /** Whether two resources have the same name, kind, reservation and allocation role. */
  public boolean sameKind(Resource other) {
    return name.equals(other.name)
        && kind == other.kind
        && Objects.equals(reservation, other.reservation)
        && Objects.equals(allocationRole, other.allocationRole);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Resource r
        && sameKind(r)
        && millis == r.millis
        && Objects.equals(ranges, r.ranges)
        && Objects.equals(items, r.items);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, kind, millis, ranges, items, reservation, allocationRole);
  }

  @Override
  public String toString() {
    String value =
        switch (kind) {
          case SCALAR -> Scalars.format(millis);
          case RANGES -> ranges.toString();
          case SET -> "{" + String.join(",", items) + "}";
        };
    String role = reservation == null ? "*" : reservation.toString();
    String allocated = allocationRole == null ? "" : "[" + allocationRole + "]";
    return name + "(" + role + ")" + allocated + ":" + value;
  }
}
