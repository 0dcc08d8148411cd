package io.mesokube.e2e.controlplane;

import io.mesokube.e2e.controlplane.pki.CertificateAuthority;
import io.mesokube.e2e.controlplane.pki.IssuedCertificate;
import io.mesokube.e2e.controlplane.pki.Pem;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;

/**
 * The certificates of one control plane, written under {@link WorkDir#pki()}: a CA, the API
 * server's serving certificate, the service-account signing key, the front-proxy client
 * certificate, a serving certificate for the other components, and client certificates plus
 * kubeconfigs for the admin, kube-controller-manager and kube-scheduler.
 */
final class ClusterPki {

  /** The admin user; {@code system:masters} is bound to cluster-admin by RBAC's bootstrap. */
  static final String ADMIN_USER = "mesokube-admin";

  /** First address of the service range given to kube-apiserver (the "kubernetes" Service). */
  static final String SERVICE_CLUSTER_IP_RANGE = "10.0.0.0/24";

  /** The identity kube-apiserver presents to aggregated API servers (request-header auth). */
  static final String FRONT_PROXY_CLIENT = "front-proxy-client";

  private static final String KUBERNETES_SERVICE_IP = "10.0.0.1";

  private final CertificateAuthority ca;
  private final IssuedCertificate admin;

  private ClusterPki(CertificateAuthority ca, IssuedCertificate admin) {
    this.ca = ca;
    this.admin = admin;
  }

  /** The group of every kubelet's identity ({@code system:node:<name>}). */
  static final String NODES_GROUP = "system:nodes";

  /**
   * Generates every certificate and key file, and the kubeconfigs for the given API server; with a
   * node, the kubelet's client and serving certificates too.
   */
  static ClusterPki generate(WorkDir dir, URI apiServer, boolean node) {
    var ca = CertificateAuthority.create("mesokube-ca");
    var pki = new ClusterPki(ca, ca.issueClient(ADMIN_USER, List.of("system:masters")));
    ca.certificate().write(dir.pki("ca.crt"), dir.pki("ca.key"));
    // RSA key generation dominates; the keys are independent, so make them on every core.
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Runnable> tasks =
          List.of(
              () ->
                  ca.issueServer(
                          List.of(
                              "localhost",
                              "kubernetes",
                              "kubernetes.default",
                              "kubernetes.default.svc",
                              "kubernetes.default.svc.cluster.local"),
                          node
                              ? List.of(
                                  InetAddress.getLoopbackAddress(),
                                  address(KUBERNETES_SERVICE_IP),
                                  address(NodeHost.NODE_IP))
                              : List.of(
                                  InetAddress.getLoopbackAddress(), address(KUBERNETES_SERVICE_IP)))
                      .write(dir.pki("apiserver.crt"), dir.pki("apiserver.key")),
              () ->
                  ca.issueServer(List.of("localhost"), List.of(InetAddress.getLoopbackAddress()))
                      .write(dir.pki("loopback-serving.crt"), dir.pki("loopback-serving.key")),
              () ->
                  ca.issueClient(FRONT_PROXY_CLIENT, List.of())
                      .write(dir.pki("front-proxy-client.crt"), dir.pki("front-proxy-client.key")),
              // The API server's identity towards kubelets, as kubeadm's; the kubelet asks the
              // API server whether it may (webhook authorization).
              () ->
                  ca.issueClient("kube-apiserver-kubelet-client", List.of("system:masters"))
                      .write(
                          dir.pki("apiserver-kubelet-client.crt"),
                          dir.pki("apiserver-kubelet-client.key")),
              () -> {
                var serviceAccount = CertificateAuthority.newKeyPair();
                Pem.write(dir.pki("sa.key"), Pem.encode(serviceAccount.getPrivate()));
                Pem.write(dir.pki("sa.pub"), Pem.encode(serviceAccount.getPublic()));
              },
              () -> Kubeconfig.write(dir.adminKubeconfig(), apiServer, pki.caPem(), pki.admin),
              () ->
                  pki.writeKubeconfig(
                      dir.kubeconfig(Component.KUBE_CONTROLLER_MANAGER.binary()),
                      apiServer,
                      "system:kube-controller-manager",
                      List.of()),
              () ->
                  pki.writeKubeconfig(
                      dir.kubeconfig(Component.KUBE_SCHEDULER.binary()),
                      apiServer,
                      "system:kube-scheduler",
                      List.of()));
      var all = new ArrayList<Runnable>(tasks);
      if (node) {
        all.add(
            () ->
                pki.writeKubeconfig(
                    dir.kubeconfig(Component.KUBELET.binary()),
                    apiServer,
                    "system:node:" + NodeHost.NODE_NAME,
                    List.of(NODES_GROUP)));
        all.add(
            () ->
                ca.issueServer(List.of(NodeHost.NODE_NAME), List.of(address(NodeHost.NODE_IP)))
                    .write(dir.pki("kubelet-serving.crt"), dir.pki("kubelet-serving.key")));
      }
      var futures = all.stream().map(executor::submit).toList();
      for (var future : futures) {
        future.get();
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot generate the control plane's PKI", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while generating the PKI", e);
    }
    return pki;
  }

  /** The CA certificate as PEM text. */
  String caPem() {
    return ca.certificate().certificatePem();
  }

  /** The CA certificate. */
  X509Certificate caCertificate() {
    return ca.certificate().certificate();
  }

  /** The admin's client certificate (also in the admin kubeconfig). */
  IssuedCertificate admin() {
    return admin;
  }

  /** Issues a client certificate for a user and its groups. */
  IssuedCertificate issueClient(String user, List<String> groups) {
    return ca.issueClient(user, groups);
  }

  /** Writes a kubeconfig for a user authenticated by a fresh client certificate. */
  Path writeKubeconfig(Path file, URI apiServer, String user, List<String> groups) {
    return Kubeconfig.write(file, apiServer, caPem(), issueClient(user, groups));
  }

  private static InetAddress address(String ip) {
    try {
      return InetAddress.getByName(ip);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(ip, e);
    }
  }
}
