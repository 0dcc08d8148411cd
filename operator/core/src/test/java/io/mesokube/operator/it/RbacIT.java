package io.mesokube.operator.it;

import static io.mesokube.operator.it.Gauges.gauge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.mesokube.api.Mesokube;
import io.mesokube.api.v1alpha1.agent.Agent;
import io.mesokube.api.v1alpha1.agent.AgentPhase;
import io.mesokube.api.v1alpha1.framework.Framework;
import io.mesokube.api.v1alpha1.framework.FrameworkPhase;
import io.mesokube.api.v1alpha1.offer.Offer;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.api.v1alpha1.task.TaskState;
import io.mesokube.e2e.controlplane.ControlPlane;
import io.mesokube.e2e.controlplane.ControlPlaneExtension;
import io.mesokube.e2e.controlplane.KubectlResult;
import io.mesokube.e2e.controlplane.TestCluster;
import io.mesokube.e2e.process.OperatorProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator running with nothing but {@code deploy/rbac/operator.yaml}, as its ServiceAccount (a
 * client certificate with the ServiceAccount's user name and groups): Managed placement, an accept
 * by a scheduler that has only {@code deploy/rbac/framework-scheduler.yaml}, refusals of everything
 * else, and the cluster gauges on {@code /q/metrics}.
 */
@ExtendWith(ControlPlaneExtension.class)
class RbacIT {
  private static final Path RBAC = Path.of(System.getProperty("user.dir"), "../../deploy/rbac");
  private static final String SYSTEM = "mesokube-system";
  private static final String OPERATOR_USER =
      "system:serviceaccount:" + SYSTEM + ":mesokube-operator";
  private static final String[] OPERATOR_GROUPS = {
    "system:serviceaccounts", "system:serviceaccounts:" + SYSTEM, "system:authenticated"
  };
  private static final String AGENT = "rbac-it-a1";
  private static final double AGENT_CPUS = 4;

  private static OperatorProcess operator;
  private static KubernetesClient operatorClient;

  @BeforeAll
  static void startOperatorWithItsOwnRights(ControlPlane controlPlane) throws IOException {
    for (String file : List.of("operator.yaml", "framework-scheduler.yaml")) {
      KubectlResult applied =
          controlPlane.kubectl("apply", "-f", RBAC.resolve(file).normalize().toString());
      assertThat(applied.succeeded()).as("apply %s: %s", file, applied.stderr()).isTrue();
    }
    controlPlane.applyOk(
        null,
        """
        apiVersion: mesokube.io/v1alpha1
        kind: Agent
        metadata: {name: %s}
        spec:
          hostname: %s.local
          resources: {cpus: %s, mem: 4096, ports: [{begin: 31000, end: 31999}]}
        """
            .formatted(AGENT, AGENT, AGENT_CPUS));
    operator =
        OperatorProcess.start(
            controlPlane.kubeconfigFor(OPERATOR_USER, OPERATOR_GROUPS),
            "rbac-1",
            controlPlane.workDir().resolve("logs"));
    operatorClient = controlPlane.clientFor(OPERATOR_USER, OPERATOR_GROUPS);
  }

  @AfterAll
  static void stopOperator(ControlPlane controlPlane) {
    if (operator != null) {
      operator.close();
    }
    if (operatorClient != null) {
      operatorClient.close();
    }
    controlPlane.kubectl("delete", "agent", AGENT, "--wait=false");
  }

  @Test
  void theOperatorPlacesManagedTasksWithItsOwnRights(TestCluster cluster) throws IOException {
    cluster.controlPlane().applyOk(cluster.namespace(), framework("batch", "Managed"));
    cluster.controlPlane().applyOk(cluster.namespace(), task("t-0", "batch", 1.0));
    // Larger than any agent: the operator writes why it waits (tasks/status patch).
    cluster.controlPlane().applyOk(cluster.namespace(), task("too-big", "batch", 512.0));

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Task task = cluster.client().resources(Task.class).withName("t-0").get();
              assertThat(task.getSpec().agent()).as("bound (tasks patch)").isNotNull();
              assertThat(task.getStatus() == null ? null : task.getStatus().state())
                  .as("staging until its agent reports")
                  .isNull();
              Task waiting = cluster.client().resources(Task.class).withName("too-big").get();
              assertThat(waiting.getStatus()).as("tasks/status patch").isNotNull();
              assertThat(waiting.getStatus().conditions()).as("tasks/status patch").isNotEmpty();
              Framework framework =
                  cluster.client().resources(Framework.class).withName("batch").get();
              assertThat(framework.getStatus()).as("frameworks/status patch").isNotNull();
              assertThat(framework.getStatus().phase())
                  .as("frameworks/status patch")
                  .isEqualTo(FrameworkPhase.Active);
              assertThat(cluster.client().events().v1().events().list().getItems())
                  .as("events.k8s.io create")
                  .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("PhaseActive"));
            });
    assertNoRefusalIn(operator.log());
  }

  @Test
  void aSchedulerWithTheSchedulerRoleAcceptsAnOffer(TestCluster cluster) throws IOException {
    String user = "system:serviceaccount:" + cluster.namespace() + ":web-scheduler";
    cluster
        .client()
        .rbac()
        .roleBindings()
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName("web-scheduler")
                .endMetadata()
                .withNewRoleRef()
                .withApiGroup("rbac.authorization.k8s.io")
                .withKind("ClusterRole")
                .withName("mesokube-framework-scheduler")
                .endRoleRef()
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName("web-scheduler")
                .withNamespace(cluster.namespace())
                .endSubject()
                .build())
        .create();
    KubernetesClient scheduler =
        cluster.clientFor(
            user,
            "system:serviceaccounts",
            "system:serviceaccounts:" + cluster.namespace(),
            "system:authenticated");

    scheduler.resource(parse(scheduler, framework("web", "Offers"), Framework.class)).create();
    scheduler.leases().resource(schedulerLease("web")).create();
    await().atMost(Duration.ofSeconds(30)).until(() -> !offers(scheduler, "web").isEmpty());
    Offer offer = offers(scheduler, "web").get(0);
    scheduler
        .resources(Offer.class)
        .withName(offer.getMetadata().getName())
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            """
            {"spec":{"answer":{"type":"Accept","operations":[{"type":"LAUNCH","launch":{"tasks":[
              {"name":"web-0","spec":{"framework":"web","resources":{"cpus":0.5,"mem":128},"command":{"shell":"sleep 600"}}}
            ]}}]}}}
            """);

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              Task task = scheduler.resources(Task.class).withName("web-0").get();
              assertThat(task).as("tasks create by the operator").isNotNull();
              assertThat(task.getSpec().agent()).isEqualTo(offer.getSpec().agent());
              assertThat(
                      cluster
                          .client()
                          .resources(Offer.class)
                          .withName(offer.getMetadata().getName())
                          .get())
                  .as("offers delete by the operator")
                  .isNull();
            });
    scheduler
        .resources(Task.class)
        .withName("web-0")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"kill\":true}}");

    assertForbidden(
        () -> scheduler.resource(parse(scheduler, task("own", "web", 0.1), Task.class)).create());
    assertForbidden(() -> scheduler.resources(Offer.class).withName("any").delete());
    assertForbidden(() -> scheduler.secrets().list());
    assertForbidden(() -> scheduler.resources(Framework.class).inNamespace(SYSTEM).list());
    assertNoRefusalIn(operator.log());
  }

  /**
   * Issue 16, finding 2: whoever may patch a Task (a scheduler, to kill it) or create one (a
   * tenant) could bind it to an agent, which launches it past the allocator, its quota and its role
   * checks. The task-binding admission policy (deploy/rbac/operator.yaml) lets only an identity
   * with the verb bind on tasks do that: the operator, and cluster admins.
   */
  @Test
  void onlyTheOperatorBindsATaskAndABoundTaskStaysAsPlaced(TestCluster cluster) {
    String ns = cluster.namespace();
    // A tenant who may create and patch Tasks in its namespace, as the edit role allows.
    cluster
        .controlPlane()
        .applyOk(
            ns,
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: task-editor}
            rules:
              - apiGroups: [mesokube.io]
                resources: [tasks]
                verbs: [get, list, watch, create, update, patch, delete]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: tenant-task-editor}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: task-editor}
            subjects: [{kind: User, name: tenant, apiGroup: rbac.authorization.k8s.io}]
            """);
    KubernetesClient tenant = cluster.clientFor("tenant", "system:authenticated");
    // An Offers framework: the allocator does not place its tasks, so only a hand could bind one.
    cluster.controlPlane().applyOk(ns, framework("hand", "Offers"));
    cluster.controlPlane().applyOk(ns, task("unbound", "hand", 0.1));
    String bound = task("bound-by-hand", "hand", 0.1) + "  agent: " + AGENT + "\n  role: hand\n";
    // A new admission policy takes effect within moments of its creation: wait for it with a dry
    // run, which stores nothing either way.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              try {
                tenant.resource(parse(tenant, bound, Task.class)).dryRun().create();
                return false;
              } catch (KubernetesClientException e) {
                return e.getCode() == 403;
              }
            });

    assertThatThrownBy(
            () ->
                tenant
                    .resources(Task.class)
                    .withName("unbound")
                    .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        "{\"spec\":{\"agent\":\"" + AGENT + "\",\"role\":\"ops\"}}"))
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(403);
              assertThat(e.getMessage())
                  .contains("only the Mesokube operator binds tasks to agents")
                  .contains("tenant may not set spec.agent or spec.offer");
            });
    assertThatThrownBy(() -> tenant.resource(parse(tenant, bound, Task.class)).create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
    assertThat(cluster.client().resources(Task.class).withName("unbound").get().getSpec().agent())
        .isNull();
    assertThat(cluster.client().resources(Task.class).withName("bound-by-hand").get()).isNull();

    // A cluster admin holds every verb, bind included; once bound, the command is frozen for all.
    cluster.controlPlane().applyOk(ns, bound);
    KubectlResult changed =
        cluster
            .controlPlane()
            .kubectl(
                "-n",
                ns,
                "patch",
                "task",
                "bound-by-hand",
                "--type=merge",
                "-p",
                "{\"spec\":{\"command\":{\"shell\":\"cat /etc/shadow\"}}}");
    assertThat(changed.succeeded()).isFalse();
    assertThat(changed.stderr()).contains("a bound task's command, container and health check");
    tenant
        .resources(Task.class)
        .withName("bound-by-hand")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"kill\":true}}");
    assertThat(
            cluster.client().resources(Task.class).withName("bound-by-hand").get().getSpec().kill())
        .as("a kill is no binding")
        .isTrue();
  }

  @Test
  void theOperatorIsRefusedWhatItDoesNotNeed(TestCluster cluster) {
    cluster.controlPlane().applyOk(cluster.namespace(), framework("kept", "Managed"));
    String ns = cluster.namespace();

    assertForbidden(() -> operatorClient.resources(Agent.class).withName(AGENT).delete());
    assertForbidden(() -> operatorClient.secrets().inNamespace(SYSTEM).list());
    assertForbidden(() -> operatorClient.secrets().inNamespace(ns).withName("any").get());
    assertForbidden(
        () ->
            operatorClient
                .pods()
                .inNamespace(ns)
                .resource(
                    new PodBuilder()
                        .withNewMetadata()
                        .withName("p")
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("c")
                        .withImage("busybox")
                        .endContainer()
                        .endSpec()
                        .build())
                .create());
    assertForbidden(
        () ->
            operatorClient
                .resources(Framework.class)
                .inNamespace(ns)
                .withName("kept")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"roles\":[\"x\"]}}"));
    assertForbidden(
        () -> operatorClient.resources(Framework.class).inNamespace(ns).withName("kept").delete());
    assertForbidden(
        () -> operatorClient.resources(Task.class).inNamespace(ns).withName("any").delete());
    assertForbidden(
        () -> operatorClient.leases().inNamespace(ns).resource(schedulerLease("kept")).create());
    assertForbidden(
        () -> operatorClient.leases().inNamespace(SYSTEM).withName("some-other-lease").get());
    assertThat(canI(cluster, "patch", "rolepolicies.mesokube.io", "--subresource=status")).isTrue();
    // Agent status: the operator marks agents Unreachable, Gone or Active again and writes their
    // task counts; the spec, and the agents' heartbeat Leases, are the agents' own.
    assertThat(canI(cluster, "patch", "agents.mesokube.io", "--subresource=status")).isTrue();
    assertThat(canI(cluster, "patch", "agents.mesokube.io")).isFalse();
    assertThat(
            canI(
                cluster,
                "patch",
                "leases.coordination.k8s.io/" + Mesokube.agentLeaseName(AGENT),
                "--namespace=" + SYSTEM))
        .isFalse();
    assertThat(canI(cluster, "update", "tasks.mesokube.io", "--subresource=status")).isFalse();
    assertThat(canI(cluster, "create", "events.events.k8s.io", "--namespace=" + ns)).isTrue();
    assertForbidden(
        () ->
            operatorClient
                .v1()
                .events()
                .inNamespace(ns)
                .resource(
                    new EventBuilder()
                        .withNewMetadata()
                        .withName("core-v1")
                        .endMetadata()
                        .withNewInvolvedObject()
                        .withKind("Framework")
                        .withName("kept")
                        .withNamespace(ns)
                        .endInvolvedObject()
                        .build())
                .create());

    KubectlResult rules =
        cluster
            .controlPlane()
            .kubectl("auth", "can-i", "--list", "--as=" + OPERATOR_USER, "--namespace=" + SYSTEM);
    assertThat(rules.succeeded()).as(rules.stderr()).isTrue();
    assertThat(rules.stdout())
        .contains("tasks.mesokube.io/status")
        .containsPattern("leases.coordination.k8s.io\\s+\\[\\]\\s+\\[mesokube-operator\\]")
        .doesNotContain("secrets")
        .doesNotContain("pods")
        .doesNotContainPattern("(?m)^\\*\\.\\*");
  }

  @Test
  void theGaugesCountWhatTheCachesHold(TestCluster cluster) {
    cluster.controlPlane().applyOk(cluster.namespace(), framework("gauged", "Managed"));
    cluster.controlPlane().applyOk(cluster.namespace(), task("fits", "gauged", 0.5));
    cluster.controlPlane().applyOk(cluster.namespace(), task("too-big", "gauged", 64));
    KubernetesClient admin = cluster.client();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              String metrics = operator.metrics();
              List<Task> tasks = admin.resources(Task.class).inAnyNamespace().list().getItems();
              assertThat(admin.resources(Task.class).withName("fits").get().getSpec().agent())
                  .isNotNull();
              assertThat(gauge(metrics, "mesokube_leader", null)).isEqualTo(1.0);
              assertThat(gauge(metrics, "mesokube_tasks", "state=\"PENDING\""))
                  .isEqualTo(tasks.stream().filter(RbacIT::pending).count());
              assertThat(gauge(metrics, "mesokube_tasks", "state=\"TASK_STAGING\""))
                  .isEqualTo(tasks.stream().filter(RbacIT::staging).count());
              assertThat(gauge(metrics, "mesokube_tasks", "state=\"TASK_FINISHED\""))
                  .isEqualTo(0.0);
              assertThat(gauge(metrics, "mesokube_frameworks", "phase=\"Active\""))
                  .isGreaterThanOrEqualTo(1.0);
              assertThat(gauge(metrics, "mesokube_frameworks_connected", null))
                  .isGreaterThanOrEqualTo(1.0);
              List<Agent> agents = admin.resources(Agent.class).list().getItems();
              // The operator writes task counts into every Agent's status; the phase is the
              // agent's to set when it registers.
              assertThat(gauge(metrics, "mesokube_agents", "phase=\"Registering\""))
                  .isEqualTo(agents.stream().filter(a -> phase(a) == null).count());
              assertThat(gauge(metrics, "mesokube_resources_total", "resource=\"cpus\""))
                  .isEqualTo(
                      agents.stream()
                          .filter(a -> phase(a) != AgentPhase.Gone)
                          .map(a -> a.getSpec().resources().cpus())
                          .mapToDouble(cpus -> cpus == null ? 0 : cpus)
                          .sum());
              assertThat(
                      gauge(
                          metrics, "mesokube_resources_offered_or_allocated", "resource=\"cpus\""))
                  .isGreaterThanOrEqualTo(0.5);
              assertThat(gauge(metrics, "mesokube_offers_outstanding", null))
                  .isGreaterThanOrEqualTo(0.0);
              assertThat(metrics.lines().filter(l -> l.startsWith("mesokube_")))
                  .as("no resource name in a tag")
                  .noneMatch(l -> l.contains(cluster.namespace()) || l.contains("gauged"));
            });
  }

  /** {@code kubectl auth can-i} as the operator's ServiceAccount (admin impersonating it). */
  private static boolean canI(TestCluster cluster, String verb, String resource, String... flags) {
    List<String> args = new ArrayList<>(List.of("auth", "can-i", verb, resource));
    args.addAll(List.of(flags));
    args.add("--as=" + OPERATOR_USER);
    KubectlResult answer = cluster.controlPlane().kubectl(args.toArray(String[]::new));
    assertThat(answer.stdout().strip()).as(answer.stderr()).isIn("yes", "no");
    return answer.stdout().strip().equals("yes");
  }

  private static boolean pending(Task task) {
    return task.getSpec().agent() == null
        && (task.getStatus() == null || task.getStatus().state() == null);
  }

  private static boolean staging(Task task) {
    TaskState state = task.getStatus() == null ? null : task.getStatus().state();
    return state == TaskState.TASK_STAGING || (state == null && task.getSpec().agent() != null);
  }

  /** The value of a gauge with the given label (or none); fails if the series is missing. */
  private static void assertForbidden(ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
  }

  /**
   * RBAC never refused the operator: no log line carries an authorization denial of its user
   * ({@code ... is forbidden: User "<operator>" cannot ...}). Other 403s, such as writes into a
   * namespace another test class is deleting, are not about its rights.
   */
  private static void assertNoRefusalIn(Path log) throws IOException {
    String user = OPERATOR_USER.toLowerCase(Locale.ROOT);
    assertThat(Files.readString(log).toLowerCase(Locale.ROOT).lines())
        .noneMatch(line -> line.contains("forbidden") && line.contains(user));
  }

  private static <T extends HasMetadata> T parse(
      KubernetesClient client, String yaml, Class<T> type) {
    return client.getKubernetesSerialization().unmarshal(yaml, type);
  }

  private static Lease schedulerLease(String framework) {
    return new LeaseBuilder()
        .withNewMetadata()
        .withName(Mesokube.frameworkLeaseName(framework))
        .addToLabels(Mesokube.LABEL_FRAMEWORK, framework)
        .endMetadata()
        .withNewSpec()
        .withHolderIdentity(framework + "-scheduler")
        .withLeaseDurationSeconds(60)
        .withRenewTime(ZonedDateTime.now())
        .endSpec()
        .build();
  }

  private static List<Offer> offers(KubernetesClient client, String framework) {
    return client
        .resources(Offer.class)
        .withLabel(Mesokube.LABEL_FRAMEWORK, framework)
        .list()
        .getItems();
  }

  private static String framework(String name, String scheduler) {
    return """
        apiVersion: mesokube.io/v1alpha1
        kind: Framework
        metadata: {name: %s}
        spec: {scheduler: %s, roles: [%s], failoverTimeoutSeconds: 60}
        """
        .formatted(name, scheduler, name);
  }

  private static String task(String name, String framework, double cpus) {
    return """
        apiVersion: mesokube.io/v1alpha1
        kind: Task
        metadata: {name: %s}
        spec:
          framework: %s
          resources: {cpus: %s, mem: 64}
          command: {shell: sleep 600}
        """
        .formatted(name, framework, cpus);
  }

  private static AgentPhase phase(Agent agent) {
    return agent.getStatus() == null ? null : agent.getStatus().phase();
  }
}
