package io.mesokube.operator.cluster;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.mesokube.api.Mesokube;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
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
 *
 * <p>When every agent goes silent at once, the view is more likely broken (a watch that stopped, an
 * API server or etcd that is away) than every agent at the same moment. That is decided for the
 * view as a whole, not agent by agent: the view is {@link #quiet} when this replica saw no agent
 * prove alive for two renewal intervals of the longest Lease. Deciding per agent ("is any other
 * agent still fresh?") fails on skew: agents renew at different moments, so the first agent to
 * expire always finds another whose last renewal, a few milliseconds later, has not yet expired.
 * And when proofs come again after a quiet view, silence counts afresh from then, as from a new
 * leader's start: the renewals of live agents arrive one by one, and the last of them must not be
 * taken for dead because the first already came.
 */
public final class Sightings {
  /** How long a renewal keeps an agent offerable when its Lease states no duration. */
  static final Duration DEFAULT_LEASE = Duration.ofSeconds(10);

  /**
   * @param proof the latest proof of life, in the agent's clock
   * @param at when this replica first saw it
   * @param renewal the latest Lease renewal the informer delivered (agent's clock), or null
   * @param renewedAt when this replica saw the Lease renewed (its clock), or null if it never did
   * @param lease the Lease's duration, or null before the Lease was seen
   */
  private record Seen(
      Instant proof, Instant at, Instant renewal, Instant renewedAt, Duration lease) {}

  private final Map<String, Seen> seen = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Supplier<Instant> leadingSince;

  /** When this replica last saw an agent prove alive (its clock), or null if never. */
  private Instant lastProof;

  /** When proofs came again after the view was quiet (its clock), or null. */
  private volatile Instant resumed;

  /** How many known agents renew a Lease of each duration (every third of it). */
  private final NavigableMap<Duration, Integer> leases = new TreeMap<>();

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
    boolean[] renewedNow = {false};
    Duration[] leaseBefore = {null};
    seen.compute(
        agent,
        (k, old) -> {
          if (old == null) {
            return new Seen(renewal, now, renewal, null, duration);
          }
          leaseBefore[0] = old.lease();
          // Only a change of the Lease itself shows life: a registration seen for the first
          // time may be long past.
          boolean renewed = old.renewal() != null && renewal.isAfter(old.renewal());
          renewedNow[0] = renewed;
          Instant latest =
              old.renewal() == null || renewal.isAfter(old.renewal()) ? renewal : old.renewal();
          Instant renewedAt = renewed ? now : old.renewedAt();
          return renewal.isAfter(old.proof())
              ? new Seen(renewal, now, latest, renewedAt, duration)
              : new Seen(old.proof(), old.at(), latest, renewedAt, duration);
        });
    leaseChanged(leaseBefore[0], duration);
    if (renewedNow[0]) {
      proofSeen(now);
    }
    return !was && renewing(agent, now);
  }

  /**
   * When this replica first saw {@code proof} as {@code agent}'s latest proof of life, recording it
   * now if it is news, never earlier than when this replica started leading. A proof older than the
   * one recorded is not news (an informer may deliver a stale object after a relist).
   */
  public Instant firstSeen(String agent, Instant proof) {
    Instant now = clock.instant();
    boolean[] news = {false};
    Seen s =
        seen.compute(
            agent,
            (k, old) -> {
              if (old == null) {
                return new Seen(proof, now, null, null, null);
              }
              if (!proof.isAfter(old.proof())) {
                return old;
              }
              news[0] = true;
              return new Seen(proof, now, old.renewal(), old.renewedAt(), old.lease());
            });
    if (news[0]) {
      // A newer proof of an agent already known (a registration after a renewal): seen now.
      proofSeen(now);
    }
    return clamp(s.at());
  }

  /**
   * Whether this replica saw {@code agent} renew its Lease within the Lease's duration before
   * {@code now}: an agent that stopped renewing is not offered, even before it is marked
   * unreachable, and one that died before this replica watched never is.
   */
  public boolean renewing(String agent, Instant now) {
    Seen s = seen.get(agent);
    return s != null
        && s.renewedAt() != null
        && now.isBefore(s.renewedAt().plus(s.lease() == null ? DEFAULT_LEASE : s.lease()));
  }

  /** Whether this replica saw {@code agent} renew its Lease after {@code time} (its clock). */
  public boolean renewedAfter(String agent, Instant time) {
    Seen s = seen.get(agent);
    return s != null && s.renewedAt() != null && s.renewedAt().isAfter(time);
  }

  /**
   * Whether this replica's view of the heartbeats is quiet at {@code now}: it saw no agent prove
   * alive for two renewal intervals of the longest Lease (or never did). While any agent lives and
   * the view works, proofs come at least once per renewal interval.
   */
  public synchronized boolean quiet(Instant now) {
    return lastProof == null || !now.isBefore(lastProof.plus(quietGap()));
  }

  /** Notes a proof of life seen at {@code now}; after a quiet view, silence counts from now. */
  private synchronized void proofSeen(Instant now) {
    if (lastProof != null && !now.isBefore(lastProof.plus(quietGap()))) {
      resumed = now;
    }
    if (lastProof == null || now.isAfter(lastProof)) {
      lastProof = now;
    }
  }

  /**
   * Two renewal intervals (a third of the Lease each) of the longest Lease a known agent renews:
   * while any agent lives, no longer passes without a renewal.
   */
  private Duration quietGap() {
    Duration longest =
        leases.descendingMap().entrySet().stream()
            .filter(e -> e.getValue() > 0)
            .map(Map.Entry::getKey)
            .findFirst()
            .orElse(DEFAULT_LEASE);
    return longest.multipliedBy(2).dividedBy(3);
  }

  /** Moves one agent's count from one Lease duration to another (either may be null). */
  private synchronized void leaseChanged(Duration before, Duration after) {
    if (Objects.equals(before, after)) {
      return;
    }
    // Counts may pass below zero for a moment when two changes of one agent cross; they add up.
    if (before != null) {
      leases.merge(before, -1, (a, b) -> a + b == 0 ? null : a + b);
    }
    if (after != null) {
      leases.merge(after, 1, (a, b) -> a + b == 0 ? null : a + b);
    }
  }

  /** Forgets agents no longer known. */
  public void retain(Set<String> agents) {
    for (String agent : Set.copyOf(seen.keySet())) {
      if (!agents.contains(agent)) {
        Seen gone = seen.remove(agent);
        if (gone != null) {
          leaseChanged(gone.lease(), null);
        }
      }
    }
  }

  /** How many agents are remembered. */
  public int size() {
    return seen.size();
  }

  /** Silence never counts from before this replica led, nor from before proofs came back. */
  private Instant clamp(Instant at) {
    Instant since = leadingSince.get();
    Instant back = resumed;
    Instant from = at;
    if (since != null && since.isAfter(from)) {
      from = since;
    }
    return back != null && back.isAfter(from) ? back : from;
  }
}
