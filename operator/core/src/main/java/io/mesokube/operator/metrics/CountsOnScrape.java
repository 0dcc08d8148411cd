package io.mesokube.operator.metrics;

import java.util.function.Supplier;

/**
 * Counts the caches at most once per scrape: a scrape reads some fifty gauges within milliseconds,
 * and each would otherwise walk every task again. A result younger than {@link #MAX_AGE_NANOS} is
 * reused.
 */
final class CountsOnScrape {
  private static final long MAX_AGE_NANOS = 500_000_000L;

  private final Supplier<ClusterCounts> count;
  private ClusterCounts last;
  private long lastNanos;

  CountsOnScrape(Supplier<ClusterCounts> count) {
    this.count = count;
  }

  /** The counts, taken now unless the last ones are recent enough. */
  synchronized ClusterCounts get() {
    long now = System.nanoTime();
    if (last == null || now - lastNanos > MAX_AGE_NANOS) {
      last = count.get();
      lastNanos = now;
    }
    return last;
  }
}
