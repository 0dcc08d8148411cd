package io.mesokube.operator.it;

import static io.mesokube.operator.it.Gauges.gauge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.mesokube.api.Mesokube;
import io.mesokube.api.v1alpha1.agent.Agent;
import io.mesokube.api.v1alpha1.agent.AgentPhase;
import io.mesokube.api.v1alpha1.agent.AgentStatus;
import io.mesokube.api.v1alpha1.common.Condition;
import io.mesokube.api.v1alpha1.common.Resources;
import io.mesokube.api.v1alpha1.offer.Offer;
import io.mesokube.api.v1alpha1.task.Reasons;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.api.v1alpha1.task.TaskState;
import io.mesokube.e2e.controlplane.ControlPlane;
import io.mesokube.e2e.controlplane.ControlPlaneExtension;
import io.mesokube.e2e.controlplane.TestCluster;
import io.mesokube.e2e.process.OperatorProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Agent liveness against a real API server and the packaged operator, with short timeouts
 * (unreachable 3 s, gone 8 s): agents played by {@link HeartbeatingAgent} register, renew their
 * Lease, fall silent, come back, are refused after gone, and register afresh. Offers go to an
 * Offers framework whose scheduler is this test.
 */
@ExtendWith(ControlPlaneExtension.class)
class AgentLifecycleIT {
  private static final Resources AGENT = Resources.of(4, 4096);
  private static final Duration PHASE_WAIT = Duration.ofSeconds(30);
  private static OperatorProcess operator;

  @BeforeAll
  static void startOperator(ControlPlane controlPlane) throws IOException {
    try (KubernetesClient client = controlPlane.newClient()) {
      OperatorLease.ensureNamespace(client);
    }
    operator =
        OperatorProcess.start(
            controlPlane.kubeconfig(),
            "agents-it-1",
            controlPlane.workDir().resolve("logs"),
            Map.of(
                "MESOKUBE_AGENTS_UNREACHABLE_TIMEOUT", "3s",
                "MESOKUBE_AGENTS_GONE_TIMEOUT", "8s"));
  }

  @AfterAll
  static void stopOperator() {
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  void aSilentAgentIsUnreachableThenGoneAndRefusedUntilItRegistersAfresh(TestCluster cluster)
      throws Exception {
    KubernetesClient client = cluster.client();
    String suffix = suffix(cluster);
    try (var lost = HeartbeatingAgent.create(client, "lost-" + suffix, AGENT);
        var peer = HeartbeatingAgent.create(client, "peer-" + suffix, AGENT)) {
      lost.register("lost-id-1");
      lost.startHeartbeat();
      peer.register("peer-id-1");
      peer.startHeartbeat();
      applyFrameworks(cluster);
      apply(cluster, task("pa-0", "pa", lost.name()));
      apply(cluster, task("plain-0", "plain", lost.name()));
      lost.report(cluster.namespace(), "pa-0", TaskState.TASK_RUNNING);
      lost.report(cluster.namespace(), "plain-0", TaskState.TASK_RUNNING);
      await()
          .atMost(PHASE_WAIT)
          .untilAsserted(
              () -> {
                assertReachable(client, lost.name(), Condition.Status.True, "HeartbeatRenewed");
                assertThat(offeredAgents(cluster)).contains(lost.name(), peer.name());
              });

      lost.stopHeartbeat();
      awaitDumping(
          cluster,
          () -> {
            AgentStatus status = status(client, lost.name());
            assertThat(status.phase()).isEqualTo(AgentPhase.Unreachable);
            assertThat(status.unreachableTime()).isNotNull();
            assertReachable(client, lost.name(), Condition.Status.False, "HeartbeatTimeout");
            assertTask(cluster, "pa-0", TaskState.TASK_UNREACHABLE, Reasons.AGENT_REMOVED);
            assertTask(cluster, "plain-0", TaskState.TASK_LOST, Reasons.AGENT_REMOVED);
            assertThat(offeredAgents(cluster)).doesNotContain(lost.name()).contains(peer.name());
          });

      awaitDumping(
          cluster,
          () -> {
            AgentStatus status = status(client, lost.name());
            assertThat(status.phase()).isEqualTo(AgentPhase.Gone);
            assertThat(status.tasks()).isZero();
            assertThat(status.allocated().cpus()).isZero();
            assertTask(cluster, "pa-0", TaskState.TASK_GONE, Reasons.AGENT_REMOVED_BY_OPERATOR);
            assertTask(cluster, "plain-0", TaskState.TASK_LOST, Reasons.AGENT_REMOVED);
            assertThat(offeredAgents(cluster)).doesNotContain(lost.name()).contains(peer.name());
            assertThat(gauge(operator.metrics(), "mesokube_agents", "phase=\"Gone\""))
                .isGreaterThanOrEqualTo(1.0);
          });

      // Back with its old state (the same agent id): refused, and still nothing offered on it.
      lost.renew();
      awaitDumping(
          cluster,
          () -> {
            assertThat(refusals(client, lost.name())).isOne();
            assertReachable(client, lost.name(), Condition.Status.False, "AgentRefused");
          });
      lost.startHeartbeat();
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(6))
          .untilAsserted(
              () -> {
                assertThat(status(client, lost.name()).phase()).isEqualTo(AgentPhase.Gone);
                assertThat(offeredAgents(cluster)).doesNotContain(lost.name());
                assertThat(refusals(client, lost.name()))
                    .as("one event, not one per renewal")
                    .isOne();
              });

      // Restarted with a fresh state: a new agent id, registered by the agent itself.
      lost.register("lost-id-2");
      awaitDumping(
          cluster,
          () -> {
            AgentStatus status = status(client, lost.name());
            assertThat(status.phase()).isEqualTo(AgentPhase.Active);
            assertThat(status.agentId()).isEqualTo("lost-id-2");
            assertThat(status.unreachableTime()).isNull();
            assertReachable(client, lost.name(), Condition.Status.True, "HeartbeatRenewed");
            assertThat(offeredAgents(cluster)).contains(lost.name());
          });
    }
  }

