package io.mesokube.allocator.role;

import io.mesokube.allocator.resources.ResourceLimits;
import io.mesokube.allocator.resources.ResourceQuantities;
import io.mesokube.allocator.resources.ScalarNames;
import java.util.Objects;

/**
 * A role's quota as Mesos 1.9 defines it: guarantees the allocator satisfies first, and limits it
 * never exceeds.
 */
public record Quota(ResourceQuantities guarantees, ResourceLimits limits) {
  /** No guarantee and no limit. */
  public static final Quota NONE = new Quota(ResourceQuantities.EMPTY, ResourceLimits.NONE);

  /** Rejects a guarantee above its limit. */
  public Quota {
    Objects.requireNonNull(guarantees, "guarantees");
    Objects.requireNonNull(limits, "limits");
    for (int i = 0; i < ScalarNames.count(); i++) {
      if (guarantees.millis(i) > limits.millis(i)) {
        throw new IllegalArgumentException(
            "Quota guarantee for "
                + ScalarNames.nameOf(i)
                + " exceeds its limit: "
                + guarantees
                + " > "
                + limits);
      }
    }
  }

  /** A guarantee that is also the limit, as Mesos' pre-1.9 quota. */
  public static Quota of(ResourceQuantities guaranteeAndLimit) {
    long[] millis = guaranteeAndLimit.toArray(ScalarNames.count());
    for (int i = 0; i < millis.length; i++) {
      if (millis[i] == 0) {
        millis[i] = ResourceLimits.UNLIMITED;
      }
    }
    return new Quota(guaranteeAndLimit, ResourceLimits.ofMillis(millis));
  }

  /** Whether this quota neither guarantees nor limits anything. */
  public boolean isNone() {
    return guarantees.isEmpty() && limits.isUnlimited();
  }
}
