package io.mesokube.operator.reconciler;

import io.mesokube.api.v1alpha1.common.Condition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builds condition lists that carry each condition's transition time forward while unchanged. */
final class Conditions {
  private final List<Condition> previous;
  private final List<Condition> next = new ArrayList<>();
  private final Long generation;
  private final Instant now;

  Conditions(List<Condition> previous, Long generation, Instant now) {
    this.previous = previous == null ? List.of() : previous;
    this.generation = generation;
    this.now = now;
  }

  /** Adds a condition; its transition time is kept if the previous one had the same status. */
  Conditions set(String type, boolean status, String reason, String message) {
    return set(type, status ? Condition.Status.True : Condition.Status.False, reason, message);
  }

  /** Adds a condition that may be Unknown; the transition time as for a boolean one. */
  Conditions set(String type, Condition.Status value, String reason, String message) {
    String since = now.toString();
    for (Condition c : previous) {
      if (c.type().equals(type) && c.status() == value) {
        since = c.lastTransitionTime();
      }
    }
    next.add(new Condition(type, value, generation, since, reason, message));
    return this;
  }

  /** Carries a previous condition forward unchanged, if there was one. */
  Conditions keep(String type) {
    previous.stream().filter(c -> c.type().equals(type)).findFirst().ifPresent(next::add);
    return this;
  }

  List<Condition> build() {
    return List.copyOf(next);
  }
}