  @Test
  void anAgentBackBeforeTheGoneTimeoutIsActiveAgainAndOfferedAgain(TestCluster cluster)
      throws Exception {
    KubernetesClient client = cluster.client();
    try (var back = HeartbeatingAgent.create(client, "back-" + suffix(cluster), AGENT)) {
      back.register("back-id-1");
      back.startHeartbeat();
      applyFrameworks(cluster);
      apply(cluster, task("pa-0", "pa", back.name()));
      back.report(cluster.namespace(), "pa-0", TaskState.TASK_RUNNING);
      await().atMost(PHASE_WAIT).until(() -> offeredAgents(cluster).contains(back.name()));

      back.stopHeartbeat();
      awaitDumping(
          cluster,
          () -> {
            assertThat(status(client, back.name()).phase()).isEqualTo(AgentPhase.Unreachable);
            assertTask(cluster, "pa-0", TaskState.TASK_UNREACHABLE, Reasons.AGENT_REMOVED);
            assertThat(offeredAgents(cluster)).doesNotContain(back.name());
          });

      back.startHeartbeat();
      awaitDumping(
          cluster,
          () -> {
            AgentStatus status = status(client, back.name());
            assertThat(status.phase()).isEqualTo(AgentPhase.Active);
            assertThat(status.unreachableTime()).isNull();
            assertReachable(client, back.name(), Condition.Status.True, "HeartbeatRenewed");
            assertThat(offeredAgents(cluster)).contains(back.name());
          });
      // Its task waits for the agent to report it: the operator does not guess.
      assertTask(cluster, "pa-0", TaskState.TASK_UNREACHABLE, Reasons.AGENT_REMOVED);
      back.report(cluster.namespace(), "pa-0", TaskState.TASK_RUNNING);
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(6))
          .untilAsserted(
              () -> {
                assertTask(cluster, "pa-0", TaskState.TASK_RUNNING, null);
                assertThat(status(client, back.name()).phase()).isEqualTo(AgentPhase.Active);
              });
    }
  }

  @Test
  void noAgentIsMarkedWhileEveryAgentIsSilentAtOnce(TestCluster cluster) throws Exception {
    KubernetesClient client = cluster.client();
    String suffix = suffix(cluster);
    try (var first = HeartbeatingAgent.create(client, "first-" + suffix, AGENT);
        var second = HeartbeatingAgent.create(client, "second-" + suffix, AGENT)) {
      first.register("first-id-1");
      first.startHeartbeat();
      second.register("second-id-1");
      second.startHeartbeat();
      applyFrameworks(cluster);
      apply(cluster, task("plain-1", "plain", first.name()));
      apply(cluster, task("plain-2", "plain", second.name()));
      first.report(cluster.namespace(), "plain-1", TaskState.TASK_RUNNING);
      second.report(cluster.namespace(), "plain-2", TaskState.TASK_RUNNING);
      await()
          .atMost(PHASE_WAIT)
          .untilAsserted(
              () -> {
                assertReachable(client, first.name(), Condition.Status.True, "HeartbeatRenewed");
                assertReachable(client, second.name(), Condition.Status.True, "HeartbeatRenewed");
              });

      // Both silent at once, as when the operator's view of the cluster breaks: held, not lost.
      // Their last renewals are a renewal interval apart, as they are when a view breaks between
      // them: a check made agent by agent found the second still fresh when the first expired.
      first.stopHeartbeat();
      int renewals = second.renewals();
      await().atMost(PHASE_WAIT).until(() -> second.renewals() > renewals);
      second.stopHeartbeat();
      awaitDumping(
          cluster,
          () -> {
            assertReachable(client, first.name(), Condition.Status.Unknown, "AllAgentsSilent");
            assertReachable(client, second.name(), Condition.Status.Unknown, "AllAgentsSilent");
          });
      await()
          .during(Duration.ofSeconds(4))
          .atMost(Duration.ofSeconds(8))
          .untilAsserted(
              () -> {
                assertThat(status(client, first.name()).phase()).isEqualTo(AgentPhase.Active);
                assertThat(status(client, second.name()).phase()).isEqualTo(AgentPhase.Active);
                assertTask(cluster, "plain-1", TaskState.TASK_RUNNING, null);
                assertTask(cluster, "plain-2", TaskState.TASK_RUNNING, null);
              });

      // One comes back: the other's silence is its own now.
      first.startHeartbeat();
      awaitDumping(
          cluster,
          () -> {
            assertReachable(client, first.name(), Condition.Status.True, "HeartbeatRenewed");
            assertThat(status(client, second.name()).phase()).isEqualTo(AgentPhase.Unreachable);
            assertTask(cluster, "plain-2", TaskState.TASK_LOST, Reasons.AGENT_REMOVED);
            assertTask(cluster, "plain-1", TaskState.TASK_RUNNING, null);
          });
    }
  }

  @Test
  void aRegisteredAgentIsOfferedOnlyOnceTheOperatorSawItRenew(TestCluster cluster)
      throws Exception {
    KubernetesClient client = cluster.client();
    String suffix = suffix(cluster);
    try (var silent = HeartbeatingAgent.create(client, "silent-" + suffix, AGENT);
        var live = HeartbeatingAgent.create(client, "live-" + suffix, AGENT)) {
      applyFrameworks(cluster);
      // Registered, with one Lease renewal, then nothing: as an agent that died just before. Its
      // Lease holds for a minute: it stays Active meanwhile, yet is never offered.
      silent.register("silent-id-1");
      silent.renew(60);
      live.register("live-id-1");
      live.startHeartbeat();
      // (Before its registration, an Agent without phase may be offered for a moment; once it is
      // Active, only a renewal seen by the operator makes it offerable.)
      await()
          .atMost(PHASE_WAIT)
          .untilAsserted(
              () ->
                  assertThat(offeredAgents(cluster))
                      .contains(live.name())
                      .doesNotContain(silent.name()));
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(6))
          .untilAsserted(
              () -> {
                assertThat(offeredAgents(cluster)).doesNotContain(silent.name());
                assertThat(status(client, silent.name()).phase()).isEqualTo(AgentPhase.Active);
              });
      // Its first renewal seen makes it offerable.
      silent.renew(60);
      await()
          .atMost(PHASE_WAIT)
          .untilAsserted(() -> assertThat(offeredAgents(cluster)).contains(silent.name()));
    }
  }

  /** Awaits a phase change; on a timeout, the agents, tasks and the operator's log tail. */
  private static void awaitDumping(TestCluster cluster, ThrowingRunnable assertion)
      throws IOException {
    try {
      await().atMost(PHASE_WAIT).untilAsserted(assertion);
    } catch (AssertionError | ConditionTimeoutException e) {
      KubernetesClient client = cluster.client();
      var serialization = client.getKubernetesSerialization();
      StringBuilder dump = new StringBuilder(e.getMessage()).append("\n--- agents\n");
      client
          .resources(Agent.class)
          .list()
          .getItems()
          .forEach(
              a ->
                  dump.append(a.getMetadata().getName())
                      .append(": ")
                      .append(serialization.asJson(a.getStatus()))
                      .append('\n'));
      dump.append("--- tasks\n");
      client
          .resources(Task.class)
          .list()
          .getItems()
          .forEach(
              t ->
                  dump.append(t.getMetadata().getName())
                      .append(": ")
                      .append(serialization.asJson(t.getStatus()))
                      .append('\n'));
      List<String> log = Files.readAllLines(operator.log());
      dump.append("--- operator log (tail)\n")
          .append(String.join("\n", log.subList(Math.max(0, log.size() - 80), log.size())));
      throw new AssertionError(dump.toString(), e);
    }
  }

  private static void applyFrameworks(TestCluster cluster) {
    apply(
        cluster,
        """
        apiVersion: mesokube.io/v1alpha1
        kind: Framework
        metadata: {name: pa}
        spec: {scheduler: Managed, roles: [pa], capabilities: [PARTITION_AWARE], failoverTimeoutSeconds: 60}
        ---
        apiVersion: mesokube.io/v1alpha1
        kind: Framework
        metadata: {name: plain}
        spec: {scheduler: Managed, roles: [plain], failoverTimeoutSeconds: 60}
        ---
        apiVersion: mesokube.io/v1alpha1
        kind: Framework
        metadata: {name: watcher}
        spec: {scheduler: Offers, roles: [watcher], failoverTimeoutSeconds: 60}
        """);
    // The watcher's scheduler is this test: connected for longer than the test runs.
    cluster
        .client()
        .leases()
        .resource(
            new LeaseBuilder()
                .withNewMetadata()
                .withName(Mesokube.frameworkLeaseName("watcher"))
                .addToLabels(Mesokube.LABEL_FRAMEWORK, "watcher")
                .endMetadata()
                .withNewSpec()
                .withHolderIdentity("agent-lifecycle-it")
                .withLeaseDurationSeconds(300)
                .withRenewTime(ZonedDateTime.now())
                .endSpec()
                .build())
        .serverSideApply();
  }

  private static String task(String name, String framework, String agent) {
    return """
        apiVersion: mesokube.io/v1alpha1
        kind: Task
        metadata: {name: %s}
        spec:
          framework: %s
          agent: %s
          resources: {cpus: 0.5, mem: 128}
          command: {shell: sleep 600}
        """
        .formatted(name, framework, agent);
  }

  private static void apply(TestCluster cluster, String yaml) {
    cluster.controlPlane().applyOk(cluster.namespace(), yaml);
  }

  /** The agents the watcher framework holds offers for. */
  private static List<String> offeredAgents(TestCluster cluster) {
    return cluster
        .client()
        .resources(Offer.class)
        .withLabel(Mesokube.LABEL_FRAMEWORK, "watcher")
        .list()
        .getItems()
        .stream()
        .map(o -> o.getSpec().agent())
        .toList();
  }

  private static AgentStatus status(KubernetesClient client, String agent) {
    AgentStatus status = client.resources(Agent.class).withName(agent).get().getStatus();
    assertThat(status).as("status of agent %s", agent).isNotNull();
    return status;
  }

  private static void assertReachable(
      KubernetesClient client, String agent, Condition.Status expected, String reason) {
    assertThat(status(client, agent).conditions())
        .as("conditions of agent %s", agent)
        .filteredOn(c -> c.type().equals("Reachable"))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.status()).isEqualTo(expected);
              assertThat(c.reason()).isEqualTo(reason);
            });
  }

  private static void assertTask(TestCluster cluster, String name, TaskState state, String reason) {
    Task task = cluster.client().resources(Task.class).withName(name).get();
    assertThat(task.getStatus()).as("status of task %s", name).isNotNull();
    assertThat(task.getStatus().state()).as("state of task %s", name).isEqualTo(state);
    assertThat(task.getStatus().reason()).as("reason of task %s", name).isEqualTo(reason);
    assertThat(task.getStatus().history())
        .as("history of task %s", name)
        .last()
        .satisfies(e -> assertThat(e.state()).isEqualTo(state));
  }

  /** Warning events AgentRefused on the agent (cluster-scoped objects' events are in default). */
  private static long refusals(KubernetesClient client, String agent) {
    return client.events().v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> agent.equals(e.getRegarding().getName()))
        .filter(e -> "AgentRefused".equals(e.getReason()))
        .filter(e -> "Warning".equals(e.getType()))
        .count();
  }

  /** The random end of the test's namespace: Agents are cluster-scoped, their names must differ. */
  private static String suffix(TestCluster cluster) {
    String namespace = cluster.namespace();
    return namespace.substring(namespace.length() - 6);
  }
}
