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
    return mask(quantities) != 0;
  }

  /**
   * Bit i set when alternative i is covered; with no alternatives, bit 0 when any scalar is
   * positive. At most 31 alternatives are told apart; more share the last bit.
   */
  int mask(long[] quantities) {
    if (alternatives.length == 0) {
      for (long q : quantities) {
        if (q > 0) {
          return 1;
        }
      }
      return 0;
    }
    int mask = 0;
    for (int i = 0; i < alternatives.length; i++) {
      if (covers(quantities, alternatives[i])) {
        mask |= 1 << Math.min(i, 30);
      }
    }
    return mask;
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
