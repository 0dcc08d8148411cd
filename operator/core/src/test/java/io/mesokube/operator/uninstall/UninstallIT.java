package io.mesokube.operator.uninstall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.mesokube.api.Mesokube;
import io.mesokube.api.v1alpha1.agent.Agent;
import io.mesokube.api.v1alpha1.agent.AgentConditions;
import io.mesokube.api.v1alpha1.agent.Maintenance;
import io.mesokube.e2e.controlplane.ControlPlane;
import io.mesokube.e2e.controlplane.ControlPlaneExtension;
import io.mesokube.e2e.controlplane.KubectlResult;
import io.mesokube.e2e.controlplane.TestCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The uninstall drain against a real API server, as the chart's pre-delete hook runs it: with
 * nothing but the hook's ClusterRole (rendered from the chart by helm template), as its
 * ServiceAccount. No agent runs here: the test plays the agents, writing their phase and, once it
 * sees them Down, their Drained condition as an agent does.
 *
 * <p>The drain works on every Agent of the cluster, so each test starts by deleting them all; the
 * other classes of this suite remove their agents when they end.
 */
@ExtendWith(ControlPlaneExtension.class)
class UninstallIT {
  private static final Path CHART =
      Path.of(System.getProperty("user.dir"), "../../charts/mesokube");
  private static final String RELEASE = "uninstall-it";
  private static final String HOOK = RELEASE + "-mesokube-uninstall";
  private static final String REASON = "uninstall IT";

