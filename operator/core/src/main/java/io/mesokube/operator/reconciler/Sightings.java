package io.mesokube.operator.reconciler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * When this replica first saw each agent's latest proof of life, by its own clock.
 *
 * <p>A proof (a Lease renewal, a registration) carries a time in the agent's clock. Comparing that
 * time with the operator's clock would charge an agent with every outage of the operator's view:
 * after kube-apiserver or etcd was away for longer than the unreachable timeout, every renewal
 * looks old, and every agent would be marked unreachable at once although none of them stopped.
 * Kubernetes' node lifecycle controller measures a node's silence the same way: from when it
 * observed the node's Lease change, and never from before it started.
 *
 * <p>So silence counts from the moment this replica saw the proof change, and never from before it
 * started leading: a new leader gives every agent a full timeout.
 */
final class Sightings {
  private record Seen(Instant proof, Instant at) {}

  private final Map<String, Seen> seen = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Supplier<Instant> watchingSince;

  /**
   * @param watchingSince when this replica started leading (null while it does not): no sighting is
   *     older
   */
  Sightings(Clock clock, Supplier<Instant> watchingSince) {
    this.clock = clock;
    this.watchingSince = watchingSince;
  }

  /**
   * When this replica first saw {@code proof} as {@code agent}'s latest proof of life, recording it
   * now if it is news. A proof older than the one recorded is not news (an informer may deliver a
   * stale object after a relist).
   */
  Instant firstSeen(String agent, Instant proof) {
    Instant now = clock.instant();
    Seen s =
        seen.compute(
            agent,
            (k, old) -> old != null && !proof.isAfter(old.proof()) ? old : new Seen(proof, now));
    Instant since = watchingSince.get();
    return since != null && since.isAfter(s.at()) ? since : s.at();
  }

  /**
   * Whether every one of {@code agents} is silent at {@code now}: none showed a proof of life this
   * replica saw within {@code timeout}. An agent never seen is silent. False for no agents.
   */
  boolean allSilent(Collection<String> agents, Duration timeout, Instant now) {
    if (agents.isEmpty()) {
      return false;
    }
    Instant since = watchingSince.get();
    for (String agent : agents) {
      Seen s = seen.get(agent);
      if (s != null) {
        Instant at = since != null && since.isAfter(s.at()) ? since : s.at();
        if (now.isBefore(at.plus(timeout))) {
          return false;
        }
      }
    }
    return true;
  }

  /** Forgets agents no longer known. */
  void retain(Set<String> agents) {
    seen.keySet().retainAll(agents);
  }

  /** How many agents are remembered (for tests and the deleted-agent sweep). */
  int size() {
    return seen.size();
  }
}
