package io.mesokube.api.v1alpha1;

import static io.mesokube.api.v1alpha1.Manifests.applyOk;
import static io.mesokube.api.v1alpha1.Manifests.patchStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.mesokube.api.Mesokube;
import io.mesokube.api.v1alpha1.framework.Framework;
import io.mesokube.api.v1alpha1.offer.Offer;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.api.v1alpha1.task.TaskState;
import io.mesokube.e2e.controlplane.ControlPlaneExtension;
import io.mesokube.e2e.controlplane.KubectlResult;
import io.mesokube.e2e.controlplane.TestCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The CRDs as served: established, examples apply, spec and status are separate, printer columns
 * read like the Mesos UI, and owner references clean up after a Framework.
 */
@ExtendWith(ControlPlaneExtension.class)
class CrdServingIT {

  @Test
  void everyCrdIsEstablishedWithStatusSubresourceAndCategory(TestCluster cluster) {
    for (Class<? extends CustomResource<?, ?>> type : ApiTypes.ALL) {
      String name = CustomResource.getCRDName(type);
      CustomResourceDefinition crd =
          cluster.client().apiextensions().v1().customResourceDefinitions().withName(name).get();
      assertThat(crd).as(name).isNotNull();
      assertThat(crd.getStatus().getConditions())
          .as(name)
          .anySatisfy(
              c -> {
                assertThat(c.getType()).isEqualTo("Established");
                assertThat(c.getStatus()).isEqualTo("True");
              });
      assertThat(crd.getSpec().getVersions())
          .singleElement()
          .satisfies(v -> assertThat(v.getSubresources().getStatus()).isNotNull());
      assertThat(crd.getSpec().getNames().getCategories()).containsExactly(Mesokube.CATEGORY);
      assertThat(crd.getSpec().getNames().getShortNames()).isNotEmpty();
    }
  }

