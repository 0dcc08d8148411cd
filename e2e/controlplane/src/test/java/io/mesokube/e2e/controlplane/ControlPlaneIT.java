package io.mesokube.e2e.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The shared control plane behaves as a real cluster: controllers, RBAC, kubectl, restarts. */
@ExtendWith(ControlPlaneExtension.class)
class ControlPlaneIT {

  private static final Duration CONTROLLER_TIMEOUT = Duration.ofSeconds(60);

  @Test
  void apiServerIsReady(TestCluster cluster) {
    assertThat(cluster.client().raw("/readyz")).isEqualTo("ok");
    assertThat(cluster.client().getKubernetesVersion().getGitVersion()).startsWith("v1.");
  }

  @Test
  void eachTestGetsItsOwnNamespace(TestCluster cluster) {
    assertThat(cluster.namespace()).startsWith("t-eachtestgetsitsownnamespace-");
    assertThat(cluster.client().namespaces().withName(cluster.namespace()).get()).isNotNull();
    assertThat(cluster.client().getNamespace()).isEqualTo(cluster.namespace());
  }

  @Test
  void namespaceControllerRemovesDeletedNamespaces(TestCluster cluster) {
    var client = cluster.client();
    var name = cluster.namespace() + "-extra";
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    client.configMaps().inNamespace(name).resource(configMap("content", Map.of())).create();

    client.namespaces().withName(name).delete();

    // Only kube-controller-manager's namespace controller empties it and drops the finalizer.
    await()
        .atMost(CONTROLLER_TIMEOUT)
        .untilAsserted(
            () -> assertThat(client.resources(Namespace.class).withName(name).get()).isNull());
  }

  @Test
  void garbageCollectorDeletesDependents(TestCluster cluster) {
    var configMaps = cluster.client().configMaps();
    var owner = configMaps.resource(configMap("owner", Map.of())).create();
    var dependent =
        new ConfigMapBuilder(configMap("dependent", Map.of()))
            .editMetadata()
            .addNewOwnerReference()
            .withApiVersion("v1")
            .withKind("ConfigMap")
            .withName(owner.getMetadata().getName())
            .withUid(owner.getMetadata().getUid())
            .endOwnerReference()
            .endMetadata()
            .build();
    configMaps.resource(dependent).create();

    configMaps.withName("owner").delete();

    await()
        .atMost(CONTROLLER_TIMEOUT)
        .untilAsserted(() -> assertThat(configMaps.withName("dependent").get()).isNull());
  }

  @Test
  void rbacRefusesUsersWithoutBindingsAndAdmitsBoundOnes(TestCluster cluster) {
    var stranger = cluster.clientFor("stranger");
    assertThatThrownBy(() -> stranger.configMaps().list())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));

    var reader = cluster.clientFor("reader");
    cluster
        .client()
        .rbac()
        .roles()
        .resource(
            new RoleBuilder()
                .withNewMetadata()
                .withName("read-configmaps")
                .endMetadata()
                .addNewRule()
                .withApiGroups("")
                .withResources("configmaps")
                .withVerbs("get", "list")
                .endRule()
                .build())
        .create();
    cluster
        .client()
        .rbac()
        .roleBindings()
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName("reader")
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", "read-configmaps")
                .addNewSubject()
                .withApiGroup("rbac.authorization.k8s.io")
                .withKind("User")
                .withName("reader")
                .endSubject()
                .build())
        .create();

    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptionsInstanceOf(KubernetesClientException.class)
        .untilAsserted(() -> assertThat(reader.configMaps().list().getItems()).isNotNull());
    assertThatThrownBy(() -> reader.configMaps().resource(configMap("nope", Map.of())).create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
    assertThatThrownBy(() -> reader.configMaps().inNamespace("kube-system").list())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
  }

  @Test
  void kubectlRunsWithTheAdminKubeconfig(TestCluster cluster) {
    var result = cluster.controlPlane().kubectl("get", "namespaces", "-o", "name");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout())
        .contains("namespace/kube-system", "namespace/" + cluster.namespace());

    var applied =
        cluster
            .controlPlane()
            .kubectlWithInput(
                """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: applied
                data:
                  answer: "42"
                """,
                "apply",
                "--namespace=" + cluster.namespace(),
                "-f",
                "-");
    assertThat(applied.succeeded()).as(applied.stderr()).isTrue();
    assertThat(
            cluster
                .kubectl("get", "configmap", "applied", "-o", "jsonpath={.data.answer}")
                .stdout())
        .isEqualTo("42");
    assertThat(cluster.kubectl("get", "configmap", "missing").exitCode()).isNotZero();
  }

  @Test
  void apiServerRestartKeepsData(TestCluster cluster) {
    var controlPlane = cluster.controlPlane();
    cluster.client().configMaps().resource(configMap("survivor", Map.of("k", "v"))).create();
    long oldPid = controlPlane.pid(Component.KUBE_APISERVER).orElseThrow();

    controlPlane.stop(Component.KUBE_APISERVER);
    assertThat(controlPlane.isRunning(Component.KUBE_APISERVER)).isFalse();
    assertThat(ProcessHandle.of(oldPid).filter(ProcessHandle::isAlive)).isEmpty();
    assertThat(controlPlane.kubectl("get", "namespaces").exitCode()).isNotZero();

    controlPlane.start(Component.KUBE_APISERVER);

    assertThat(controlPlane.isRunning(Component.KUBE_APISERVER)).isTrue();
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(cluster.client().configMaps().withName("survivor").get().getData())
                    .containsEntry("k", "v"));
  }

  @Test
  void crdInstallerWaitsUntilTheCrdIsEstablished(TestCluster cluster, @TempDir Path dir)
      throws IOException {
    var group = cluster.namespace() + ".example.io";
    Files.writeString(
        dir.resolve("widgets.yaml"),
        """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.%1$s
        spec:
          group: %1$s
          scope: Namespaced
          names: {plural: widgets, singular: widget, kind: Widget}
          versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec: {type: object, properties: {size: {type: integer}}}
        """
            .formatted(group));

    var names = CrdInstaller.install(cluster.client(), dir, Duration.ofSeconds(30));

    assertThat(names).containsExactly("widgets." + group);
    var widget =
        new GenericKubernetesResourceBuilder()
            .withApiVersion(group + "/v1")
            .withKind("Widget")
            .withNewMetadata()
            .withName("w")
            .endMetadata()
            .addToAdditionalProperties("spec", Map.of("size", 3))
            .build();
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptionsInstanceOf(KubernetesClientException.class)
        .untilAsserted(() -> assertThat(cluster.client().resource(widget).create()).isNotNull());
    cluster
        .client()
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName(names.getFirst())
        .delete();
  }

  private static ConfigMap configMap(String name, Map<String, String> data) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withData(data)
        .build();
  }
}
