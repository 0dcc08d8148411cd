package io.mesokube.e2e.controlplane;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kubernetes control plane on 127.0.0.1: etcd, kube-apiserver (client-certificate
 * authentication, Node and RBAC authorization), kube-controller-manager with every controller
 * (garbage collection, namespace deletion, service accounts ...) and optionally kube-scheduler,
 * each a local process. Start with {@link #start(ControlPlaneConfig)}; {@link #close()} stops
 * everything in reverse order. Components can be stopped and started again (same ports, same data)
 * for fault injection.
 */
public final class ControlPlane implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);
  private static final Duration KUBECTL_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration HELM_TIMEOUT = Duration.ofMinutes(10);

  private final ControlPlaneConfig config;
  private final Binaries binaries;
  private final WorkDir dir;
  private final Ports ports;
  private final ClusterPki pki;
  private final HealthProbe probe;
  private final Supervisor supervisor;
  private final Reaper reaper;
  private final NodeHost nodeHost;
  private final ApiServerForwarder forwarder;
  private final Thread shutdownHook;
  private volatile boolean keepWorkDir;
  private volatile Duration startDuration = Duration.ZERO;
  private boolean closed;

  private ControlPlane(ControlPlaneConfig config, Binaries binaries, WorkDir dir) {
    this.config = config;
    this.binaries = binaries;
    this.dir = dir;
    this.ports = Ports.allocate();
    this.pki = ClusterPki.generate(dir, apiServerUrl(), config.node());
    this.probe = new HealthProbe(pki.caCertificate(), pki.admin());
    this.nodeHost = config.node() ? NodeHost.prepare(dir, ports, binaries) : null;
    this.forwarder =
        config.node() ? ApiServerForwarder.start(NodeHost.NODE_IP, ports.apiServer()) : null;
    this.supervisor =
        new Supervisor(
            config, binaries, dir, new ComponentArgs(dir, ports), probe, this::componentReady);
    this.reaper = Reaper.start(dir, config.stopGracePeriod());
    this.keepWorkDir = config.keepWorkDir();
    this.shutdownHook = new Thread(this::close, "mesokube-controlplane-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Locates the binaries, then starts every configured component and waits until ready. */
  public static ControlPlane start(ControlPlaneConfig config) {
    return start(config, Binaries.locate(config));
  }

  /** Starts every configured component with the given binaries and waits until all are ready. */
  public static ControlPlane start(ControlPlaneConfig config, Binaries binaries) {
    long begin = System.nanoTime();
    var dir = new WorkDir(createWorkDir(config.workDirParent()));
    LOG.info("starting a control plane in {}", dir.root());
    var controlPlane = new ControlPlane(config, binaries, dir);
    try {
      controlPlane.supervisor.startAll();
      if (config.node()) {
        controlPlane.awaitNodeReady(config.startTimeout());
      }
    } catch (RuntimeException e) {
      controlPlane.keepWorkDir = true;
      controlPlane.close();
      throw e;
    }
    controlPlane.startDuration = Duration.ofNanos(System.nanoTime() - begin);
    LOG.info(
        "control plane ready in {} ms at {}; kubeconfig {}",
        controlPlane.startDuration.toMillis(),
        controlPlane.apiServerUrl(),
        dir.adminKubeconfig());
    return controlPlane;
  }

  private void componentReady(Component component) {
    // Sandboxes need the pause image before the kubelet creates the first one.
    if (component == Component.CONTAINERD) {
      nodeHost.importPauseImage(binaries);
    }
  }

  /**
   * Waits until the node reports Ready (its runtime and network are up, and it registered).
   *
   * @throws ControlPlaneStartException with the kubelet's log tail when it does not in time
   */
  public void awaitNodeReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "not registered";
    try (var client = newClient()) {
      while (System.nanoTime() < deadline) {
        var node = client.nodes().withName(NodeHost.NODE_NAME).get();
        if (node != null && node.getStatus() != null && node.getStatus().getConditions() != null) {
          var ready =
              node.getStatus().getConditions().stream()
                  .filter(c -> "Ready".equals(c.getType()))
                  .findFirst();
          if (ready.isPresent() && "True".equals(ready.get().getStatus())) {
            LOG.info("node {} is Ready", NodeHost.NODE_NAME);
            return;
          }
          last = ready.map(c -> c.getReason() + ": " + c.getMessage()).orElse("no Ready condition");
        }
        Thread.sleep(250);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the node", e);
    }
    throw new ControlPlaneStartException(
        Component.KUBELET,
        "node %s not Ready after %s (%s); kubelet log %s:%n%s"
            .formatted(
                NodeHost.NODE_NAME,
                timeout,
                last,
                dir.log(Component.KUBELET),
                LogTail.lastLines(dir.log(Component.KUBELET), 40)));
  }

  /** The node's name, when this control plane runs one. */
  public String nodeName() {
    requireNode();
    return NodeHost.NODE_NAME;
  }

  /**
   * The node's InternalIP: where the API server reaches the kubelet and where pods on the host's
   * network are reached.
   */
  public String nodeIp() {
    requireNode();
    return NodeHost.NODE_IP;
  }

  /**
   * The API server's URL for the node's pods, on the node's address (forwarded to 127.0.0.1; its
   * serving certificate names that address too): pods cannot reach this machine's loopback, and the
   * test node has no kube-proxy for the {@code kubernetes} Service.
   */
  public URI apiServerUrlForPods() {
    requireNode();
    return URI.create("https://" + NodeHost.NODE_IP + ":" + ports.apiServer());
  }

  /** The node's containerd socket (for {@code ctr --address}). */
  public Path containerdSocket() {
    requireNode();
    return NodeHost.containerdSocket();
  }

  private void requireNode() {
    if (nodeHost == null) {
      throw new IllegalStateException(
          "this control plane runs no node (-D" + ControlPlaneConfig.NODE_PROPERTY + "=true)");
    }
  }

  /** The API server's URL, https://127.0.0.1:port. */
  public URI apiServerUrl() {
    return URI.create("https://127.0.0.1:" + ports.apiServer());
  }

  /** The admin kubeconfig (user mesokube-admin in group system:masters). */
  public Path kubeconfig() {
    return dir.adminKubeconfig();
  }

  /** The work directory: certificates, kubeconfigs, etcd data and {@code logs/}. */
  public Path workDir() {
    return dir.root();
  }

  /** The log file of a component (stdout and stderr; restarts append). */
  public Path log(Component component) {
    return dir.log(component);
  }

  /** The binaries in use. */
  public Binaries binaries() {
    return binaries;
  }

  /** The loopback ports in use. */
  public Ports ports() {
    return ports;
  }

  /** The components this control plane runs, in start order. */
  public List<Component> components() {
    return config.components();
  }

  /** How long {@link #start(ControlPlaneConfig)} took, binaries lookup excluded. */
  public Duration startDuration() {
    return startDuration;
  }

  /** A new admin client; the caller closes it. */
  public KubernetesClient newClient() {
    return newClient(kubeconfig(), null);
  }

  /**
   * Writes a kubeconfig for {@code user} in {@code groups}, authenticated by a fresh client
   * certificate from the cluster CA; RBAC then decides what the user may do.
   */
  public Path kubeconfigFor(String user, String... groups) {
    var file = dir.kubeconfig("user-" + UUID.randomUUID());
    return pki.writeKubeconfig(file, apiServerUrl(), user, List.of(groups));
  }

  /** A client for {@code user} in {@code groups} (see {@link #kubeconfigFor}); caller closes. */
  public KubernetesClient clientFor(String user, String... groups) {
    return newClient(kubeconfigFor(user, groups), null);
  }

  /** A client from a kubeconfig file, with a default namespace if not null; caller closes. */
  static KubernetesClient newClient(Path kubeconfig, String namespace) {
    var clientConfig = Config.fromKubeconfig(kubeconfig.toFile());
    if (namespace != null) {
      clientConfig.setNamespace(namespace);
    }
    return new KubernetesClientBuilder().withConfig(clientConfig).build();
  }

  /** Runs the built kubectl with the admin kubeconfig. */
  public KubectlResult kubectl(String... kubectlArgs) {
    return kubectlWithInput(null, kubectlArgs);
  }

  /** Runs the built kubectl with the admin kubeconfig, feeding {@code stdin} (e.g. -f -). */
  public KubectlResult kubectlWithInput(String stdin, String... kubectlArgs) {
    return new KubeCommand(binaries.kubectl(), kubeconfig(), scratch(), KUBECTL_TIMEOUT)
        .run(stdin, List.of(kubectlArgs));
  }

  /**
   * Runs helm (built from its module by {@code build.sh helm} on first use, or {@code
   * -Dmesokube.helm}) with the admin kubeconfig. Ten minutes at most: an install may {@code
   * --wait}.
   */
  public KubectlResult helm(String... helmArgs) {
    return new KubeCommand(HelmBinary.path(), kubeconfig(), scratch(), HELM_TIMEOUT)
        .run(null, List.of(helmArgs));
  }

  private Path scratch() {
    return dir.root().resolve("tmp");
  }

  /**
   * {@code kubectl apply -f -} of {@code yaml}, as a user would, in {@code namespace} unless null.
   *
   * @throws IllegalStateException with kubectl's message when the API server refuses it
   */
  public void applyOk(String namespace, String yaml) {
    List<String> args = new java.util.ArrayList<>();
    if (namespace != null) {
      args.add("--namespace=" + namespace);
    }
    args.addAll(List.of("apply", "-f", "-"));
    KubectlResult result = kubectlWithInput(yaml, args.toArray(String[]::new));
    if (!result.succeeded()) {
      throw new IllegalStateException("kubectl apply failed: " + result.stderr());
    }
  }

  /** Stops one component (SIGTERM, then SIGKILL after the grace period); no-op if stopped. */
  public void stop(Component component) {
    supervisor.stop(component);
  }

  /** Kills one component with SIGKILL, as a crash would; no-op if stopped. */
  public void kill(Component component) {
    supervisor.kill(component);
  }

  /** Starts a stopped component again (same ports, same data) and waits until it is ready. */
  public synchronized void start(Component component) {
    if (closed) {
      throw new IllegalStateException("the control plane is closed");
    }
    supervisor.start(component);
  }

  /**
   * Waits until every running component is ready again, e.g. kube-apiserver's /readyz after etcd
   * came back; throws {@link ControlPlaneStartException} after the start timeout.
   */
  public void awaitReady() {
    supervisor.awaitReady();
  }

  /** Whether a component's process is running. */
  public boolean isRunning(Component component) {
    return supervisor.isRunning(component);
  }

  /** The pid of a component's process, while it has one. */
  public OptionalLong pid(Component component) {
    return supervisor.pid(component);
  }

  /** Keeps the work dir (logs, data) after {@link #close()}; the extension calls it on failure. */
  public void keepWorkDir() {
    keepWorkDir = true;
  }

  /** Stops every component in reverse start order, then removes the work dir unless kept. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    supervisor.stopAll();
    if (forwarder != null) {
      forwarder.close();
    }
    if (nodeHost != null) {
      nodeHost.teardown();
    }
    reaper.close();
    probe.close();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // Called from the hook itself: nothing to remove.
    }
    if (keepWorkDir) {
      LOG.info("control plane stopped; work dir kept: {}", dir.root());
    } else {
      deleteRecursively(dir.root());
      LOG.info("control plane stopped");
    }
  }

  private static Path createWorkDir(Path parent) {
    try {
      Files.createDirectories(parent);
      return Files.createTempDirectory(parent, "mesokube-controlplane-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a work dir under " + parent, e);
    }
  }

  private static void deleteRecursively(Path root) {
    try (var paths = Files.walk(root)) {
      for (var path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      LOG.warn("could not remove the work dir {}: {}", root, e.toString());
    }
  }
}
