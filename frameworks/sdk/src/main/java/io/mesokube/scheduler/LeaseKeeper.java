package io.mesokube.scheduler;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseList;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.mesokube.api.Mesokube;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the framework's Lease ({@code mesokube-fw-<framework>}) and renews it on its own thread, so
 * that slow scheduler callbacks never delay a renewal. Taking it over from another instance is a
 * failover, as in Mesos: the newest scheduler wins and the old one learns it lost on its next
 * renewal. Writes are conditional on the last seen resourceVersion.
 */
final class LeaseKeeper implements AutoCloseable {

  /** What the driver hears from the renew loop; called on the lease thread. */
  interface Listener {
    /** Another instance holds the Lease now; renewing stopped. */
    void leaseLost(String holder);

    /** Renewals failed for longer than the lease duration. */
    void disconnected();

    /** A renewal succeeded after {@link #disconnected()}. */
    void reconnected();
  }

  private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);

  private final SchedulerConfig config;
  private final Listener listener;
  private final Clock clock;
  private final ScheduledExecutorService timer;
  private Lease lease;
  private Instant lastRenewal;
  private boolean disconnected;

  LeaseKeeper(SchedulerConfig config, Listener listener, Clock clock) {
    this.config = config;
    this.listener = listener;
    this.clock = clock;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r ->
                Thread.ofPlatform()
                    .name("mesokube-lease-" + config.frameworkName())
                    .daemon()
                    .unstarted(r));
  }

  private static final int TAKE_ATTEMPTS = 10;

  /** Takes the Lease now (creating it, owned by the Framework, if missing), then renews it. */
  void start(OwnerReference owner) {
    lease = take(owner);
    lastRenewal = clock.instant();
    long interval = config.leaseRenewInterval().toMillis();
    timer.scheduleWithFixedDelay(() -> renew(owner), interval, interval, TimeUnit.MILLISECONDS);
    LOG.info(
        "framework {}: {} holds Lease {}",
        config.frameworkName(),
        config.instanceId(),
        config.leaseName());
  }

  /** The last Lease written by this instance. */
  synchronized Lease lease() {
    return lease;
  }

  /**
   * Takes the Lease, retrying when a write races with the current holder's renewal (a conflict):
   * the newest instance wins, as in a Mesos scheduler failover.
   */
  private Lease take(OwnerReference owner) {
    for (int attempt = 1; ; attempt++) {
      try {
        return takeOnce(owner);
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt >= TAKE_ATTEMPTS) {
          throw e;
        }
        LOG.debug("framework {}: Lease changed while taking it; retrying", config.frameworkName());
      }
    }
  }

  private Lease takeOnce(OwnerReference owner) {
    var leases = leases();
    var now = now();
    var existing = leases.withName(config.leaseName()).get();
    if (existing == null) {
      return leases.resource(newLease(owner, now)).create();
    }
    var transitions = existing.getSpec().getLeaseTransitions();
    boolean ours = config.instanceId().equals(existing.getSpec().getHolderIdentity());
    var taken =
        new LeaseBuilder(existing)
            .editSpec()
            .withHolderIdentity(config.instanceId())
            .withLeaseDurationSeconds(durationSeconds())
            .withAcquireTime(ours ? existing.getSpec().getAcquireTime() : now)
            .withRenewTime(now)
            .withLeaseTransitions(ours ? transitions : (transitions == null ? 0 : transitions) + 1)
            .endSpec()
            .build();
    return leases.resource(taken).update();
  }

  private synchronized void renew(OwnerReference owner) {
    try {
      var renewed = new LeaseBuilder(lease).editSpec().withRenewTime(now()).endSpec().build();
      lease = leases().resource(renewed).update();
      renewed();
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT
          || e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
        recheck(owner);
      } else {
        failed(e);
      }
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  /** After a conflict: lost if someone else holds it, else taken again from the server's copy. */
  private void recheck(OwnerReference owner) {
    try {
      var current = leases().withName(config.leaseName()).get();
      var holder = current == null ? null : current.getSpec().getHolderIdentity();
      if (current != null && !config.instanceId().equals(holder)) {
        LOG.warn("framework {}: Lease taken over by {}", config.frameworkName(), holder);
        timer.shutdown();
        listener.leaseLost(holder);
        return;
      }
      lease = take(owner);
      renewed();
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  private void renewed() {
    lastRenewal = clock.instant();
    if (disconnected) {
      disconnected = false;
      LOG.info("framework {}: Lease renewed again", config.frameworkName());
      listener.reconnected();
    }
  }

  private void failed(RuntimeException e) {
    LOG.warn("framework {}: could not renew Lease: {}", config.frameworkName(), e.toString());
    if (!disconnected && lastRenewal.plus(config.leaseDuration()).isBefore(clock.instant())) {
      disconnected = true;
      listener.disconnected();
    }
  }

  private NonNamespaceOperation<Lease, LeaseList, Resource<Lease>> leases() {
    return config.client().leases().inNamespace(config.namespace());
  }

  private Lease newLease(OwnerReference owner, ZonedDateTime now) {
    return new LeaseBuilder()
        .withNewMetadata()
        .withName(config.leaseName())
        .withNamespace(config.namespace())
        .addToLabels(Mesokube.LABEL_FRAMEWORK, config.frameworkName())
        .addToOwnerReferences(owner)
        .endMetadata()
        .withNewSpec()
        .withHolderIdentity(config.instanceId())
        .withLeaseDurationSeconds(durationSeconds())
        .withAcquireTime(now)
        .withRenewTime(now)
        .withLeaseTransitions(0)
        .endSpec()
        .build();
  }

  private int durationSeconds() {
    return (int) config.leaseDuration().toSeconds();
  }

  private ZonedDateTime now() {
    return ZonedDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  /** Stops renewing; the Lease lapses after its duration. */
  @Override
  public void close() {
    timer.shutdownNow();
  }
}
