package io.mesokube.operator.cluster;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.mesokube.api.Mesokube;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What this replica saw of each agent's heartbeat, by its own clock: when it first saw the agent's
 * latest proof of life, and whether it ever saw the agent renew.
 *
 * <p>A proof (a Lease renewal, a registration) carries a time in the agent's clock. Comparing that
 * time with the operator's clock would charge an agent with every outage of the operator's view:
 * after kube-apiserver or etcd was away for longer than the unreachable timeout, every renewal
 * looks old, and every agent would be marked unreachable at once although none of them stopped.
 * Kubernetes' node lifecycle controller measures a node's silence the same way: from when it
 * observed the node's Lease change, and never from before it started. So silence counts from the
 * moment this replica saw the proof change, and never from before it started leading: a new leader
 * gives every agent a full timeout.
 *
 * <p>That full timeout must not make an agent that died long before look usable: like a Mesos
 * master after a failover, which offers an agent only once it re-registered, the allocator offers
 * an agent only once this replica saw it renew ({@link #proven}), a few seconds after it
 * registered. The agents' Lease informer runs on every replica, so on a failover the new leader has
 * long seen live agents renew.
 */
public final class Sightings {
  /**
   * @param proof the latest proof of life, in the agent's clock
   * @param at when this replica first saw it
   * @param proven whether this replica saw the agent's Lease renewed (or created) while watching
   * @param renewal the latest Lease renewal the informer delivered, or null before the first
   */
  private record Seen(Instant proof, Instant at, boolean proven, Instant renewal) {}

  private final Map<String, Seen> seen = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Supplier<Instant> leadingSince;

  /**
   * @param leadingSince when this replica started leading (null while it does not): silence is
   *     never counted from before
   */
  public Sightings(Clock clock, Supplier<Instant> leadingSince) {
    this.clock = clock;
    this.leadingSince = leadingSince;
  }

  /**
   * Notes a state of an agent's heartbeat Lease the informer delivered; returns true if it proves
   * the agent alive for the first time (the allocator may offer it now). Only a renewal this
   * replica saw happen proves it: a Lease as first listed, or first delivered, may be long stale.
   */
  public boolean observe(Lease lease) {
    String agent =
        lease.getMetadata().getLabels() == null
            ? null
            : lease.getMetadata().getLabels().get(Mesokube.LABEL_AGENT);
    if (agent == null || lease.getSpec() == null || lease.getSpec().getRenewTime() == null) {
      return false;
    }
    Instant renewal = lease.getSpec().getRenewTime().toInstant();
    Instant now = clock.instant();
    boolean wasProven = proven(agent);
    seen.compute(
        agent,
        (k, old) -> {
          if (old == null) {
            return new Seen(renewal, now, false, renewal);
          }
          // Only a change of the Lease itself proves life: a registration seen for the first
          // time may be long past.
          boolean proven =
              old.proven() || (old.renewal() != null && renewal.isAfter(old.renewal()));
          Instant latest =
              old.renewal() == null || renewal.isAfter(old.renewal()) ? renewal : old.renewal();
          return renewal.isAfter(old.proof())
              ? new Seen(renewal, now, proven, latest)
              : new Seen(old.proof(), old.at(), proven, latest);
        });
    return !wasProven && proven(agent);
  }

  /**
   * When this replica first saw {@code proof} as {@code agent}'s latest proof of life, recording it
   * now if it is news, never earlier than when this replica started leading. A proof older than the
   * one recorded is not news (an informer may deliver a stale object after a relist).
   */
  public Instant firstSeen(String agent, Instant proof) {
    Instant now = clock.instant();
    Seen s =
        seen.compute(
            agent,
            (k, old) -> {
              if (old == null) {
                return new Seen(proof, now, false, null);
              }
              return proof.isAfter(old.proof())
                  ? new Seen(proof, now, old.proven(), old.renewal())
                  : old;
            });
    return clamp(s.at());
  }

  /** Whether this replica saw {@code agent} renew its Lease (or register) while it watched. */
  public boolean proven(String agent) {
    Seen s = seen.get(agent);
    return s != null && s.proven();
  }

  /**
   * Whether every one of {@code agents} is silent at {@code now}: none showed a proof of life this
   * replica saw within {@code timeout}. An agent never seen is silent. False for no agents.
   */
  public boolean allSilent(Collection<String> agents, Duration timeout, Instant now) {
    if (agents.isEmpty()) {
      return false;
    }
    for (String agent : agents) {
      Seen s = seen.get(agent);
      if (s != null && now.isBefore(clamp(s.at()).plus(timeout))) {
        return false;
      }
    }
    return true;
  }

  /** Forgets agents no longer known. */
  public void retain(Set<String> agents) {
    seen.keySet().retainAll(agents);
  }

  /** How many agents are remembered. */
  public int size() {
    return seen.size();
  }

  private Instant clamp(Instant at) {
    Instant since = leadingSince.get();
    return since != null && since.isAfter(at) ? since : at;
  }
}
