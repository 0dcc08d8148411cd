package io.mesokube.e2e.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mesokube.api.Mesokube;
import io.mesokube.api.v1alpha1.agent.Agent;
import io.mesokube.api.v1alpha1.agent.AgentPhase;
import io.mesokube.api.v1alpha1.task.Reasons;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.api.v1alpha1.task.TaskState;
import io.mesokube.api.v1alpha1.task.TaskStatusEntry;
import io.mesokube.e2e.controlplane.ControlPlane;
import io.mesokube.e2e.controlplane.ControlPlaneExtension;
import io.mesokube.e2e.controlplane.KubectlResult;
import io.mesokube.e2e.controlplane.TestCluster;
import io.mesokube.e2e.process.AgentProcess;
import io.mesokube.e2e.process.CgroupRoots;
import io.mesokube.e2e.process.OperatorProcess;
import io.mesokube.examples.runner.RunnerMain;
import io.mesokube.examples.runner.RunnerOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Mesokube end to end: the operator and two agents as processes, each with only its RBAC from
 * {@code deploy/rbac}, against a real control plane; tasks placed by the operator or offered to a
 * framework, and run for real by the agents in host cgroups.
 */
@ExtendWith(ControlPlaneExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MesokubeE2EIT {
  private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
  private static final String CGROUPS = "mesokube-e2e-" + SUFFIX;
  private static final List<String> AGENTS = List.of("e2e-a-" + SUFFIX, "e2e-b-" + SUFFIX);
  private static final Map<String, AgentProcess> agents = new HashMap<>();
  private static OperatorProcess operator;

  @BeforeAll
  static void start(ControlPlane controlPlane) throws IOException {
    Path deploy = Path.of(System.getProperty("mesokube.deploy.dir"));
    for (String file : List.of("operator.yaml", "agent.yaml", "framework-scheduler.yaml")) {
      KubectlResult applied =
          controlPlane.kubectl("apply", "-f", deploy.resolve("rbac").resolve(file).toString());
      assertThat(applied.succeeded()).as("apply %s: %s", file, applied.stderr()).isTrue();
    }
    Path logs = controlPlane.workDir().resolve("logs");
    operator =
        OperatorProcess.start(
            serviceAccount(controlPlane, "mesokube-operator"),
            "e2e-1",
            logs,
            Map.of(
                "MESOKUBE_AGENTS_UNREACHABLE_TIMEOUT", "4s",
                "MESOKUBE_AGENTS_GONE_TIMEOUT", "10m"));
    for (String name : AGENTS) {
      Path state = Files.createDirectories(Path.of("/tmp", "mesokube-e2e-" + name));
      Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxr-xr-x"));
      agents.put(
          name,
          AgentProcess.start(
              serviceAccount(controlPlane, "mesokube-agent"),
              name,
              state,
              CGROUPS,
              logs,
              Map.of(
                  "MESOKUBE_AGENT_RESOURCES_CPUS", "2",
                  "MESOKUBE_AGENT_RESOURCES_MEM", "2048",
                  "MESOKUBE_AGENT_HEARTBEAT_LEASE_DURATION", "2s")));
    }
  }

  @AfterAll
  static void stopAndCheckNothingLeaked() throws IOException {
    try {
      agents.values().forEach(AgentProcess::close);
      if (operator != null) {
        operator.close();
      }
      for (String name : AGENTS) {
        assertThat(CgroupRoots.taskCgroups(CGROUPS + "/" + name))
            .as("task cgroups of %s", name)
            .isEmpty();
      }
      assertThat(CgroupRoots.processes(CGROUPS)).as("processes left").isEmpty();
    } finally {
      CgroupRoots.remove(CGROUPS);
    }
  }

  @Test
  @Order(1)
  void managedTasksArePlacedByTheOperatorAndRunByTheAgents(TestCluster cluster) throws Exception {
    apply(cluster, framework("batch", "Managed", ""));
    Instant created = Instant.now();
    for (int i = 0; i < 12; i++) {
      apply(
          cluster,
          """
          apiVersion: mesokube.io/v1alpha1
          kind: Task
          metadata: {name: job-%d}
          spec:
            framework: batch
            resources: {cpus: 0.5, mem: 64}
            command: {shell: 'echo "$MESOS_TASK_ID on $MESOS_AGENT_ID"; sleep 1'}
          """
              .formatted(i));
    }

    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () ->
                assertThat(tasks(cluster))
                    .allSatisfy(t -> assertThat(state(t)).isEqualTo(TaskState.TASK_FINISHED)));
    List<Task> done = tasks(cluster);
    assertThat(done).extracting(t -> t.getSpec().agent()).containsOnlyElementsOf(AGENTS);
    // 12 tasks of half a cpu on two agents of two: they cannot all run at once, so some waited
    // for others to finish and release their resources.
    assertThat(done)
        .allSatisfy(
            t ->
                assertThat(t.getStatus().history())
                    .extracting(TaskStatusEntry::state)
                    .containsExactly(TaskState.TASK_RUNNING, TaskState.TASK_FINISHED));
    // Each task's output, read through the operator, which proxies its agent's files API.
    Task first = done.getFirst();
    var read =
        operator.get(
            "/agents/"
                + first.getSpec().agent()
                + "/files/read?offset=0&length=200&path="
                + AgentProcess.encode(first.getStatus().sandbox() + "/stdout"));
    assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
    assertThat(read.body())
        .contains(cluster.namespace() + "/" + first.getMetadata().getName() + " on ");
    List<Long> latencies = new ArrayList<>();
    for (Task t : done) {
      Instant running = Instant.parse(t.getStatus().startTime());
      latencies.add(
          Duration.between(Instant.parse(t.getMetadata().getCreationTimestamp()), running)
              .toMillis());
    }
    System.out.printf(
        "E2E: %d Managed tasks, created -> TASK_RUNNING ms (placement, bind, launch): %s (since %s)%n",
        done.size(), latencies.stream().sorted().toList(), created);
  }

  @Test
  @Order(2)
  void deletingARunningTaskKillsItThroughItsAgent(TestCluster cluster) throws IOException {
    apply(cluster, framework("svc", "Managed", ""));
    apply(
        cluster,
        """
        apiVersion: mesokube.io/v1alpha1
        kind: Task
        metadata: {name: server}
        spec:
          framework: svc
          resources: {cpus: 0.1, mem: 32}
          command: {shell: exec sleep 600}
        """);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> state(task(cluster, "server")) == TaskState.TASK_RUNNING);
    Task running = task(cluster, "server");
    String cgroupRoot = CGROUPS + "/" + running.getSpec().agent();
    assertThat(CgroupRoots.taskCgroups(cgroupRoot))
        .anyMatch(p -> p.endsWith(running.getMetadata().getUid()));

    cluster.client().resources(Task.class).withName("server").delete();

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(CgroupRoots.taskCgroups(cgroupRoot))
                    .noneMatch(p -> p.endsWith(running.getMetadata().getUid())));
  }

  @Test
  @Order(3)
  void theExampleFrameworkRunsItsTasksThroughOffers(TestCluster cluster) throws Exception {
    // The runner tears its framework down at the end, and its Tasks with it: watch them meanwhile.
    Map<String, TaskState> seen = new java.util.concurrent.ConcurrentHashMap<>();
    var informer =
        cluster
            .client()
            .resources(Task.class)
            .inform(
                new io.fabric8.kubernetes.client.informers.ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Task t) {
                    record(t);
                  }

                  @Override
                  public void onUpdate(Task before, Task after) {
                    record(after);
                  }

                  @Override
                  public void onDelete(Task t, boolean unknown) {}

                  private void record(Task t) {
                    TaskState s = state(t);
                    if (s != null) {
                      seen.put(t.getMetadata().getName(), s);
                    }
                  }
                });
    try {
      int exit =
          CompletableFuture.supplyAsync(
                  () ->
                      RunnerMain.run(
                          RunnerOptions.parse(
                              "--namespace", cluster.namespace(),
                              "--name", "runner",
                              "--tasks", "10",
                              "--cpus", "0.25",
                              "--mem", "32",
                              "--command", "echo hello from $MESOS_TASK_ID"),
                          cluster.client()))
              .get(180, TimeUnit.SECONDS);

      assertThat(exit).as("runner exit code; operator log: %s", operator.log()).isZero();
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(seen.values())
                      .hasSize(10)
                      .allSatisfy(s -> assertThat(s).isEqualTo(TaskState.TASK_FINISHED)));
    } finally {
      informer.close();
    }
  }

  @Test
  @Order(4)
  void anAgentThatDiesHasItsTasksLostAndKillsThemWhenItReturns(TestCluster cluster)
      throws Exception {
    apply(cluster, framework("fragile", "Managed", ""));
    String victim = AGENTS.get(1);
    apply(
        cluster,
        """
        apiVersion: mesokube.io/v1alpha1
        kind: Task
        metadata: {name: stranded}
        spec:
          framework: fragile
          agent: %s
          resources: {cpus: 0.1, mem: 32}
          command: {shell: exec sleep 600}
        """
            .formatted(victim));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> state(task(cluster, "stranded")) == TaskState.TASK_RUNNING);
    String uid = task(cluster, "stranded").getMetadata().getUid();

    agents.get(victim).kill();

    // Not PARTITION_AWARE: TASK_LOST once the heartbeat is missed past the unreachable timeout.
    // (The operator writes the tasks' states, then the agent's: await both.)
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Task t = task(cluster, "stranded");
              assertThat(state(t)).isEqualTo(TaskState.TASK_LOST);
              assertThat(t.getStatus().reason()).isEqualTo(Reasons.AGENT_REMOVED);
              assertThat(phase(cluster, victim)).isEqualTo(AgentPhase.Unreachable);
            });
    // The task kept running on the host meanwhile, as in a partition.
    assertThat(CgroupRoots.taskCgroups(CGROUPS + "/" + victim)).anyMatch(p -> p.endsWith(uid));

    agents.get(victim).start();

    // Back: the agent is Active again and kills what the API server holds as lost.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(phase(cluster, victim)).isEqualTo(AgentPhase.Active);
              assertThat(CgroupRoots.taskCgroups(CGROUPS + "/" + victim))
                  .noneMatch(p -> p.endsWith(uid));
            });
    assertThat(state(task(cluster, "stranded"))).isEqualTo(TaskState.TASK_LOST);
  }

  // ---------------------------------------------------------------- helpers

  private static Path serviceAccount(ControlPlane controlPlane, String name) {
    return controlPlane.kubeconfigFor(
        "system:serviceaccount:" + Mesokube.SYSTEM_NAMESPACE + ":" + name,
        "system:serviceaccounts",
        "system:serviceaccounts:" + Mesokube.SYSTEM_NAMESPACE,
        "system:authenticated");
  }

  private static String framework(String name, String scheduler, String extra) {
    return """
        apiVersion: mesokube.io/v1alpha1
        kind: Framework
        metadata: {name: %s}
        spec: {scheduler: %s, roles: [e2e], user: nobody%s}
        """
        .formatted(name, scheduler, extra);
  }

  private static void apply(TestCluster cluster, String yaml) {
    cluster.controlPlane().applyOk(cluster.namespace(), yaml);
  }

  private static List<Task> tasks(TestCluster cluster) {
    return cluster.client().resources(Task.class).list().getItems();
  }

  private static AgentPhase phase(TestCluster cluster, String agent) {
    return cluster.client().resources(Agent.class).withName(agent).get().getStatus().phase();
  }

  private static Task task(TestCluster cluster, String name) {
    return cluster.client().resources(Task.class).withName(name).get();
  }

  private static TaskState state(Task task) {
    return task == null || task.getStatus() == null ? null : task.getStatus().state();
  }
}
