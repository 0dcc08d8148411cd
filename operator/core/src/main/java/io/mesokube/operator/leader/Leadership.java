package io.mesokube.operator.leader;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.mesokube.operator.config.MesokubeConfig;
import io.quarkus.runtime.Quarkus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this replica leads, and its leadership epoch.
 *
 * <p>The epoch is the Lease's {@code leaseTransitions} when this replica took it: it grows with
 * every change of leader, so offers stamped with an older epoch are known to be stale (Mesos
 * rescinds every offer on master failover for the same reason). A replica that loses the Lease
 * exits ({@link #stoppedLeading}), so an epoch never changes within a process.
 */
@ApplicationScoped
public class Leadership {
  private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

  private final KubernetesClient client;
  private final String leaseNamespace;
  private final String leaseName;
  private final String identity;
  private final Runnable exit;
  private final CompletableFuture<Long> epoch = new CompletableFuture<>();
  private volatile Instant leadingSince;

  @Inject
  Leadership(KubernetesClient client, MesokubeConfig config) {
    this(
        client,
        config.leader().leaseNamespace(),
        config.leader().leaseName(),
        config
            .leader()
            .identity()
            .orElseGet(
                () ->
                    System.getenv().getOrDefault("HOSTNAME", "operator")
                        + "-"
                        + ProcessHandle.current().pid()),
        () -> Quarkus.asyncExit(1));
  }

  /** For tests: {@code exit} stands for the process's exit. */
  Leadership(
      KubernetesClient client,
      String leaseNamespace,
      String leaseName,
      String identity,
      Runnable exit) {
    this.client = client;
    this.leaseNamespace = leaseNamespace;
    this.leaseName = leaseName;
    this.identity = identity;
    this.exit = exit;
  }

  /** This replica's name in the Lease's {@code holderIdentity}. */
  public String identity() {
    return identity;
  }

  /**
   * Called by leader election once this replica holds the Lease, before the reconcilers start. It
   * leads only if the Lease still names it when it reads its epoch; otherwise it exits and throws,
   * so that the Java Operator SDK never starts this replica's reconcilers (they start after this
   * callback returns).
   *
   * @throws IllegalStateException when this replica does not lead after all
   */
  void startedLeading() {
    Lease lease;
    try {
      lease = client.leases().inNamespace(leaseNamespace).withName(leaseName).get();
    } catch (RuntimeException e) {
      // Without its epoch a leader cannot tell its offers from an earlier leader's.
      LOG.error("Cannot read the leader Lease after taking it; exiting", e);
      exit.run();
      throw new IllegalStateException("cannot read the leader Lease", e);
    }
    String holder = lease == null ? null : lease.getSpec().getHolderIdentity();
    if (!identity.equals(holder)) {
      // Taken by another replica between our write and this read (seen after an etcd outage,
      // when every replica found the Lease expired at once). Leading on would stamp offers with
      // the other replica's epoch, so that neither leader's offers could be told stale.
      LOG.error("The leader Lease names {} right after this replica took it; exiting", holder);
      exit.run();
      throw new IllegalStateException("the leader Lease names " + holder + ", not " + identity);
    }
    Integer transitions = lease.getSpec().getLeaseTransitions();
    long value = transitions == null ? 0 : transitions;
    LOG.info("Leading with epoch {}", value);
    leadingSince = Instant.now();
    epoch.complete(value);
  }

  /**
   * Called by leader election when this replica lost the Lease (it could not renew within the renew
   * deadline, say during an API server outage). It exits at once: a deposed leader that kept its
   * allocation loop would make offers beside the new one (a split brain, seen in the fault suite).
   * Its supervisor (the Deployment, or {@code ./mesokube}) starts it again as a follower.
   */
  void stoppedLeading() {
    LOG.error("Lost the leader Lease; exiting so that only the new leader allocates");
    exit.run();
  }

  /** Whether this replica leads. */
  public boolean isLeader() {
    return epoch.isDone();
  }

  /** The leadership epoch; only meaningful when {@link #isLeader()}. */
  public long epoch() {
    return epoch.getNow(-1L);
  }

  /**
   * When this replica started leading, by its own clock; null while it follows. Timeouts that a
   * leader measures (an agent's silence) start no earlier: what a follower saw, or did not see
   * while the API server was away, is not held against anyone.
   */
  public Instant leadingSince() {
    return leadingSince;
  }

  /** Completes with the epoch when this replica starts leading. */
  public CompletionStage<Long> whenLeading() {
    return epoch;
  }
}
