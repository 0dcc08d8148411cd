package io.mesokube.operator.allocation;

import io.mesokube.allocator.resources.Resources;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The offers this leader made and that are still outstanding: what each holds in the allocator.
 *
 * <p>Invariant: an entry exists exactly while the allocator counts its resources as allocated to
 * its framework (Mesos' "offered" resources), and the Offer object exists or is being deleted.
 */
final class OfferBook {
  /** One outstanding offer; {@code version} is the resourceVersion it was created with. */
  record Entry(
      String namespace,
      String name,
      String version,
      String frameworkId,
      String agent,
      String role,
      Resources offered,
      Instant expiry) {
    String key() {
      return namespace + "/" + name;
    }
  }

  private final Map<String, Entry> entries = new HashMap<>();

  void add(Entry entry) {
    entries.put(entry.key(), entry);
  }

  Entry get(String key) {
    return entries.get(key);
  }

  Entry remove(String key) {
    return entries.remove(key);
  }

  Collection<Entry> all() {
    return entries.values();
  }

  /** Drops the offers on an agent the allocator removed (its allocations went with it). */
  void agentRemoved(String agent) {
    entries.values().removeIf(e -> e.agent().equals(agent));
  }

  /** Removes and returns the offers on an agent. */
  List<Entry> removeOn(String agent) {
    List<Entry> removed = new ArrayList<>();
    entries
        .values()
        .removeIf(
            e -> {
              boolean on = e.agent().equals(agent);
              if (on) {
                removed.add(e);
              }
              return on;
            });
    return removed;
  }

  /** Everything outstanding offers hold, by role. */
  Map<String, Resources> offeredByRole() {
    Map<String, Resources> out = new HashMap<>();
    for (Entry e : entries.values()) {
      out.merge(e.role(), e.offered(), Resources::plus);
    }
    return out;
  }

  int size() {
    return entries.size();
  }
}
