package io.mesokube.allocator.resources;

import java.util.Arrays;

/**
 * An immutable set of non-negative integers stored as sorted, disjoint, non-adjacent inclusive
 * intervals, as Mesos represents {@code ports}.
 */
public final class Ranges {
  /** The empty set. */
  public static final Ranges EMPTY = new Ranges(new long[0]);

  // Invariant: bounds = [b0, e0, b1, e1, ...] with 0 <= b_i <= e_i and e_i + 1 < b_(i+1).
  private final long[] bounds;

  private Ranges(long[] bounds) {
    this.bounds = bounds;
  }

  /** One interval {@code [begin, end]}. */
  public static Ranges of(long begin, long end) {
    return EMPTY.add(interval(begin, end));
  }

  /** Intervals given as begin/end pairs, in any order, possibly overlapping. */
  public static Ranges of(long... beginEndPairs) {
    if (beginEndPairs.length % 2 != 0) {
      throw new IllegalArgumentException("Ranges need begin/end pairs, got an odd count");
    }
    Ranges result = EMPTY;
    for (int i = 0; i < beginEndPairs.length; i += 2) {
      result = result.add(interval(beginEndPairs[i], beginEndPairs[i + 1]));
    }
    return result;
  }

  private static Ranges interval(long begin, long end) {
    if (begin < 0 || end < begin) {
      throw new IllegalArgumentException(
          "Invalid range [" + begin + "-" + end + "]: need 0 <= begin <= end");
    }
    return new Ranges(new long[] {begin, end});
  }

  /** Number of integers in the set. */
  public long size() {
    long size = 0;
    for (int i = 0; i < bounds.length; i += 2) {
      size += bounds[i + 1] - bounds[i] + 1;
    }
    return size;
  }

  /** The intervals as begin/end pairs, ascending: {@code [b0, e0, b1, e1, ...]}. */
  public long[] toPairs() {
    return bounds.clone();
  }

  /** Number of intervals. */
  public int intervalCount() {
    return bounds.length / 2;
  }

  /** Whether the set is empty. */
  public boolean isEmpty() {
    return bounds.length == 0;
  }

  /** Union. */
  public Ranges add(Ranges other) {
    if (other.isEmpty()) {
      return this;
    }
    if (isEmpty()) {
      return other;
    }
    long[] merged = new long[bounds.length + other.bounds.length];
    int i = 0;
    int j = 0;
    int n = 0;
    while (i < bounds.length || j < other.bounds.length) {
      long begin;
      long end;
      if (j >= other.bounds.length || (i < bounds.length && bounds[i] <= other.bounds[j])) {
        begin = bounds[i];
        end = bounds[i + 1];
        i += 2;
      } else {
        begin = other.bounds[j];
        end = other.bounds[j + 1];
        j += 2;
      }
      if (n > 0 && begin <= merged[n - 1] + 1) {
        merged[n - 1] = Math.max(merged[n - 1], end);
      } else {
        merged[n++] = begin;
        merged[n++] = end;
      }
    }
    return new Ranges(Arrays.copyOf(merged, n));
  }

  /** Whether every integer of {@code other} is in this set. */
  public boolean contains(Ranges other) {
    int i = 0;
    for (int j = 0; j < other.bounds.length; j += 2) {
      while (i < bounds.length && bounds[i + 1] < other.bounds[j]) {
        i += 2;
      }
      if (i >= bounds.length
          || bounds[i] > other.bounds[j]
          || bounds[i + 1] < other.bounds[j + 1]) {
        return false;
      }
    }
    return true;
  }

  /** The integers in both sets. */
  public Ranges intersect(Ranges other) {
    long[] out = new long[bounds.length + other.bounds.length];
    int n = 0;
    int i = 0;
    int j = 0;
    while (i < bounds.length && j < other.bounds.length) {
      long begin = Math.max(bounds[i], other.bounds[j]);
      long end = Math.min(bounds[i + 1], other.bounds[j + 1]);
      if (begin <= end) {
        out[n++] = begin;
        out[n++] = end;
      }
      // Advance whichever interval ends first; the other may still overlap the next one.
      if (bounds[i + 1] < other.bounds[j + 1]) {
        i += 2;
      } else {
        j += 2;
      }
    }
    return new Ranges(Arrays.copyOf(out, n));
  }

  /**
   * Difference.
   *
   * @throws IllegalArgumentException if {@code other} is not contained in this set
   */
  public Ranges subtract(Ranges other) {
    if (!contains(other)) {
      throw new IllegalArgumentException("Cannot subtract " + other + " from " + this);
    }
    if (other.isEmpty()) {
      return this;
    }
    long[] out = new long[bounds.length + other.bounds.length];
    int n = 0;
    int j = 0;
    for (int i = 0; i < bounds.length; i += 2) {
      long begin = bounds[i];
      long end = bounds[i + 1];
      while (j < other.bounds.length && other.bounds[j + 1] < begin) {
        j += 2;
      }
      int k = j;
      while (k < other.bounds.length && other.bounds[k] <= end) {
        if (other.bounds[k] > begin) {
          out[n++] = begin;
          out[n++] = other.bounds[k] - 1;
        }
        begin = other.bounds[k + 1] + 1;
        k += 2;
      }
      if (begin <= end) {
        out[n++] = begin;
        out[n++] = end;
      }
    }
    return new Ranges(Arrays.copyOf(out, n));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ranges r && Arrays.equals(bounds, r.bounds);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bounds);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < bounds.length; i += 2) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(bounds[i]).append('-').append(bounds[i + 1]);
    }
    return sb.append(']').toString();
  }
}
