package io.mesokube.allocator.resources;

import io.mesokube.allocator.role.RoleName;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * An immutable bag of resources with Mesos' arithmetic: adding merges entries of the same kind,
 * subtracting refuses to go below zero.
 */
public final class Resources {
  /** No resources. */
  public static final Resources EMPTY = new Resources(new Resource[0]);

  // Invariant: no entry is empty and no two entries have the same key (Resource.sameKind).
  private final Resource[] entries;

  private Resources(Resource[] entries) {
    this.entries = entries;
  }

  /** Resources from individual entries; entries of the same kind are merged. */
  public static Resources of(Resource... resources) {
    Resources result = EMPTY;
    for (Resource r : resources) {
      result = result.plus(r);
    }
    return result;
  }

  /** Resources from a list of entries. */
  public static Resources of(List<Resource> resources) {
    return of(resources.toArray(Resource[]::new));
  }

  /**
   * Parses Mesos' text form, e.g. {@code cpus:2;mem:1024;ports:[31000-32000];zones:{a,b}}, all
   * unreserved.
   */
  public static Resources parse(String text) {
    return ResourcesParser.parse(text);
  }

  /** The entries, merged, in insertion order. */
  public List<Resource> asList() {
    return Collections.unmodifiableList(Arrays.asList(entries));
  }

  /** Whether there are no resources. */
  public boolean isEmpty() {
    return entries.length == 0;
  }

  /** Sum of this and one more resource. */
  public Resources plus(Resource resource) {
    if (resource.isEmpty()) {
      return this;
    }
    for (int i = 0; i < entries.length; i++) {
      if (entries[i].sameKind(resource)) {
        Resource[] copy = entries.clone();
        copy[i] = merge(entries[i], resource);
        return new Resources(copy);
      }
    }
    Resource[] copy = Arrays.copyOf(entries, entries.length + 1);
    copy[entries.length] = resource;
    return new Resources(copy);
  }

  /** Sum of this and other resources. */
  public Resources plus(Resources other) {
    Resources result = this;
    for (Resource r : other.entries) {
      result = result.plus(r);
    }
    return result;
  }

  /**
   * Difference.
   *
   * @throws IllegalArgumentException if {@code other} is not contained: resources never go negative
   */
  public Resources minus(Resources other) {
    Resource[] copy = entries.clone();
    int length = copy.length;
    for (Resource r : other.entries) {
      int i = indexOf(copy, length, r);
      if (i < 0 || !covers(copy[i], r)) {
        throw new IllegalArgumentException("Cannot subtract " + other + " from " + this);
      }
      Resource rest = difference(copy[i], r);
      if (rest.isEmpty()) {
        copy[i] = copy[--length];
      } else {
        copy[i] = rest;
      }
    }
    return new Resources(Arrays.copyOf(copy, length));
  }

  /** Whether every entry of {@code other} fits in an entry of the same kind here. */
  public boolean contains(Resources other) {
    for (Resource r : other.entries) {
      int i = indexOf(entries, entries.length, r);
      if (i < 0 || !covers(entries[i], r)) {
        return false;
      }
    }
    return true;
  }

  /** The entries that satisfy a predicate. */
  public Resources filter(Predicate<Resource> predicate) {
    Resource[] out = new Resource[entries.length];
    int n = 0;
    for (Resource r : entries) {
      if (predicate.test(r)) {
        out[n++] = r;
      }
    }
    return n == entries.length ? this : new Resources(Arrays.copyOf(out, n));
  }

  /** Unreserved entries. */
  public Resources unreserved() {
    return filter(Resource::isUnreserved);
  }

  /** Reserved entries, for any role. */
  public Resources reserved() {
    return filter(r -> !r.isUnreserved());
  }

  /** Entries reserved for exactly this role. */
  public Resources reservedFor(String role) {
    return filter(r -> r.reservation() != null && r.reservation().role().equals(role));
  }

  /**
   * Entries a framework in {@code role} may be offered: unreserved ones and those reserved for the
   * role or one of its ancestors (Mesos' hierarchical reservations).
   */
  public Resources allocatableTo(String role) {
    return filter(r -> r.isUnreserved() || RoleName.isSelfOrAncestor(r.reservation().role(), role));
  }

  /** The same resources marked as allocated to {@code role}. */
  public Resources allocatedTo(String role) {
    Resource[] out = new Resource[entries.length];
    for (int i = 0; i < entries.length; i++) {
      out[i] = entries[i].allocatedTo(role);
    }
    return new Resources(out);
  }

