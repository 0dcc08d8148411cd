package io.mesokube.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.mesokube.api.Mesokube;
import io.mesokube.api.v1alpha1.common.Condition;
import io.mesokube.api.v1alpha1.framework.Framework;
import io.mesokube.api.v1alpha1.framework.FrameworkPhase;
import io.mesokube.api.v1alpha1.offer.Offer;
import io.mesokube.api.v1alpha1.role.RolePolicy;
import io.mesokube.api.v1alpha1.task.Reasons;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.api.v1alpha1.task.TaskState;
import io.mesokube.e2e.controlplane.ControlPlane;
import io.mesokube.e2e.controlplane.ControlPlaneExtension;
import io.mesokube.e2e.controlplane.TestCluster;
import io.mesokube.e2e.process.OperatorProcess;
import java.io.IOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The offer cycle against a real API server and the packaged operator: Managed placement, offers
 * accepted and declined, invalid accepts, and teardown after the failover timeout. Agents are Agent
 * objects only; nothing runs the tasks (the agent is a later issue).
 */
@ExtendWith(ControlPlaneExtension.class)
class OfferCycleIT {
  private static final List<String> AGENTS = List.of("offer-it-a1", "offer-it-a2");
  private static OperatorProcess operator;

  @BeforeAll
  static void startOperator(ControlPlane controlPlane) throws IOException {
    try (KubernetesClient client = controlPlane.newClient()) {
      OperatorLease.ensureNamespace(client);
      for (String agent : AGENTS) {
        controlPlane.applyOk(
            null,
            """
            apiVersion: mesokube.io/v1alpha1
            kind: Agent
            metadata: {name: %s}
            spec:
              hostname: %s.local
              resources: {cpus: 4, mem: 4096, ports: [{begin: 31000, end: 31999}]}
            """
                .formatted(agent, agent));
      }
    }
    operator =
        OperatorProcess.start(
            controlPlane.kubeconfig(), "it-1", controlPlane.workDir().resolve("logs"));
  }

  @AfterAll
  static void stopOperator(ControlPlane controlPlane) {
    if (operator != null) {
      operator.close();
    }
    for (String agent : AGENTS) {
      controlPlane.kubectl("delete", "agent", agent, "--wait=false");
    }
  }

