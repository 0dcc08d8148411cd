package io.mesokube.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every setting of the Mesokube operator, under the {@code mesokube.} prefix (environment: {@code
 * MESOKUBE_...}). The defaults are Mesos' master flags where Mesos has one.
 */
@ConfigMapping(prefix = "mesokube")
public interface MesokubeConfig {

  /** Allocation and offers. */
  Allocation allocation();

  /** Leader election among operator replicas. */
  Leader leader();

  /** Agent liveness. */
  Agents agents();

  /** Allocation settings (Mesos {@code --allocation_interval}, {@code --offer_timeout} ...). */
  interface Allocation {
    /**
     * Time between allocation cycles; events arriving in between are batched into the next cycle.
     * Mesos' default is 1 s; a lower value makes offers arrive sooner at more CPU cost.
     */
    @WithDefault("200ms")
    Duration interval();

    /** Time after which an unanswered offer is rescinded (Mesos {@code --offer_timeout}). */
    @WithDefault("30s")
    Duration offerTimeout();

    /**
     * Alternatives of which an offer must contain at least one, Mesos syntax ({@code
     * --min_allocatable_resources}).
     */
    @WithDefault("cpus:0.01|mem:32")
    String minAllocatableResources();

    /** Seed of the per-cycle agent shuffle; absent means a random seed per process. */
    Optional<Long> seed();
  }

  /** Leader election through a Kubernetes Lease. */
  interface Leader {
    /** Name of the Lease. */
    @WithDefault("mesokube-operator")
    String leaseName();

    /** Namespace of the Lease; defaults to the operator's own namespace. */
    @WithDefault("mesokube-system")
    String leaseNamespace();

    /**
     * How long a leader's Lease is valid without renewal. With 3 s (and the renew deadline and
     * retry period below) a follower takes over at most about 3.5 s after the leader dies, within
     * the 4 s target, at the cost of one Lease write per retry period (2 per second).
     */
    @WithDefault("3s")
    Duration leaseDuration();

    /** How long the leader keeps trying to renew before it gives up leading. */
    @WithDefault("2s")
    Duration renewDeadline();

    /** Interval between attempts to acquire or renew the Lease. */
    @WithDefault("500ms")
    Duration retryPeriod();

    /** This replica's identity in the Lease; defaults to the host name and process id. */
    Optional<String> identity();
  }

  /** Agent liveness (Mesos {@code --agent_reregister_timeout} and friends). */
  interface Agents {
    /**
     * Time without a heartbeat (a renewal of the agent's Lease) after which an agent is
     * unreachable: it is no longer offered, and its tasks go TASK_UNREACHABLE (PARTITION_AWARE
     * frameworks) or TASK_LOST. Never shorter than the agent's own Lease duration. Mesos took 75 s.
     */
    @WithDefault("30s")
    Duration unreachableTimeout();

    /**
     * Time an agent stays unreachable, from when it was marked so, before it is gone: its tasks go
     * TASK_GONE, its resources are released, and its agent id is refused from then on.
     */
    @WithDefault("10m")
    Duration goneTimeout();

    /** Namespace of the agents' heartbeat Leases. */
    @WithDefault("mesokube-system")
    String leaseNamespace();
  }

  /** Namespaces whose Frameworks, Offers and Tasks the operator serves; empty means all. */
  Optional<List<String>> namespaces();
}