  @BeforeEach
  void noOtherAgents(TestCluster cluster) {
    KubernetesClient admin = cluster.client();
    admin.resources(Agent.class).delete();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> admin.resources(Agent.class).list().getItems().isEmpty());
  }

  @AfterAll
  static void removeTheHooksRbac(ControlPlane controlPlane) {
    controlPlane.kubectl("delete", "clusterrole,clusterrolebinding", HOOK, "--ignore-not-found");
  }

  @Test
  void drainsEveryActiveAgentSkipsTheUnreachableAndDeletesTheAgents(TestCluster cluster)
      throws Exception {
    KubernetesClient admin = cluster.client();
    for (String name : List.of("a", "b", "c", "lost")) {
      cluster.controlPlane().applyOk(null, agent(name, true));
    }
    cluster.controlPlane().applyOk(null, agent("by-hand", false));
    setStatus(admin, "a", "Active", null);
    setStatus(admin, "b", "Active", null);
    setStatus(admin, "c", "Active", null);
    setStatus(admin, "lost", "Unreachable", null);
    Output out = new Output();

    CompletableFuture<Integer> drain = start(cluster, out, "--timeout=60s", "--reason=" + REASON);

    Map<String, Long> downAt = new LinkedHashMap<>();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              for (String name : List.of("a", "b", "c", "lost", "by-hand")) {
                Agent agent = admin.resources(Agent.class).withName(name(name)).get();
                assertThat(agent.getSpec().maintenance())
                    .as(name)
                    .isEqualTo(new Maintenance(Maintenance.Mode.Down, REASON));
                assertThat(agent.getSpec().attributes())
                    .as("the rest of the spec stays")
                    .isEqualTo(Map.of("rack", "r1"));
                assertThat(agent.getMetadata().getManagedFields())
                    .anySatisfy(f -> assertThat(f.getManager()).isEqualTo(Drain.FIELD_MANAGER));
                downAt.put(name, agent.getMetadata().getGeneration());
              }
            });
    // As the agents would: a drained at once, b still killing, c not yet acting.
    setStatus(admin, "a", "Active", drained(true, downAt.get("a"), "no task left"));
    setStatus(
        admin, "b", "Active", drained(false, downAt.get("b"), "killing its tasks: 3 tasks left"));

    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(5))
        .until(() -> !drain.isDone());
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(out.text())
                    .contains(
                        "1/3 agents drained, 2 skipped; waiting for "
                            + name("b")
                            + " (Draining: killing its tasks: 3 tasks left), "
                            + name("c")
                            + " (the agent has not acted on Down yet)")
                    .contains(
                        name("lost")
                            + " is Unreachable: it cannot drain; tasks still running on its node"
                            + " stay there; not waiting for it.")
                    .contains(name("by-hand") + " has not registered: it cannot drain"));

    setStatus(admin, "c", "Unreachable", null);
    setStatus(admin, "b", "Active", drained(true, downAt.get("b"), "no task left"));

    assertThat(drain.get(20, TimeUnit.SECONDS)).as(out.text()).isZero();
    assertThat(out.text())
        .contains(name("c") + " is Unreachable: it cannot drain")
        .containsPattern(
            "Drained in \\d+s: 2 agents drained, 3 skipped \\("
                + name("by-hand")
                + ", "
                + name("c")
                + ", "
                + name("lost")
                + "\\); 4 Agent objects deleted\\.");
    assertThat(admin.resources(Agent.class).list().getItems())
        .as("only the Agent applied by hand, without the managed-by label, stays")
        .extracting(a -> a.getMetadata().getName())
        .containsExactly(name("by-hand"));
  }

  @Test
  void anAgentThatDoesNotDrainInTimeFailsTheDrainAndKeepsItsAgent(TestCluster cluster)
      throws Exception {
    KubernetesClient admin = cluster.client();
    cluster.controlPlane().applyOk(null, agent("stuck", true));
    // Down already, by someone else: the drain keeps that reason and awaits that generation.
    admin
        .resources(Agent.class)
        .withName(name("stuck"))
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"maintenance\":{\"mode\":\"Down\",\"reason\":\"disk replaced\"}}}");
    long generation =
        admin.resources(Agent.class).withName(name("stuck")).get().getMetadata().getGeneration();
    setStatus(
        admin, "stuck", "Active", drained(false, generation, "killing its tasks: 1 task left"));
    Output out = new Output();

    Instant started = Instant.now();
    int exit = start(cluster, out, "--timeout=3s").get(30, TimeUnit.SECONDS);

    assertThat(exit).as(out.text()).isEqualTo(UninstallCommand.FAILED);
    assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofSeconds(15));
    assertThat(out.text())
        .contains(
            name("stuck") + ": already Down (reason \"disk replaced\", generation " + generation)
        .contains(
            "Timed out after 3s: 1 agent has not drained:\n  "
                + name("stuck")
                + ": Draining: killing its tasks: 1 task left\n")
        .contains("helm uninstall --no-hooks");
    Agent kept = admin.resources(Agent.class).withName(name("stuck")).get();
    assertThat(kept).as("not deleted").isNotNull();
    assertThat(kept.getSpec().maintenance().reason()).isEqualTo("disk replaced");
  }

  @Test
  void thePackagedJarRunsTheDrainWithoutStartingQuarkus(TestCluster cluster) throws Exception {
    cluster.controlPlane().applyOk(null, agent("unregistered", true));
    Path kubeconfig = hookKubeconfig(cluster);
    Path jar = Path.of(System.getProperty("mesokube.operator.app"));
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder command =
        new ProcessBuilder(java, "-jar", jar.toString(), "uninstall", "--timeout=30s")
            .redirectErrorStream(true);
    command.environment().put("KUBECONFIG", kubeconfig.toString());

    Process process = command.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output)
        .contains(name("unregistered") + ": maintenance Down")
        .contains("1 Agent objects deleted.")
        // Quarkus' startup logs, and the operator's: none of them ran.
        .doesNotContain("Installed features")
        .doesNotContain("Profile prod activated")
        .doesNotContainIgnoringCase("leader")
        .doesNotContain("io.javaoperatorsdk");
    assertThat(cluster.client().resources(Agent.class).withName(name("unregistered")).get())
        .isNull();
  }

  /** Runs the command in this JVM, as the chart's hook ServiceAccount, on another thread. */
  private static CompletableFuture<Integer> start(TestCluster cluster, Output out, String... args) {
    UninstallOptions options = UninstallOptions.parse(List.of(args));
    Path kubeconfig = hookKubeconfig(cluster);
    return CompletableFuture.supplyAsync(
        () -> {
          try (KubernetesClient client =
              new KubernetesClientBuilder()
                  .withConfig(Config.fromKubeconfig(kubeconfig.toFile()))
                  .build()) {
            return UninstallCommand.run(client, options, out.stream);
          }
        });
  }

  /**
   * Applies the hook's ServiceAccount, ClusterRole and ClusterRoleBinding as the chart renders
   * them, for a release in the test's namespace, and returns a kubeconfig of that ServiceAccount.
   */
  private static Path hookKubeconfig(TestCluster cluster) {
    ControlPlane controlPlane = cluster.controlPlane();
    KubectlResult rendered =
        controlPlane.helm(
            "template",
            RELEASE,
            CHART.normalize().toString(),
            "--namespace",
            cluster.namespace(),
            "--show-only",
            "templates/uninstall-rbac.yaml");
    assertThat(rendered.succeeded()).as(rendered.stderr()).isTrue();
    assertThat(rendered.stdout())
        .contains("helm.sh/hook: pre-delete")
        .contains("verbs: [get, list, watch, patch, delete]");
    controlPlane.applyOk(null, rendered.stdout());
    String user = "system:serviceaccount:" + cluster.namespace() + ":" + HOOK;
    return controlPlane.kubeconfigFor(
        user,
        "system:serviceaccounts",
        "system:serviceaccounts:" + cluster.namespace(),
        "system:authenticated");
  }

  private static String name(String agent) {
    return "uninstall-it-" + agent;
  }

  private static String agent(String name, boolean labelled) {
    return """
        apiVersion: mesokube.io/v1alpha1
        kind: Agent
        metadata:
          name: %s
          labels: {%s}
        spec:
          hostname: %s.local
          resources: {cpus: 2, mem: 2048}
          attributes: {rack: r1}
        """
        .formatted(
            name(name),
            labelled ? Mesokube.LABEL_MANAGED_BY + ": " + Mesokube.MANAGED_BY : "",
            name(name));
  }

  /** Writes the agent's phase and Drained condition (none if null), as the agent does. */
  private static void setStatus(
      KubernetesClient admin, String agent, String phase, Map<String, Object> drained) {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("phase", phase);
    List<Map<String, Object>> conditions = new ArrayList<>();
    if (drained != null) {
      conditions.add(drained);
    }
    status.put("conditions", conditions);
    admin
        .resources(Agent.class)
        .withName(name(agent))
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            admin.getKubernetesSerialization().asJson(Map.of("status", status)));
  }

  private static Map<String, Object> drained(boolean status, long generation, String message) {
    return Map.of(
        "type",
        AgentConditions.DRAINED,
        "status",
        status ? "True" : "False",
        "observedGeneration",
        generation,
        "lastTransitionTime",
        Instant.now().toString(),
        "reason",
        status ? "Drained" : "Draining",
        "message",
        message);
  }

  /** The command's stdout, read while it runs. */
  private static final class Output {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    String text() {
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }
}
