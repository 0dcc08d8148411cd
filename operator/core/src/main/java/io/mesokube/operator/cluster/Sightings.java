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
 * <p>That full timeout must not make an agent that died before look usable: like a Mesos master
 * after a failover, which offers an agent only once it re-registered, the allocator offers an agent
 * only while this replica sees it renew its Lease ({@link #renewing}), and an agent marked
 * unreachable is back only on a renewal seen after it was marked ({@link #renewedAfter}). The
 * agents' Lease informer runs on every replica, so on a failover the new leader has seen live
 * agents renew moments before.
 */
public final class Sightings {
  /** How long a renewal keeps an agent offerable when its Lease states no duration. */
  static final Duration DEFAULT_LEASE = Duration.ofSeconds(10);

  /**
   * @param proof the latest proof of life, in the agent's clock
   * @param at when this replica first saw it
   * @param renewal the latest Lease renewal the informer delivered (agent's clock), or null
   * @param renewedAt when this replica saw the Lease renewed (its clock), or null if it never did
   * @param lease the Lease's duration
   */
  private record Seen(
      Instant proof, Instant at, Instant renewal, Instant renewedAt, Duration lease) {}

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
   * Notes a state of an agent's heartbeat Lease the informer delivered; returns true if it shows
   * the agent renewing when it was not (the allocator may offer it again). Only a renewal this
   * replica saw happen counts: a Lease as first listed, or first delivered, may be long stale.
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
    Integer seconds = lease.getSpec().getLeaseDurationSeconds();
    Duration duration =
        seconds == null || seconds <= 0 ? DEFAULT_LEASE : Duration.ofSeconds(seconds);
    Instant now = clock.instant();
    boolean was = renewing(agent, now);
    seen.compute(
        agent,
        (k, old) -> {
          if (old == null) {
            return new Seen(renewal, now, renewal, null, duration);
          }
          // Only a change of the Lease itself shows life: a registration seen for the first
          // time may be long past.
          boolean renewed = old.renewal() != null && renewal.isAfter(old.renewal());
          Instant latest =
              old.renewal() == null || renewal.isAfter(old.renewal()) ? renewal : old.renewal();
          Instant renewedAt = renewed ? now : old.renewedAt();
          return renewal.isAfter(old.proof())
              ? new Seen(renewal, now, latest, renewedAt, duration)
              : new Seen(old.proof(), old.at(), latest, renewedAt, duration);
        });
    return !was && renewing(agent, now);
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
                return new Seen(proof, now, null, null, DEFAULT_LEASE);
              }
              return proof.isAfter(old.proof())
                  ? new Seen(proof, now, old.renewal(), old.renewedAt(), old.lease())
                  : old;
            });
    return clamp(s.at());
  }

  /**
   * Whether this replica saw {@code agent} renew its Lease within the Lease's duration before
   * {@code now}: an agent that stopped renewing is not offered, even before it is marked
   * unreachable, and one that died before this replica watched never is.
   */
  public boolean renewing(String agent, Instant now) {
    Seen s = seen.get(agent);
    return s != null && s.renewedAt() != null && now.isBefore(s.renewedAt().plus(s.lease()));
  }

  /** Whether this replica saw {@code agent} renew its Lease after {@code time} (its clock). */
  public boolean renewedAfter(String agent, Instant time) {
    Seen s = seen.get(agent);
    return s != null && s.renewedAt() != null && s.renewedAt().isAfter(time);
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