  @Test
  void managedTasksArePlacedWithinTheAgents(TestCluster cluster) {
    cluster.controlPlane().applyOk(cluster.namespace(), framework("batch", "Managed", "batch", 60));
    for (int i = 0; i < 6; i++) {
      cluster.controlPlane().applyOk(cluster.namespace(), task("t-" + i, "batch", 1.0, 256, null));
    }
    cluster.controlPlane().applyOk(cluster.namespace(), task("huge", "batch", 16.0, 256, null));

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              List<Task> tasks = tasks(cluster);
              assertThat(tasks.stream().filter(t -> !t.getMetadata().getName().equals("huge")))
                  .hasSize(6)
                  .allSatisfy(
                      t -> {
                        assertThat(t.getSpec().agent()).isIn(AGENTS);
                        // Staging: no state until its agent reports.
                        assertThat(t.getStatus() == null ? null : t.getStatus().state()).isNull();
                      });
            });
    Map<String, Double> cpusByAgent = new HashMap<>();
    tasks(cluster).stream()
        .filter(t -> t.getSpec().agent() != null)
        .forEach(
            t ->
                cpusByAgent.merge(
                    t.getSpec().agent(), t.getSpec().resources().cpus(), Double::sum));
    assertThat(cpusByAgent.values()).allSatisfy(cpus -> assertThat(cpus).isLessThanOrEqualTo(4.0));
    assertThat(task(cluster, "huge").getSpec().agent()).as("a task larger than any agent").isNull();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(task(cluster, "huge").getStatus())
                    .isNotNull()
                    .extracting(s -> s.conditions())
                    .asInstanceOf(
                        org.assertj.core.api.InstanceOfAssertFactories.list(Condition.class))
                    .singleElement()
                    .satisfies(
                        c -> {
                          assertThat(c.type()).isEqualTo("Scheduled");
                          assertThat(c.status()).isEqualTo(Condition.Status.False);
                          assertThat(c.reason()).isEqualTo("LargerThanAnyAgent");
                          assertThat(c.message())
                              .contains("agents could ever hold it", "cpus 16.0", "role batch");
                        }));
    assertThat(task(cluster, "huge").getStatus().state()).isNull();
  }

  @Test
  void aPolicyTheAllocatorRefusesDoesNotStopAllocation(TestCluster cluster) {
    // Mesos refuses a quota on the default role '*'; the schema cannot tell.
    String policy = "default-" + cluster.namespace();
    cluster
        .controlPlane()
        .applyOk(
            null,
            """
        apiVersion: mesokube.io/v1alpha1
        kind: RolePolicy
        metadata: {name: %s}
        spec: {role: '*', quota: {limit: {cpus: 1}}}
        """
                .formatted(policy));
    try {
      cluster
          .controlPlane()
          .applyOk(cluster.namespace(), framework("after", "Managed", "after", 60));
      cluster.controlPlane().applyOk(cluster.namespace(), task("after-0", "after", 0.1, 32, null));
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(task(cluster, "after-0").getSpec().agent()).isNotNull());
    } finally {
      cluster.controlPlane().kubectl("delete", "rolepolicy", policy, "--wait=false");
    }
  }

  @Test
  void aQuotaLimitIsNeverCrossedAndTheWaitingTaskSaysWhy(TestCluster cluster) {
    String policy = "capped-" + cluster.namespace();
    cluster
        .controlPlane()
        .applyOk(
            null,
            """
        apiVersion: mesokube.io/v1alpha1
        kind: RolePolicy
        metadata: {name: %s}
        spec: {role: capped, quota: {limit: {cpus: 1}}}
        """
                .formatted(policy));
    try {
      cluster
          .controlPlane()
          .applyOk(cluster.namespace(), framework("capped", "Managed", "capped", 60));
      for (int i = 0; i < 3; i++) {
        cluster
            .controlPlane()
            .applyOk(cluster.namespace(), task("c-" + i, "capped", 0.5, 64, null));
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                assertThat(tasks(cluster).stream().filter(t -> t.getSpec().agent() != null))
                    .hasSize(2);
                Task waiting =
                    tasks(cluster).stream()
                        .filter(t -> t.getSpec().agent() == null)
                        .findFirst()
                        .orElseThrow();
                assertThat(waiting.getStatus()).isNotNull();
                assertThat(waiting.getStatus().conditions())
                    .singleElement()
                    .satisfies(
                        c -> {
                          assertThat(c.reason()).isEqualTo("QuotaLimitReached");
                          assertThat(c.message())
                              .contains("the quota limit of role capped (cpus 1.0)");
                        });
              });
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  assertThat(tasks(cluster).stream().filter(t -> t.getSpec().agent() != null))
                      .as("the limit of 1 cpu holds two tasks of 0.5")
                      .hasSize(2));
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                var status =
                    cluster.client().resources(RolePolicy.class).withName(policy).get().getStatus();
                assertThat(status).isNotNull();
                assertThat(status.allocated().cpus()).isEqualTo(1.0);
                assertThat(status.frameworks()).isEqualTo(1);
                assertThat(status.dominantShare()).isGreaterThan(0.0);
                assertThat(status.conditions())
                    .anySatisfy(
                        c -> {
                          assertThat(c.type()).isEqualTo("Valid");
                          assertThat(c.status()).isEqualTo(Condition.Status.True);
                        });
              });
    } finally {
      cluster.controlPlane().kubectl("delete", "rolepolicy", policy, "--wait=false");
    }
  }

  @Test
  void anAcceptLaunchesItsTasksOnTheOffersAgent(TestCluster cluster) {
    cluster.controlPlane().applyOk(cluster.namespace(), framework("web", "Offers", "web", 60));
    renewLease(cluster.client(), "web", 30);
    // Earlier tests' tasks may still hold part of an agent: take an offer with room for both.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> offers(cluster, "web").stream().anyMatch(OfferCycleIT::roomForTwo));
    Offer offer =
        offers(cluster, "web").stream().filter(OfferCycleIT::roomForTwo).findFirst().orElseThrow();

    answer(
        cluster,
        offer,
        """
        {"spec":{"answer":{"type":"Accept","refuseSeconds":1,"operations":[{"type":"LAUNCH","launch":{"tasks":[
          {"name":"web-0","spec":{"framework":"web","resources":{"cpus":0.5,"mem":128},"command":{"shell":"sleep 600"}}},
          {"name":"web-1","spec":{"framework":"web","resources":{"cpus":0.5,"mem":128},"command":{"shell":"sleep 600"}}}
        ]}}]}}}
        """);

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(tasks(cluster))
                    .extracting(t -> t.getMetadata().getName())
                    .contains("web-0", "web-1"));
    for (String name : List.of("web-0", "web-1")) {
      Task task = task(cluster, name);
      assertThat(task.getStatus()).as("staging: no status until its agent reports").isNull();
      assertThat(task.getSpec().agent()).isEqualTo(offer.getSpec().agent());
      assertThat(task.getSpec().offer()).isEqualTo(offer.getMetadata().getName());
      assertThat(task.getSpec().role()).isEqualTo("web");
      assertThat(task.getMetadata().getOwnerReferences())
          .singleElement()
          .satisfies(o -> assertThat(o.getName()).isEqualTo("web"));
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                cluster
                        .client()
                        .resources(Offer.class)
                        .withName(offer.getMetadata().getName())
                        .get()
                    == null);
  }

  @Test
  void aDeclinedAgentIsNotReofferedBeforeRefuseSeconds(TestCluster cluster) {
    // An agent reserved wholly for this framework's role: no other framework changes what it has
    // available, so a new offer of it could only come from ignoring the decline's filter (a
    // filter covers what was declined; Mesos offers an agent again once it has more).
    String agent = "offer-it-picky";
    cluster
        .controlPlane()
        .applyOk(
            null,
            """
        apiVersion: mesokube.io/v1alpha1
        kind: Agent
        metadata: {name: %s}
        spec:
          resources: {cpus: 2, mem: 1024}
          reservations: [{role: picky, resources: {cpus: 2, mem: 1024}}]
        """
                .formatted(agent));
    try {
      cluster
          .controlPlane()
          .applyOk(cluster.namespace(), framework("picky", "Offers", "picky", 60));
      renewLease(cluster.client(), "picky", 30);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  offers(cluster, "picky").stream()
                      .anyMatch(o -> agent.equals(o.getSpec().agent())));
      Offer offer =
          offers(cluster, "picky").stream()
              .filter(o -> agent.equals(o.getSpec().agent()))
              .findFirst()
              .orElseThrow();

      answer(cluster, offer, "{\"spec\":{\"answer\":{\"type\":\"Decline\",\"refuseSeconds\":30}}}");

      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  cluster
                          .client()
                          .resources(Offer.class)
                          .withName(offer.getMetadata().getName())
                          .get()
                      == null);
      await()
          .during(Duration.ofSeconds(4))
          .atMost(Duration.ofSeconds(6))
          .untilAsserted(
              () ->
                  assertThat(offers(cluster, "picky"))
                      .noneSatisfy(o -> assertThat(o.getSpec().agent()).isEqualTo(agent)));
    } finally {
      cluster.controlPlane().kubectl("delete", "agent", agent, "--wait=false");
    }
  }

  @Test
  void aSuppressedFrameworkGetsNoOffersSaysWhyAndReviveBringsThemBack(TestCluster cluster) {
    cluster.controlPlane().applyOk(cluster.namespace(), framework("quiet", "Offers", "quiet", 60));
    renewLease(cluster.client(), "quiet", 60);
    awaitOffer(cluster, "quiet");
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(() -> assertOffered(cluster, "quiet", Condition.Status.True, null));

    cluster
        .client()
        .resources(Framework.class)
        .withName("quiet")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"suppressedRoles\":[\"quiet\"]}}");
    // Mesos does not rescind outstanding offers on SUPPRESS; the scheduler declines them.
    for (Offer offer : offers(cluster, "quiet")) {
      answer(cluster, offer, "{\"spec\":{\"answer\":{\"type\":\"Decline\",\"refuseSeconds\":1}}}");
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertOffered(cluster, "quiet", Condition.Status.False, "Suppressed"));
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(offers(cluster, "quiet")).isEmpty());

    cluster
        .client()
        .resources(Framework.class)
        .withName("quiet")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"suppressedRoles\":null}}");
    awaitOffer(cluster, "quiet");
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(() -> assertOffered(cluster, "quiet", Condition.Status.True, null));
    assertThat(
            cluster.client().v1().events().list().getItems().stream()
                .map(e -> e.getReason())
                .toList())
        .contains("Suppressed", "OffersResumed");
  }

  private static void assertOffered(
      TestCluster cluster, String framework, Condition.Status status, String reason) {
    Framework f = cluster.client().resources(Framework.class).withName(framework).get();
    assertThat(f.getStatus()).isNotNull();
    Condition offered =
        f.getStatus().conditions().stream()
            .filter(c -> c.type().equals("Offered"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no Offered condition: " + f.getStatus()));
    assertThat(offered.status()).as("Offered: %s", offered).isEqualTo(status);
    if (reason != null) {
      assertThat(offered.reason()).as("Offered: %s", offered).isEqualTo(reason);
    }
  }

  @Test
  void anAcceptAskingForMoreThanOfferedEndsItsTasksInError(TestCluster cluster) {
    cluster
        .controlPlane()
        .applyOk(cluster.namespace(), framework("greedy", "Offers", "greedy", 60));
    renewLease(cluster.client(), "greedy", 30);
    Offer offer = awaitOffer(cluster, "greedy");

    answer(
        cluster,
        offer,
        """
        {"spec":{"answer":{"type":"Accept","operations":[{"type":"LAUNCH","launch":{"tasks":[
          {"name":"too-big","spec":{"framework":"greedy","resources":{"cpus":64,"mem":128},"command":{"shell":"true"}}}
        ]}}]}}}
        """);

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              Task task =
                  assertRefused(cluster, "too-big", TaskState.TASK_ERROR, Reasons.TASK_INVALID);
              assertThat(task.getStatus().message())
                  .contains("more resources than the offer has left");
            });
  }

  @Test
  void anAcceptNamingAnotherAgentEndsItsTasksInError(TestCluster cluster) {
    cluster
        .controlPlane()
        .applyOk(cluster.namespace(), framework("astray", "Offers", "astray", 60));
    renewLease(cluster.client(), "astray", 30);
    Offer offer = awaitOffer(cluster, "astray");
    String other =
        AGENTS.stream().filter(a -> !a.equals(offer.getSpec().agent())).findFirst().orElseThrow();

    answer(
        cluster,
        offer,
        """
        {"spec":{"answer":{"type":"Accept","operations":[{"type":"LAUNCH","launch":{"tasks":[
          {"name":"elsewhere","spec":{"framework":"astray","agent":"%s","resources":{"cpus":0.1,"mem":32},"command":{"shell":"true"}}}
        ]}}]}}}
        """
            .formatted(other));

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              Task task =
                  assertRefused(cluster, "elsewhere", TaskState.TASK_ERROR, Reasons.TASK_INVALID);
              assertThat(task.getStatus().message()).contains("names agent " + other);
            });
  }

  @Test
  void anAcceptOfAnOfferFromAnEarlierLeaderIsDropped(TestCluster cluster) {
    cluster.controlPlane().applyOk(cluster.namespace(), framework("late", "Offers", "late", 60));
    // An offer as an earlier leader (epoch 0) left it, already answered: this leader never made
    // it, so it holds nothing and its tasks must not run.
    cluster
        .controlPlane()
        .applyOk(
            cluster.namespace(),
            """
        apiVersion: mesokube.io/v1alpha1
        kind: Offer
        metadata:
          name: late-old
          labels: {app.kubernetes.io/managed-by: mesokube, mesokube.io/framework: late}
        spec:
          framework: late
          agent: %s
          role: late
          epoch: 0
          expiryTime: "2030-01-01T00:00:00Z"
          resources: {cpus: 1, mem: 256}
          answer:
            type: Accept
            operations:
            - type: LAUNCH
              launch:
                tasks:
                - name: from-old-offer
                  spec: {framework: late, resources: {cpus: 0.5, mem: 64}, command: {shell: 'true'}}
        """
                .formatted(AGENTS.get(0)));

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertRefused(
                  cluster, "from-old-offer", TaskState.TASK_DROPPED, Reasons.INVALID_OFFERS);
              assertThat(cluster.client().resources(Offer.class).withName("late-old").get())
                  .as("the stale offer is deleted")
                  .isNull();
            });
  }

  @Test
  void aFrameworkWhoseSchedulerStaysAwayIsTornDown(TestCluster cluster) {
    cluster.controlPlane().applyOk(cluster.namespace(), framework("gone", "Offers", "gone", 2));
    renewLease(cluster.client(), "gone", 1);
    cluster
        .controlPlane()
        .applyOk(cluster.namespace(), task("orphan", "gone", 0.1, 32, AGENTS.get(0)));

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(task(cluster, "orphan").getSpec().kill()).isTrue();
              Framework framework =
                  cluster.client().resources(Framework.class).withName("gone").get();
              assertThat(framework.getStatus().phase()).isEqualTo(FrameworkPhase.TearingDown);
              assertThat(framework.getStatus().connected()).isFalse();
            });
  }

  private static String framework(
      String name, String scheduler, String role, long failoverSeconds) {
    return """
        apiVersion: mesokube.io/v1alpha1
        kind: Framework
        metadata: {name: %s}
        spec: {scheduler: %s, roles: [%s], failoverTimeoutSeconds: %d}
        """
        .formatted(name, scheduler, role, failoverSeconds);
  }

  private static String task(String name, String framework, double cpus, int mem, String agent) {
    return """
        apiVersion: mesokube.io/v1alpha1
        kind: Task
        metadata: {name: %s}
        spec:
          framework: %s
          resources: {cpus: %s, mem: %d}
          command: {shell: sleep 600}
        %s"""
        .formatted(name, framework, cpus, mem, agent == null ? "" : "  agent: " + agent + "\n");
  }

  private static void renewLease(KubernetesClient client, String framework, int durationSeconds) {
    client
        .leases()
        .resource(
            new LeaseBuilder()
                .withNewMetadata()
                .withName(Mesokube.frameworkLeaseName(framework))
                .addToLabels(Mesokube.LABEL_FRAMEWORK, framework)
                .endMetadata()
                .withNewSpec()
                .withHolderIdentity("test-scheduler")
                .withLeaseDurationSeconds(durationSeconds)
                .withRenewTime(ZonedDateTime.now())
                .endSpec()
                .build())
        .serverSideApply();
  }

  private static boolean roomForTwo(Offer offer) {
    var r = offer.getSpec().resources();
    return r.cpus() != null && r.cpus() >= 1.0 && r.mem() != null && r.mem() >= 256;
  }

  private static Offer awaitOffer(TestCluster cluster, String framework) {
    await().atMost(Duration.ofSeconds(20)).until(() -> !offers(cluster, framework).isEmpty());
    return offers(cluster, framework).get(0);
  }

  private static List<Offer> offers(TestCluster cluster, String framework) {
    return cluster
        .client()
        .resources(Offer.class)
        .withLabel(Mesokube.LABEL_FRAMEWORK, framework)
        .list()
        .getItems();
  }

  private static void answer(TestCluster cluster, Offer offer, String mergePatch) {
    cluster
        .client()
        .resources(Offer.class)
        .withName(offer.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE), mergePatch);
  }

  private static List<Task> tasks(TestCluster cluster) {
    return cluster.client().resources(Task.class).list().getItems();
  }

  /** Asserts a task was refused before launch: the state and reason, and never bound. */
  private static Task assertRefused(
      TestCluster cluster, String name, TaskState state, String reason) {
    Task task = task(cluster, name);
    assertThat(task).as(name).isNotNull();
    assertThat(task.getStatus()).as("status of %s", name).isNotNull();
    assertThat(task.getStatus().state()).isEqualTo(state);
    assertThat(task.getStatus().reason()).isEqualTo(reason);
    assertThat(task.getSpec().agent()).as("never bound").isNull();
    return task;
  }

  private static Task task(TestCluster cluster, String name) {
    return cluster.client().resources(Task.class).withName(name).get();
  }
}
