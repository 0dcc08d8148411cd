package io.mesokube.allocator;

import io.mesokube.allocator.resources.ResourceQuantities;
import java.util.List;

/**
 * Mesos' {@code --min_allocatable_resources}: an offer is worth making only if it holds at least
 * one of the alternatives in full. With no alternatives, any scalar amount is enough.
 */
final class MinAllocatable {
  private final long[][] alternatives;

  MinAllocatable(List<ResourceQuantities> alternatives, int kinds) {
    this.alternatives = new long[alternatives.size()][];
    for (int i = 0; i < alternatives.size(); i++) {
      this.alternatives[i] = alternatives.get(i).toArray(kinds);
    }
  }

  boolean allows(long[] quantities) {
    if (alternatives.length == 0) {
      for (long q : quantities) {
        if (q > 0) {
          return true;
        }
      }
      return false;
    }
    for (long[] alternative : alternatives) {
      if (covers(quantities, alternative)) {
        return true;
      }
    }
    return false;
  }

  private static boolean covers(long[] quantities, long[] alternative) {
    for (int k = 0; k < alternative.length; k++) {
      if (alternative[k] > 0 && (k >= quantities.length || quantities[k] < alternative[k])) {
        return false;
      }
    }
    return true;
  }
}
