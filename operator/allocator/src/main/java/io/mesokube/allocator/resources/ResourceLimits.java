package io.mesokube.allocator.resources;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Upper bounds on scalar amounts by name, as Mesos' quota limits: a name without a limit is
 * unlimited, and a limit of zero forbids the resource.
 */
public final class ResourceLimits {
  /** Marker for "no limit" in the vector. */
  public static final long UNLIMITED = Long.MAX_VALUE;

  /** No limits at all. */
  public static final ResourceLimits NONE = new ResourceLimits(new long[0]);

  // Invariant: elements are >= 0 or UNLIMITED; missing trailing elements are UNLIMITED.
  private final long[] millis;

  private ResourceLimits(long[] millis) {
    this.millis = millis;
  }

  /** Limits from a name-to-amount map; rejects NaN, infinite and negative amounts. */
  public static ResourceLimits of(Map<String, Double> amounts) {
    long[] out = new long[0];
    for (Map.Entry<String, Double> e : amounts.entrySet()) {
      if (e.getValue() == null) {
        throw new IllegalArgumentException("Limit for '" + e.getKey() + "' is null");
      }
      int index = ScalarNames.indexOf(e.getKey());
      if (index >= out.length) {
        int old = out.length;
        out = Arrays.copyOf(out, index + 1);
        Arrays.fill(out, old, out.length, UNLIMITED);
      }
      out[index] = Scalars.toMillis(e.getKey(), e.getValue());
    }
    return new ResourceLimits(out);
  }

  /** Limits from a vector indexed by {@link ScalarNames}, {@link #UNLIMITED} for none. */
  public static ResourceLimits ofMillis(long[] millis) {
    for (int i = 0; i < millis.length; i++) {
      if (millis[i] < 0) {
        throw new IllegalArgumentException(
            "Limit of " + ScalarNames.nameOf(i) + " must not be negative");
      }
    }
    return new ResourceLimits(millis.clone());
  }

  /** Parses {@code cpus:10;mem:4096}. */
  public static ResourceLimits parse(String text) {
    ResourceQuantities q = ResourceQuantities.parse(text);
    long[] out = new long[ScalarNames.count()];
    Arrays.fill(out, UNLIMITED);
    for (String part : text.split(";")) {
      if (!part.isBlank()) {
        int index = ScalarNames.indexOf(part.substring(0, part.indexOf(':')).trim());
        out[index] = q.millis(index);
      }
    }
    return new ResourceLimits(out);
  }

  /** The limit for one resource in thousandths, or {@link #UNLIMITED}. */
  public long millis(int index) {
    return index < millis.length ? millis[index] : UNLIMITED;
  }

  /** Whether no resource is limited. */
  public boolean isUnlimited() {
    for (long m : millis) {
      if (m != UNLIMITED) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code amounts} stay within every limit. */
  public boolean allows(ResourceQuantities amounts) {
    for (int i = 0; i < millis.length; i++) {
      if (amounts.millis(i) > millis[i]) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ResourceLimits other)) {
      return false;
    }
    int n = Math.max(millis.length, other.millis.length);
    for (int i = 0; i < n; i++) {
      if (millis(i) != other.millis(i)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int hash = 1;
    for (int i = 0; i < millis.length; i++) {
      if (millis[i] != UNLIMITED) {
        hash = 31 * hash + i * 7 + Long.hashCode(millis[i]);
      }
    }
    return hash;
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < millis.length; i++) {
      if (millis[i] != UNLIMITED) {
        parts.add(ScalarNames.nameOf(i) + ":" + Scalars.format(millis[i]));
      }
    }
    return parts.isEmpty() ? "unlimited" : String.join(";", parts);
  }
}
