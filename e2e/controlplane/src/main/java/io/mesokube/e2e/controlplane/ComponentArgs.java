package io.mesokube.e2e.controlplane;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The command-line flags of each component. Everything listens on 127.0.0.1 only, on the ports in
 * {@link Ports}; every file lives under the {@link WorkDir}.
 */
final class ComponentArgs {

  private static final String LOOPBACK = "127.0.0.1";

  private final WorkDir dir;
  private final Ports ports;

  ComponentArgs(WorkDir dir, Ports ports) {
    this.dir = dir;
    this.ports = ports;
  }

  /** The endpoint that answers HTTP 200 once the component is ready. */
  URI healthUrl(Component component) {
    return URI.create(
        switch (component) {
          case ETCD -> "http://%s:%d/health".formatted(LOOPBACK, ports.etcdClient());
          case KUBE_APISERVER -> "https://%s:%d/readyz".formatted(LOOPBACK, ports.apiServer());
          case KUBE_CONTROLLER_MANAGER ->
              "https://%s:%d/healthz".formatted(LOOPBACK, ports.controllerManager());
          case KUBE_SCHEDULER -> "https://%s:%d/healthz".formatted(LOOPBACK, ports.scheduler());
          case CONTAINERD ->
              "http://%s:%d/v1/metrics".formatted(LOOPBACK, ports.containerdMetrics());
          case KUBELET -> "http://%s:%d/healthz".formatted(LOOPBACK, ports.kubeletHealthz());
        });
  }

  /** The component's flags, followed by the extra ones configured for it. */
  List<String> of(Component component, List<String> extra) {
    var args =
        new ArrayList<>(
            switch (component) {
              case ETCD -> etcd();
              case KUBE_APISERVER -> apiServer();
              case KUBE_CONTROLLER_MANAGER -> controllerManager();
              case KUBE_SCHEDULER -> scheduler();
              case CONTAINERD -> List.of("--config=" + NodeHost.containerdConfig(dir));
              case KUBELET -> kubelet();
            });
    args.addAll(extra);
    return args;
  }

  private List<String> etcd() {
    var client = "http://%s:%d".formatted(LOOPBACK, ports.etcdClient());
    var peer = "http://%s:%d".formatted(LOOPBACK, ports.etcdPeer());
    return List.of(
        "--name=mesokube",
        "--data-dir=" + dir.etcdData(),
        "--listen-client-urls=" + client,
        "--advertise-client-urls=" + client,
        "--listen-peer-urls=" + peer,
        "--initial-advertise-peer-urls=" + peer,
        "--initial-cluster=mesokube=" + peer,
        // A test cluster: losing the last writes on a host crash is fine, fsync latency is not.
        "--unsafe-no-fsync=true",
        "--log-level=warn");
  }

  private List<String> apiServer() {
    return List.of(
        "--etcd-servers=http://%s:%d".formatted(LOOPBACK, ports.etcdClient()),
        "--bind-address=" + LOOPBACK,
        "--advertise-address=" + LOOPBACK,
        // The lease reconciler refuses a loopback advertise address; "none" only leaves the
        // default/kubernetes Service without endpoints, which nothing outside a pod uses.
        "--endpoint-reconciler-type=none",
        "--secure-port=" + ports.apiServer(),
        "--tls-cert-file=" + dir.pki("apiserver.crt"),
        "--tls-private-key-file=" + dir.pki("apiserver.key"),
        "--client-ca-file=" + dir.pki("ca.crt"),
        "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
        "--service-account-key-file=" + dir.pki("sa.pub"),
        "--service-account-signing-key-file=" + dir.pki("sa.key"),
        "--service-cluster-ip-range=" + ClusterPki.SERVICE_CLUSTER_IP_RANGE,
        "--authorization-mode=Node,RBAC",
        // Request-header authentication, as kubeadm sets it up: it enables the aggregation
        // layer and gives the other components the CA bundle they look up at start.
        "--requestheader-client-ca-file=" + dir.pki("ca.crt"),
        "--requestheader-allowed-names=" + ClusterPki.FRONT_PROXY_CLIENT,
        "--requestheader-username-headers=X-Remote-User",
        "--requestheader-group-headers=X-Remote-Group",
        "--requestheader-extra-headers-prefix=X-Remote-Extra-",
        "--proxy-client-cert-file=" + dir.pki("front-proxy-client.crt"),
        "--proxy-client-key-file=" + dir.pki("front-proxy-client.key"),
        "--allow-privileged=true",
        // How it reaches the test node's kubelet (logs, exec, port-forward): by the node's
        // InternalIP, with a client certificate, verifying the kubelet's serving certificate.
        "--kubelet-client-certificate=" + dir.pki("apiserver-kubelet-client.crt"),
        "--kubelet-client-key=" + dir.pki("apiserver-kubelet-client.key"),
        "--kubelet-certificate-authority=" + dir.pki("ca.crt"),
        "--kubelet-preferred-address-types=InternalIP",
        // Without a watch grace period, SIGTERM waits 60 s for open watches (e.g. those of
        // kube-controller-manager) to end; with one, they are closed, and it exits in seconds.
        "--shutdown-watch-termination-grace-period=2s",
        "--profiling=false");
  }

  private List<String> controllerManager() {
    var kubeconfig = dir.kubeconfig(Component.KUBE_CONTROLLER_MANAGER.binary()).toString();
    return List.of(
        "--kubeconfig=" + kubeconfig,
        "--authentication-kubeconfig=" + kubeconfig,
        "--authorization-kubeconfig=" + kubeconfig,
        "--bind-address=" + LOOPBACK,
        "--secure-port=" + ports.controllerManager(),
        "--tls-cert-file=" + dir.pki("loopback-serving.crt"),
        "--tls-private-key-file=" + dir.pki("loopback-serving.key"),
        "--client-ca-file=" + dir.pki("ca.crt"),
        "--controllers=*",
        "--use-service-account-credentials=true",
        "--service-account-private-key-file=" + dir.pki("sa.key"),
        "--root-ca-file=" + dir.pki("ca.crt"),
        "--cluster-signing-cert-file=" + dir.pki("ca.crt"),
        "--cluster-signing-key-file=" + dir.pki("ca.key"),
        "--service-cluster-ip-range=" + ClusterPki.SERVICE_CLUSTER_IP_RANGE,
        // One instance per control plane: leader election would only delay the start.
        "--leader-elect=false",
        "--profiling=false");
  }

  private List<String> kubelet() {
    return List.of(
        "--config=" + NodeHost.kubeletConfig(dir),
        "--kubeconfig=" + dir.kubeconfig(Component.KUBELET.binary()),
        "--root-dir=" + NodeHost.kubeletRoot(),
        "--hostname-override=" + NodeHost.NODE_NAME,
        "--node-ip=" + NodeHost.NODE_IP);
  }

  private List<String> scheduler() {
    var kubeconfig = dir.kubeconfig(Component.KUBE_SCHEDULER.binary()).toString();
    return List.of(
        "--kubeconfig=" + kubeconfig,
        "--authentication-kubeconfig=" + kubeconfig,
        "--authorization-kubeconfig=" + kubeconfig,
        "--bind-address=" + LOOPBACK,
        "--secure-port=" + ports.scheduler(),
        "--tls-cert-file=" + dir.pki("loopback-serving.crt"),
        "--tls-private-key-file=" + dir.pki("loopback-serving.key"),
        "--client-ca-file=" + dir.pki("ca.crt"),
        "--leader-elect=false",
        "--profiling=false");
  }
}
