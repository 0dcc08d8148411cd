package io.mesokube.e2e.controlplane;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a test method gets from {@link ControlPlaneExtension}: the shared control plane, a namespace
 * of its own and an admin client whose default namespace is that one. Clients it hands out are
 * closed, and the namespace deleted (not waited on), after the test.
 */
public final class TestCluster implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TestCluster.class);

  private final ControlPlane controlPlane;
  private final String namespace;
  private final KubernetesClient client;
  private final List<KubernetesClient> otherClients = new ArrayList<>();

  TestCluster(ControlPlane controlPlane, String namespace, KubernetesClient client) {
    this.controlPlane = controlPlane;
    this.namespace = namespace;
    this.client = client;
  }

  /** An admin client (group system:masters) whose default namespace is {@link #namespace()}. */
  public KubernetesClient client() {
    return client;
  }

  /** This test's namespace, created before it and deleted after it. */
  public String namespace() {
    return namespace;
  }

  /** The shared control plane: kubeconfig, kubectl, logs, component stop and start. */
  public ControlPlane controlPlane() {
    return controlPlane;
  }

  /**
   * A client authenticated as {@code user} in {@code groups} by a client certificate, with no RBAC
   * grant of its own; default namespace {@link #namespace()}. Closed after the test.
   */
  public synchronized KubernetesClient clientFor(String user, String... groups) {
    var userClient = ControlPlane.newClient(controlPlane.kubeconfigFor(user, groups), namespace);
    otherClients.add(userClient);
    return userClient;
  }

  /** Runs kubectl with the admin kubeconfig and {@code --namespace} set to this test's. */
  public KubectlResult kubectl(String... args) {
    var withNamespace = new String[args.length + 1];
    withNamespace[0] = "--namespace=" + namespace;
    System.arraycopy(args, 0, withNamespace, 1, args.length);
    return controlPlane.kubectl(withNamespace);
  }

  /** Deletes the namespace without waiting, then closes the clients. */
  @Override
  public synchronized void close() {
    try {
      client.namespaces().withName(namespace).delete();
    } catch (RuntimeException e) {
      // The API server may be stopped by a fault-injection test; the namespace is disposable.
      LOG.warn("could not delete test namespace {}: {}", namespace, e.toString());
    }
    otherClients.forEach(KubernetesClient::close);
    client.close();
  }
}