  /** The same resources with allocation roles removed, merged again. */
  public Resources unallocated() {
    Resources result = EMPTY;
    for (Resource r : entries) {
      result = result.plus(r.unallocated());
    }
    return result;
  }

  /** Whether both hold the same ranges and set entries, whatever their scalars. */
  public boolean sameNonScalars(Resources other) {
    int mine = 0;
    for (Resource r : entries) {
      if (r.kind() != Resource.Kind.SCALAR) {
        mine++;
        int i = indexOf(other.entries, other.entries.length, r);
        if (i < 0 || !other.entries[i].equals(r)) {
          return false;
        }
      }
    }
    int theirs = 0;
    for (Resource r : other.entries) {
      if (r.kind() != Resource.Kind.SCALAR) {
        theirs++;
      }
    }
    return mine == theirs;
  }

  /** Sum of all scalar entries with this name, in thousandths. */
  public long scalarMillis(String name) {
    long sum = 0;
    for (Resource r : entries) {
      if (r.kind() == Resource.Kind.SCALAR && r.name().equals(name)) {
        sum += r.millis();
      }
    }
    return sum;
  }

  /** Sum of all scalar entries with this name. */
  public double scalar(String name) {
    return Scalars.toDouble(scalarMillis(name));
  }

  /** Scalar totals by name, ignoring reservations and allocation roles. */
  public ResourceQuantities quantities() {
    long[] millis = new long[ScalarNames.count()];
    addQuantitiesTo(millis);
    return ResourceQuantities.ofMillis(millis);
  }

  /** Adds every scalar entry into a vector indexed by {@link ScalarNames}. */
  public void addQuantitiesTo(long[] millis) {
    for (Resource r : entries) {
      if (r.kind() == Resource.Kind.SCALAR) {
        millis[ScalarNames.indexOf(r.name())] += r.millis();
      }
    }
  }

  /**
   * The same resources with each unreserved scalar cut down to {@code caps[index]} thousandths
   * (Mesos' quota "chopping"); reserved and non-scalar entries are kept whole.
   */
  public Resources shrinkUnreservedScalars(long[] caps) {
    Resource[] out = new Resource[entries.length];
    int n = 0;
    boolean changed = false;
    for (Resource r : entries) {
      if (r.kind() == Resource.Kind.SCALAR && r.isUnreserved()) {
        int index = ScalarNames.indexOf(r.name());
        long cap = index < caps.length ? caps[index] : Long.MAX_VALUE;
        if (r.millis() > cap) {
          changed = true;
          if (cap > 0) {
            out[n++] = r.withMillis(cap);
          }
          continue;
        }
      }
      out[n++] = r;
    }
    return changed ? new Resources(Arrays.copyOf(out, n)) : this;
  }

  private static int indexOf(Resource[] array, int length, Resource key) {
    for (int i = 0; i < length; i++) {
      if (array[i].sameKind(key)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean covers(Resource whole, Resource part) {
    return switch (whole.kind()) {
      case SCALAR -> whole.millis() >= part.millis();
      case RANGES -> whole.ranges().contains(part.ranges());
      case SET -> whole.items().containsAll(part.items());
    };
  }

  private static Resource merge(Resource a, Resource b) {
    return switch (a.kind()) {
      case SCALAR -> a.withMillis(Math.addExact(a.millis(), b.millis()));
      case RANGES -> a.withRanges(a.ranges().add(b.ranges()));
      case SET -> {
        TreeSet<String> union = new TreeSet<>(a.items());
        union.addAll(b.items());
        yield a.withItems(union);
      }
    };
  }

  private static Resource difference(Resource a, Resource b) {
    return switch (a.kind()) {
      case SCALAR -> a.withMillis(a.millis() - b.millis());
      case RANGES -> a.withRanges(a.ranges().subtract(b.ranges()));
      case SET -> {
        TreeSet<String> rest = new TreeSet<>(a.items());
        rest.removeAll(b.items());
        yield a.withItems(rest);
      }
    };
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Resources other) || other.entries.length != entries.length) {
      return false;
    }
    return contains(other) && other.contains(this);
  }

  @Override
  public int hashCode() {
    int hash = 0;
    for (Resource r : entries) {
      hash += r.hashCode();
    }
    return hash;
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>(entries.length);
    for (Resource r : entries) {
      parts.add(r.toString());
    }
    return String.join("; ", parts);
  }
}
