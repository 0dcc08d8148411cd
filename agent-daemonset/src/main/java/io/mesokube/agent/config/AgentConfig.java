package io.mesokube.agent.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every setting of the Mesokube agent, under {@code mesokube.agent.} (environment: {@code
 * MESOKUBE_AGENT_...}). Defaults follow Mesos' agent flags where Mesos has one.
 */
@ConfigMapping(prefix = "mesokube.agent")
public interface AgentConfig {

  /**
   * Name of the Agent object, one per node; defaults to the host name. In a DaemonSet pod this is
   * the node name from the downward API ({@code spec.nodeName}); as a local process, any DNS-1123
   * name.
   */
  Optional<String> name();

  /** Host name tasks and frameworks reach the agent by; defaults to the machine's. */
  Optional<String> hostname();

  /**
   * Directory of the agent's checkpoints and task sandboxes (Mesos {@code --work_dir}). A host path
   * in a DaemonSet, so tasks and their state outlive the agent's pod.
   */
  @WithDefault("/var/lib/mesokube/agent")
  Path stateDir();

  /** Base URL of this agent's HTTP API as others reach it; defaults to http://hostname:port. */
  Optional<String> endpoint();

  /** What the agent offers; the rest of the node stays with the kubelet. */
  Resources resources();

  /** Attributes for placement, e.g. {@code rack: r1} (Mesos {@code --attributes}). */
  Map<String, String> attributes();

  /** How tasks are isolated. */
  Isolation isolation();

  /** Heartbeat and status delivery. */
  Heartbeat heartbeat();

  /** Sandbox housekeeping. */
  Sandbox sandbox();

  /** Tasks that run in a container image. */
  Containers containers();

  /** Resources offered (Mesos {@code --resources}); absent values are discovered. */
  interface Resources {
    /** CPUs to offer; default: every CPU of the host. */
    Optional<Double> cpus();

    /** Memory to offer, MiB; default: total minus 1 GiB (half of it on hosts under 2 GiB). */
    Optional<Long> mem();

    /** Disk to offer, MiB; default: the state directory's file system minus 5 GiB (or half). */
    Optional<Long> disk();

    /** Port range to offer, Mesos' default {@code 31000-32000}. */
    @WithDefault("31000-32000")
    String ports();
  }

  /** Task isolation. */
  interface Isolation {
    /** cgroup hierarchy: auto, v1 or v2. */
    @WithDefault("auto")
    String cgroupVersion();

    /**
     * Root of the agent's cgroups, relative to each hierarchy; one agent per root, so several
     * agents on one host (the local cluster) do not touch each other's tasks.
     */
    @WithDefault("mesokube")
    String cgroupRoot();

    /** Hard CPU limit (CFS quota) as well as shares, as Mesos' {@code --cgroups_enable_cfs}. */
    @WithDefault("true")
    boolean cpuQuota();

    /** Maximum processes per task (pids controller); 0 for no limit. */
    @WithDefault("4096")
    long pidsLimit();

    /** User tasks run as when neither the task nor its framework names one. */
    @WithDefault("nobody")
    String defaultUser();

    /**
     * Mount namespace of command tasks, their supervisors, user lookups and command health checks:
     * a namespace file such as {@code /proc/1/ns/mnt}, entered with util-linux {@code nsenter}.
     * Absent: the agent's own, right for an agent run on the host. An agent in a pod (hostPID) sets
     * {@code /proc/1/ns/mnt}, so that tasks run on the host's file system rather than in the
     * agent's image, and never see the pod's ServiceAccount token. The state dir must then be the
     * same directory at the same path in both. Container tasks always start in the agent's own,
     * where their OCI runtime is. Checked at start-up; a bad value stops the agent.
     */
    Optional<Path> taskMountNamespace();

    /**
     * Whether a task without a container image may run as root (any uid-0 account) on this host,
     * for the roles whose RolePolicy allows root. Off by default: a host task as root is root on
     * the node. Root inside a container needs only the RolePolicy.
     */
    @WithDefault("false")
    boolean rootHostTasks();
  }

  /** Heartbeat Lease and status delivery to the API server. */
  interface Heartbeat {
    /**
     * Lease duration; the agent renews every third of it. The operator's unreachable timeout (30 s
     * by default) should be several times this.
     */
    @WithDefault("10s")
    Duration leaseDuration();

    /** Namespace of the heartbeat Lease. */
    @WithDefault("mesokube-system")
    String leaseNamespace();

    /** First retry delay of a status update the API server did not take; doubles up to max. */
    @WithDefault("500ms")
    Duration statusRetryMin();

    /** Longest delay between retries of one status update (Mesos retries every 10 min max). */
    @WithDefault("30s")
    Duration statusRetryMax();
  }

  /** Sandbox log rotation and garbage collection. */
  interface Sandbox {
    /** Size at which a task's stdout or stderr is rotated (Mesos' logrotate module: 10 MB). */
    @WithDefault("10M")
    MemorySize logMaxSize();

    /** Rotated files kept per stream; five copies bound a log to 60 MB. */
    @WithDefault("5")
    int logMaxFiles();

    /** Age after which a finished task's sandbox is removed (Mesos {@code --gc_delay}). */
    @WithDefault("7d")
    Duration gcDelay();

    /**
     * Fraction of the disk to keep free; when less is free, the oldest finished sandboxes go first
     * (Mesos {@code --gc_disk_headroom}).
     */
    @WithDefault("0.1")
    double gcDiskHeadroom();

    /** How often rotation and garbage collection run. */
    @WithDefault("30s")
    Duration housekeepingInterval();
  }

  /** Container images and the OCI runtime (Mesos' unified containerizer, docker images). */
  interface Containers {
    /** The OCI runtime: crun (a path, or a name in the standard directories). */
    @WithDefault("crun")
    String runtime();

    /** skopeo, which pulls images. */
    @WithDefault("skopeo")
    String skopeo();

    /** umoci, which unpacks them. */
    @WithDefault("umoci")
    String umoci();

    /** Registry of image references that name none (Mesos {@code --docker_registry}). */
    @WithDefault("docker.io")
    String defaultRegistry();

    /**
     * Registries reached over plain HTTP or without verifying TLS: {@code host[:port]} or CIDR
     * blocks of IP addresses. Loopback by default, as Docker's daemon does.
     */
    @WithDefault("127.0.0.0/8")
    Set<String> insecureRegistries();

    /**
     * CIDR blocks no registry may be in: an image whose registry's address (literal, or any its
     * name resolves to) is in one is refused, TASK_ERROR with REASON_TASK_UNAUTHORIZED. Link-local
     * by default, where cloud metadata services answer; add the cluster's service and pod ranges to
     * keep tenants' image references off them.
     */
    @WithDefault("169.254.0.0/16,fe80::/10")
    Set<String> deniedRegistryNetworks();

    /** The longest an image pull (and unpack) may take. */
    @WithDefault("10m")
    Duration pullTimeout();

    /**
     * How often a pull tells its tasks how far it got (a {@code TASK_STARTING} update with the
     * bytes received), so that a long pull shows it advances.
     */
    @WithDefault("10s")
    Duration pullProgressInterval();

    /**
     * Size of the image cache (pulled layers and unpacked root filesystems) that housekeeping keeps
     * to, removing least recently used images no task runs.
     */
    @WithDefault("10G")
    MemorySize cacheSize();
  }
}
