package io.mesokube.allocator.resources;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Scalar amounts by resource name with no reservation or allocation information, as Mesos' {@code
 * ResourceQuantities}: quota guarantees, allocations and cluster totals.
 *
 * <p>Immutable; amounts are fixed-point thousandths indexed by {@link ScalarNames}.
 */
public final class ResourceQuantities {
  /** No quantities. */
  public static final ResourceQuantities EMPTY = new ResourceQuantities(new long[0]);

  // Invariant: every element is >= 0; trailing elements may be missing (read as 0).
  private final long[] millis;

  private ResourceQuantities(long[] millis) {
    this.millis = millis;
  }

  /** Quantities from a name-to-amount map; rejects NaN, infinite and negative amounts. */
  public static ResourceQuantities of(Map<String, Double> amounts) {
    long[] out = new long[ScalarNames.count() + amounts.size()];
    for (Map.Entry<String, Double> e : amounts.entrySet()) {
      if (e.getValue() == null) {
        throw new IllegalArgumentException("Quantity for '" + e.getKey() + "' is null");
      }
      int index = ScalarNames.indexOf(e.getKey());
      if (index >= out.length) {
        out = Arrays.copyOf(out, index + 1);
      }
      out[index] = Scalars.toMillis(e.getKey(), e.getValue());
    }
    return new ResourceQuantities(out);
  }

  /** Parses {@code cpus:1;mem:32}. */
  public static ResourceQuantities parse(String text) {
    return Resources.parse(text).quantities();
  }

  /** Quantities from a vector indexed by {@link ScalarNames}; the array is copied. */
  public static ResourceQuantities ofMillis(long[] millis) {
    for (int i = 0; i < millis.length; i++) {
      if (millis[i] < 0) {
        throw new IllegalArgumentException(
            "Quantity of " + ScalarNames.nameOf(i) + " must not be negative");
      }
    }
    return new ResourceQuantities(millis.clone());
  }

  /** Amount of one resource in thousandths; 0 when absent. */
  public long millis(int index) {
    return index < millis.length ? millis[index] : 0;
  }

  /** Amount of one resource. */
  public double get(String name) {
    return Scalars.toDouble(millis(ScalarNames.indexOf(name)));
  }

  /** A copy of the vector, at least {@code length} long. */
  public long[] toArray(int length) {
    return Arrays.copyOf(millis, Math.max(length, millis.length));
  }

  /** Whether every amount is zero. */
  public boolean isEmpty() {
    for (long m : millis) {
      if (m != 0) {
        return false;
      }
    }
    return true;
  }

  /** Element-wise sum. */
  public ResourceQuantities plus(ResourceQuantities other) {
    long[] out = toArray(other.millis.length);
    for (int i = 0; i < other.millis.length; i++) {
      out[i] = Math.addExact(out[i], other.millis[i]);
    }
    return new ResourceQuantities(out);
  }

  /** Element-wise difference floored at zero, as Mesos subtracts quantities. */
  public ResourceQuantities minusFloorZero(ResourceQuantities other) {
    long[] out = toArray(0);
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.max(0, out[i] - other.millis(i));
    }
    return new ResourceQuantities(out);
  }

  /** Whether every amount of {@code other} is at most the amount here. */
  public boolean contains(ResourceQuantities other) {
    for (int i = 0; i < other.millis.length; i++) {
      if (other.millis[i] > millis(i)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ResourceQuantities other)) {
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
    int last = millis.length - 1;
    while (last >= 0 && millis[last] == 0) {
      last--;
    }
    for (int i = 0; i <= last; i++) {
      hash = 31 * hash + Long.hashCode(millis[i]);
    }
    return hash;
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < millis.length; i++) {
      if (millis[i] != 0) {
        parts.add(ScalarNames.nameOf(i) + ":" + Scalars.format(millis[i]));
      }
    }
    return String.join(";", parts);
  }
}
