package io.mesokube.agent.registration;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.mesokube.api.Mesokube;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's heartbeat: a Lease renewed every third of its duration, as the kubelet renews its
 * node Lease. Status writes are kept for real changes; liveness costs one small write per renewal.
 */
public final class Heartbeat {
  private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);

  private final KubernetesClient client;
  private final String namespace;
  private final String agent;
  private final Duration duration;
  private final Clock clock;
  private volatile String agentId;
  private volatile boolean failing;
  private ScheduledFuture<?> renewals;

  public Heartbeat(
      KubernetesClient client, String namespace, String agent, Duration duration, Clock clock) {
    this.client = client;
    this.namespace = namespace;
    this.agent = agent;
    this.duration = duration;
    this.clock = clock;
  }

  /** Renews now and then every third of the Lease duration, as {@code agentId}. */
  public synchronized void start(String agentId, ScheduledExecutorService scheduler) {
    this.agentId = agentId;
    renew();
    long period = Math.max(1, duration.toMillis() / 3);
    renewals =
        scheduler.scheduleAtFixedRate(this::renewQuietly, period, period, TimeUnit.MILLISECONDS);
  }

  /** Stops renewing; the Lease lapses on its own, which is what the operator watches for. */
  public synchronized void stop() {
    if (renewals != null) {
      renewals.cancel(false);
    }
  }

  /** One renewal; throws if the API server refuses it. */
  public void renew() {
    Lease lease =
        new LeaseBuilder()
            .withNewMetadata()
            .withName(Mesokube.agentLeaseName(agent))
            .withNamespace(namespace)
            .addToLabels(Mesokube.LABEL_AGENT, agent)
            .addToLabels(Mesokube.LABEL_MANAGED_BY, Mesokube.MANAGED_BY)
            .endMetadata()
            .withNewSpec()
            .withHolderIdentity(agentId)
            .withLeaseDurationSeconds((int) Math.max(1, duration.toSeconds()))
            .withRenewTime(ZonedDateTime.now(clock))
            .endSpec()
            .build();
    client.resource(lease).fieldManager(Registrar.FIELD_MANAGER).forceConflicts().serverSideApply();
  }

  private void renewQuietly() {
    try {
      renew();
      if (failing) {
        LOG.info("Heartbeat renewed again");
        failing = false;
      }
    } catch (KubernetesClientException e) {
      // Logged once per outage: the API server may be down for a while, and renewals go on.
      if (!failing) {
        LOG.warn(
            "Heartbeat renewal failed; retrying every {} ms: {}",
            duration.toMillis() / 3,
            e.getMessage());
        failing = true;
      }
    } catch (RuntimeException e) {
      LOG.error("Heartbeat renewal failed unexpectedly", e);
    }
  }
}
