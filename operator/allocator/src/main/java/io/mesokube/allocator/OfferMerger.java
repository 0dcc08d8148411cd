package io.mesokube.allocator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Joins the stage-1 and stage-2 offers of one framework, role and agent into one offer. */
final class OfferMerger {
  private OfferMerger() {}

  static List<Offer> merge(List<Offer> offers) {
    Map<List<String>, Offer> merged = new LinkedHashMap<>();
    for (Offer o : offers) {
      merged.merge(
          List.of(o.frameworkId(), o.role(), o.agentId()),
          o,
          (a, b) ->
              new Offer(a.frameworkId(), a.role(), a.agentId(), a.resources().plus(b.resources())));
    }
    return new ArrayList<>(merged.values());
  }
}