  @Test
  void everyExampleApplies(TestCluster cluster) throws IOException {
    Path examples = Path.of(System.getProperty("mesokube.examples.dir"));
    List<Path> files;
    try (Stream<Path> list = Files.list(examples)) {
      files = list.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(ApiTypes.ALL.size());
    try {
      for (Path file : files) {
        KubectlResult result = cluster.kubectl("apply", "-f", file.toString());
        assertThat(result.succeeded()).as("%s: %s", file, result.stderr()).isTrue();
      }
      KubectlResult all = cluster.kubectl("get", Mesokube.CATEGORY, "-o", "name");
      assertThat(all.stdout())
          .contains("framework.mesokube.io/hello", "task.mesokube.io/hello-web")
          .contains("offer.mesokube.io/", "agent.mesokube.io/", "rolepolicy.mesokube.io/");
    } finally {
      for (Path file : files) {
        cluster.kubectl("delete", "--ignore-not-found", "--wait=false", "-f", file.toString());
      }
    }
  }

  private static final String TASK =
      """
      apiVersion: mesokube.io/v1alpha1
      kind: Task
      metadata: {name: web-0}
      spec:
        framework: marathon
        role: eng/web
        agent: node-1
        resources: {cpus: 0.5, mem: 256}
        command: {shell: exec sleep 600}
      """;

  @Test
  void agentsSelectTheirTasksBySpecAgent(TestCluster cluster) {
    applyOk(cluster, TASK);
    applyOk(cluster, TASK.replace("web-0", "web-1").replace("node-1", "node-2"));
    applyOk(cluster, TASK.replace("web-0", "web-2").replace("  agent: node-1\n", ""));

    var onNode1 =
        cluster.client().resources(Task.class).withField("spec.agent", "node-1").list().getItems();
    var onNode2 =
        cluster.kubectl("get", "tasks", "--field-selector=spec.agent=node-2", "-o", "name");

    assertThat(onNode1).extracting(t -> t.getMetadata().getName()).containsExactly("web-0");
    assertThat(onNode2.stdout().strip()).isEqualTo("task.mesokube.io/web-1");
  }

  @Test
  void specAndStatusAreSeparateSubresources(TestCluster cluster) {
    applyOk(cluster, TASK);
    long generation = task(cluster).getMetadata().getGeneration();

    // Writing status through the main resource is ignored, and so is spec through /status.
    KubectlResult main =
        cluster.kubectl(
            "patch",
            "task/web-0",
            "--type=merge",
            "-p",
            "{\"status\":{\"state\":\"TASK_RUNNING\"}}");
    assertThat(main.succeeded()).as(main.stderr()).isTrue();
    assertThat(task(cluster).getStatus()).isNull();

    KubectlResult status =
        patchStatus(
            cluster,
            "task/web-0",
            "{\"spec\":{\"kill\":true},\"status\":{\"state\":\"TASK_RUNNING\"}}");
    assertThat(status.succeeded()).as(status.stderr()).isTrue();
    Task stored = task(cluster);
    assertThat(stored.getStatus().state()).isEqualTo(TaskState.TASK_RUNNING);
    assertThat(stored.getSpec().kill()).isFalse();
    assertThat(stored.getMetadata().getGeneration()).isEqualTo(generation);
  }

  @Test
  void printerColumnsReadLikeTheMesosUi(TestCluster cluster) {
    applyOk(cluster, TASK);
    patchStatus(
        cluster,
        "task/web-0",
        "{\"status\":{\"state\":\"TASK_FAILED\",\"reason\":\"REASON_COMMAND_EXECUTOR_FAILED\","
            + "\"exitCode\":3,\"healthy\":false}}");

    KubectlResult wide = cluster.kubectl("get", "tasks", "-o", "wide");
    assertThat(wide.succeeded()).as(wide.stderr()).isTrue();
    List<String> lines = wide.stdout().lines().toList();
    assertThat(lines.get(0).split("\\s+"))
        .containsExactly(
            "NAME",
            "STATE",
            "FRAMEWORK",
            "AGENT",
            "CPUS",
            "MEM",
            "ROLE",
            "REASON",
            "EXIT",
            "HEALTHY",
            "AGE");
    assertThat(lines.get(1).split("\\s+"))
        .startsWith(
            "web-0",
            "TASK_FAILED",
            "marathon",
            "node-1",
            "0.5",
            "256",
            "eng/web",
            "REASON_COMMAND_EXECUTOR_FAILED",
            "3",
            "false");

    KubectlResult narrow = cluster.kubectl("get", "mktask");
    assertThat(narrow.stdout().lines().findFirst().orElseThrow().split("\\s+"))
        .containsExactly("NAME", "STATE", "FRAMEWORK", "AGENT", "CPUS", "MEM", "AGE");
  }

  @Test
  void deletingAFrameworkDeletesTheOffersAndTasksItOwns(TestCluster cluster) {
    applyOk(
        cluster,
        """
        apiVersion: mesokube.io/v1alpha1
        kind: Framework
        metadata: {name: marathon}
        spec: {roles: [eng/web], scheduler: Offers}
        """);
    KubernetesClient client = cluster.client();
    Framework framework = client.resources(Framework.class).withName("marathon").get();
    OwnerReference owner =
        new OwnerReferenceBuilder()
            .withApiVersion(Mesokube.API_VERSION)
            .withKind("Framework")
            .withName("marathon")
            .withUid(framework.getMetadata().getUid())
            .withController(true)
            .withBlockOwnerDeletion(true)
            .build();
    applyOk(cluster, TASK);
    applyOk(
        cluster,
        """
        apiVersion: mesokube.io/v1alpha1
        kind: Offer
        metadata: {name: o-1}
        spec:
          framework: marathon
          agent: node-1
          role: eng/web
          epoch: 1
          expiryTime: "2030-01-01T00:00:00Z"
          resources: {cpus: 1, mem: 128}
        """);
    own(client.resources(Task.class).withName("web-0").get(), owner, client);
    own(client.resources(Offer.class).withName("o-1").get(), owner, client);

    assertThat(cluster.kubectl("delete", "framework/marathon").succeeded()).isTrue();

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(client.resources(Task.class).withName("web-0").get()).isNull();
              assertThat(client.resources(Offer.class).withName("o-1").get()).isNull();
            });
  }

  private static <T extends HasMetadata> void own(
      T object, OwnerReference owner, KubernetesClient client) {
    object.getMetadata().setOwnerReferences(List.of(owner));
    client.resource(object).update();
  }

  private static Task task(TestCluster cluster) {
    return cluster.client().resources(Task.class).withName("web-0").get();
  }
}
