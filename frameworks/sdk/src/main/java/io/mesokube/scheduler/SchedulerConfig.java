package io.mesokube.scheduler;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.mesokube.api.Mesokube;
import io.mesokube.api.v1alpha1.framework.FrameworkCapability;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * What a {@link KubernetesSchedulerDriver} registers and how: the Framework's namespace, name,
 * roles, capabilities and failover timeout, the Lease timings, and the client to use.
 */
public record SchedulerConfig(
    KubernetesClient client,
    String namespace,
    String frameworkName,
    List<String> roles,
    List<FrameworkCapability> capabilities,
    Long failoverTimeoutSeconds,
    String user,
    String instanceId,
    Duration leaseDuration,
    Duration leaseRenewInterval) {

  /** Lease duration unless configured: a scheduler is disconnected 15 s after its last renewal. */
  public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(15);

  /** Renew interval unless configured: three renewals per default lease duration. */
  public static final Duration DEFAULT_RENEW_INTERVAL = Duration.ofSeconds(5);

  /** Validates and copies. */
  public SchedulerConfig {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(frameworkName, "frameworkName");
    roles = List.copyOf(roles);
    capabilities = List.copyOf(capabilities);
    Objects.requireNonNull(instanceId, "instanceId");
    if (roles.isEmpty()) {
      throw new IllegalArgumentException("a framework needs at least one role");
    }
    if (roles.size() > 1 && !capabilities.contains(FrameworkCapability.MULTI_ROLE)) {
      throw new IllegalArgumentException("several roles need the MULTI_ROLE capability");
    }
    if (leaseDuration.toSeconds() < 1 || leaseRenewInterval.compareTo(leaseDuration) >= 0) {
      throw new IllegalArgumentException(
          "the lease duration must be at least 1 s and longer than the renew interval");
    }
  }

  /** A builder for {@code frameworkName} in {@code namespace}, using {@code client}. */
  public static Builder builder(KubernetesClient client, String namespace, String frameworkName) {
    return new Builder(client, namespace, frameworkName);
  }

  /** Name of the Lease the driver renews. */
  public String leaseName() {
    return Mesokube.frameworkLeaseName(frameworkName);
  }

  /** Builds a {@link SchedulerConfig}; defaults: role "*", no capabilities, server defaults. */
  public static final class Builder {
    private final KubernetesClient client;
    private final String namespace;
    private final String frameworkName;
    private List<String> roles = List.of(Mesokube.DEFAULT_ROLE);
    private List<FrameworkCapability> capabilities = List.of();
    private Long failoverTimeoutSeconds;
    private String user;
    private String instanceId = "scheduler-" + UUID.randomUUID();
    private Duration leaseDuration = DEFAULT_LEASE_DURATION;
    private Duration leaseRenewInterval = DEFAULT_RENEW_INTERVAL;

    private Builder(KubernetesClient client, String namespace, String frameworkName) {
      this.client = client;
      this.namespace = namespace;
      this.frameworkName = frameworkName;
    }

    /** Mesos roles to be offered resources for. */
    public Builder roles(String... roles) {
      this.roles = List.of(roles);
      return this;
    }

    /** Mesos capabilities the framework declares. */
    public Builder capabilities(FrameworkCapability... capabilities) {
      this.capabilities = List.of(capabilities);
      return this;
    }

    /** Seconds the tasks keep running after the scheduler stops renewing its Lease. */
    public Builder failoverTimeoutSeconds(long seconds) {
      this.failoverTimeoutSeconds = seconds;
      return this;
    }

    /** Default OS user of the framework's tasks. */
    public Builder user(String user) {
      this.user = user;
      return this;
    }

    /** Holder identity of this scheduler instance in the Lease; random unless set. */
    public Builder instanceId(String instanceId) {
      this.instanceId = instanceId;
      return this;
    }

    /** How long the Lease proves the scheduler connected after a renewal (whole seconds). */
    public Builder leaseDuration(Duration leaseDuration) {
      this.leaseDuration = leaseDuration;
      return this;
    }

    /** How often the Lease is renewed; shorter than the lease duration. */
    public Builder leaseRenewInterval(Duration leaseRenewInterval) {
      this.leaseRenewInterval = leaseRenewInterval;
      return this;
    }

    /** The validated configuration. */
    public SchedulerConfig build() {
      return new SchedulerConfig(
          client,
          namespace,
          frameworkName,
          roles,
          capabilities,
          failoverTimeoutSeconds,
          user,
          instanceId,
          leaseDuration,
          leaseRenewInterval);
    }
  }
}
