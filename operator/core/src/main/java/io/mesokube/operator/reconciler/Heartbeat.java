package io.mesokube.operator.reconciler;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.mesokube.api.v1alpha1.agent.AgentStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * When an agent last proved alive, and until when that proof holds. Plain logic, no I/O.
 *
 * <p>Proof is a renewal of the agent's heartbeat Lease by its current agent id (the Lease's
 * holder), or the agent's registration, whichever is later: a freshly registered agent has not
 * renewed its Lease under its new id yet. A renewal by another holder proves nothing about this
 * agent id.
 *
 * <p>The proof holds for the unreachable timeout, but never less than the Lease's own duration: an
 * agent is not declared unreachable while the Lease it renews is still valid. It holds from when
 * the operator first saw it ({@link Sightings}), not from the time it carries: that time is the
 * agent's clock, and an outage of the API server would make every proof look old.
 *
 * @param last the latest proof of life, in the agent's clock
 * @param deadline {@code last} plus how long it holds, in the agent's clock (to compare with the
 *     agent's own status timestamps)
 * @param renewed whether the latest proof is a Lease renewal by the current agent id
 * @param expires when the agent becomes unreachable without a newer proof, in the operator's clock
 */
record Heartbeat(Instant last, Instant deadline, boolean renewed, Instant expires) {

  /**
   * The heartbeat of an agent, or null if it never proved alive (no registration, no renewal).
   *
   * @param firstSeen when the operator first saw a proof (given in the agent's clock)
   */
  static Heartbeat of(
      AgentStatus status,
      Lease lease,
      Duration unreachableTimeout,
      UnaryOperator<Instant> firstSeen) {
    Instant registered = parse(status.registeredTime());
    Instant renewal = null;
    Duration leaseDuration = Duration.ZERO;
    if (lease != null
        && lease.getSpec() != null
        && lease.getSpec().getRenewTime() != null
        && Objects.equals(lease.getSpec().getHolderIdentity(), status.agentId())) {
      renewal = lease.getSpec().getRenewTime().toInstant();
      Integer seconds = lease.getSpec().getLeaseDurationSeconds();
      leaseDuration = Duration.ofSeconds(seconds == null ? 0 : seconds);
    }
    boolean renewed = renewal != null && (registered == null || !renewal.isBefore(registered));
    Instant last = renewed ? renewal : registered;
    if (last == null) {
      return null;
    }
    Duration holds =
        leaseDuration.compareTo(unreachableTimeout) > 0 ? leaseDuration : unreachableTimeout;
    return new Heartbeat(last, last.plus(holds), renewed, firstSeen.apply(last).plus(holds));
  }

  /** Whether the proof still holds at {@code now} (the operator's clock). */
  boolean fresh(Instant now) {
    return now.isBefore(expires);
  }

  /** An RFC 3339 time, or null if absent or unreadable. */
  static Instant parse(String time) {
    if (time == null) {
      return null;
    }
    try {
      return Instant.parse(time);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
