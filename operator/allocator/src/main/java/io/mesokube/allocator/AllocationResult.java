package io.mesokube.allocator;

import java.util.List;

/** The outcome of one allocation cycle: the offers made and why others were not. */
public record AllocationResult(List<Offer> offers, AllocationSummary summary) {
  /** Copies the offers. */
  public AllocationResult {
    offers = List.copyOf(offers);
  }
}
