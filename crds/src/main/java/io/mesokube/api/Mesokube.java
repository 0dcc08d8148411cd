package io.mesokube.api;

/** The names of the mesokube.io API: group, version, kinds, labels and annotations. */
public final class Mesokube {
  /** API group of every Mesokube kind. */
  public static final String GROUP = "mesokube.io";

  /** The only served (and stored) version. */
  public static final String VERSION = "v1alpha1";

  /** {@code apiVersion} of every Mesokube object. */
  public static final String API_VERSION = GROUP + "/" + VERSION;

  /** The kubectl category: {@code kubectl get mesokube} lists every kind. */
  public static final String CATEGORY = "mesokube";

  /** Label on Offers and Tasks: the name of their Framework. */
  public static final String LABEL_FRAMEWORK = GROUP + "/framework";

  /** Label on Offers and Tasks: the name of the Agent they are bound to. */
  public static final String LABEL_AGENT = GROUP + "/agent";

  /** Label on objects the operator or agents create: which component manages them. */
  public static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";

  /** Value of {@link #LABEL_MANAGED_BY} for objects Mesokube creates. */
  public static final String MANAGED_BY = "mesokube";

  /** Prefix of the Lease a framework's scheduler renews to prove it is connected. */
  public static final String FRAMEWORK_LEASE_PREFIX = "mesokube-fw-";

  /** Name of the Lease the scheduler of {@code framework} renews, in the framework's namespace. */
  public static String frameworkLeaseName(String framework) {
    return FRAMEWORK_LEASE_PREFIX + framework;
  }

  /** Prefix of the heartbeat Lease an agent renews (like kube-node-lease), holder = agent id. */
  public static final String AGENT_LEASE_PREFIX = "mesokube-agent-";

  /** Name of the heartbeat Lease of {@code agent}, in the agents' Lease namespace. */
  public static String agentLeaseName(String agent) {
    return AGENT_LEASE_PREFIX + agent;
  }

  /** Namespace of the operator's and agents' Leases unless configured otherwise. */
  public static final String SYSTEM_NAMESPACE = "mesokube-system";

  /** The Mesos default role, which every framework may use unless a policy says otherwise. */
  public static final String DEFAULT_ROLE = "*";

  private Mesokube() {}
}
