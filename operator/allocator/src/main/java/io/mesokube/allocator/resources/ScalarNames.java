package io.mesokube.allocator.resources;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Process-wide interning of scalar resource names to small dense indexes.
 *
 * <p>The allocator's hot path keeps quantities in {@code long[]} indexed by these numbers instead
 * of maps keyed by name. The set of names in a cluster is small (cpus, mem, disk, gpus and a few
 * custom ones), so the table never grows large. Safe for use from any thread.
 */
public final class ScalarNames {
  /** Index of {@code cpus}. */
  public static final int CPUS = 0;

  /** Index of {@code mem}. */
  public static final int MEM = 1;

  /** Index of {@code disk}. */
  public static final int DISK = 2;

  /** Index of {@code gpus}. */
  public static final int GPUS = 3;

  private static final Map<String, Integer> INDEXES = new HashMap<>();
  private static volatile String[] names = new String[0];

  static {
    for (String name : new String[] {"cpus", "mem", "disk", "gpus"}) {
      indexOf(name);
    }
  }

  private ScalarNames() {}

  /** Returns the index of a scalar name, assigning the next one on first use. */
  public static synchronized int indexOf(String name) {
    Integer index = INDEXES.get(name);
    if (index != null) {
      return index;
    }
    int next = names.length;
    INDEXES.put(name, next);
    String[] grown = Arrays.copyOf(names, next + 1);
    grown[next] = name;
    names = grown;
    return next;
  }

  /** Returns the name at an index. */
  public static String nameOf(int index) {
    return names[index];
  }

  /** Number of names interned so far; every index is below it. */
  public static int count() {
    return names.length;
  }
}
