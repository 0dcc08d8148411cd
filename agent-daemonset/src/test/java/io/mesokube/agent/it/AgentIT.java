package io.mesokube.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.mesokube.agent.checkpoint.LaunchLog;
import io.mesokube.api.Mesokube;
import io.mesokube.api.v1alpha1.agent.Agent;
import io.mesokube.api.v1alpha1.agent.AgentConditions;
import io.mesokube.api.v1alpha1.agent.AgentPhase;
import io.mesokube.api.v1alpha1.common.Condition;
import io.mesokube.api.v1alpha1.role.RolePolicy;
import io.mesokube.api.v1alpha1.task.Reasons;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.api.v1alpha1.task.TaskState;
import io.mesokube.api.v1alpha1.task.TaskStatusEntry;
import io.mesokube.e2e.controlplane.Component;
import io.mesokube.e2e.controlplane.ControlPlane;
import io.mesokube.e2e.controlplane.ControlPlaneExtension;
import io.mesokube.e2e.controlplane.TestCluster;
import io.mesokube.e2e.process.AgentProcess;
import io.mesokube.e2e.process.CgroupRoots;
import io.mesokube.e2e.process.HostProcesses;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The packaged agent against a real API server, running tasks for real: processes under their
 * supervisors, in the host's cgroups (v1 on this machine), as the unprivileged user {@code nobody}.
 * No operator runs: the tests bind Tasks to the agent themselves, as an accept would.
 */
@ExtendWith(ControlPlaneExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentIT {
  private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
  private static final String AGENT = "agent-it-" + SUFFIX;
  private static final String CGROUP_PARENT = "mesokube-it-" + SUFFIX;
  private static final String CGROUP_ROOT = CGROUP_PARENT + "/" + AGENT;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Path stateDir;
  private static AgentProcess agent;

  @BeforeAll
  static void startAgent(ControlPlane controlPlane) throws IOException {
    stateDir = AgentUnderTest.traversable(Path.of("/tmp", "mesokube-agent-it-" + SUFFIX));
    // The agent runs with nothing but its RBAC from deploy/, as its ServiceAccount would.
    agent =
        AgentUnderTest.start(
            controlPlane,
            AGENT,
            stateDir,
            CGROUP_PARENT,
            Map.of("MESOKUBE_AGENT_RESOURCES_CPUS", "4", "MESOKUBE_AGENT_RESOURCES_MEM", "4096"));
  }

  @AfterAll
  static void stopAgentAndCheckNothingLeaked() throws Exception {
    AgentUnderTest.stopAndCheckNothingLeft(agent, AGENT, CGROUP_PARENT);
  }

  @Test
  @Order(1)
  void registersItsResourcesAndHeartbeats(TestCluster cluster) {
    Agent registered = cluster.client().resources(Agent.class).withName(AGENT).get();
    assertThat(registered.getSpec().resources().cpus()).isEqualTo(4.0);
    assertThat(registered.getSpec().resources().mem()).isEqualTo(4096.0);
    assertThat(registered.getSpec().resources().ports()).hasSize(1);
    assertThat(registered.getStatus().phase()).isEqualTo(AgentPhase.Active);
    assertThat(registered.getStatus().agentId()).endsWith("-S0");
    assertThat(registered.getStatus().capabilities().cgroupVersion()).isEqualTo("v1");

    Lease first = lease(cluster);
    assertThat(first.getSpec().getHolderIdentity()).isEqualTo(registered.getStatus().agentId());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> lease(cluster).getSpec().getRenewTime().isAfter(first.getSpec().getRenewTime()));
  }

  @Test
  @Order(2)
  void aTaskRunsAsNobodyAndEndsWithItsExitCodeAndOutput(TestCluster cluster) throws Exception {
    framework(cluster);
    apply(
        cluster,
        Manifests.task(
            "exit-3",
            "fw",
            AGENT,
            0.1,
            32,
            "id -un; printf \"h\\303\\251llo\\nworld\"; exit 3",
            null));

    Task task = awaitTerminal(cluster, "exit-3");

    assertThat(task.getStatus().state()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(task.getStatus().reason()).isEqualTo(Reasons.COMMAND_EXECUTOR_FAILED);
    assertThat(task.getStatus().exitCode()).isEqualTo(3);
    assertThat(task.getStatus().history())
        .extracting(TaskStatusEntry::state)
        .containsExactly(TaskState.TASK_RUNNING, TaskState.TASK_FAILED);
    String stdout = task.getStatus().sandbox() + "/stdout";
    assertThat(read(stdout, 0, 100)).isEqualTo("nobody\nhéllo\nworld");
    assertThat(read(stdout, 7, 6)).isEqualTo("héllo");
    assertThat(read(stdout, 14, 100)).isEqualTo("world");
    assertThat(
            agent
                .get(
                    "/files/read?path="
                        + AgentProcess.encode(
                            task.getStatus().sandbox() + "/../../../../../etc/passwd")
                        + "&offset=0")
                .statusCode())
        .isEqualTo(403);
  }

  @Test
  @Order(3)
  void aTaskOverItsMemoryLimitFailsWithTheMesosReason(TestCluster cluster) {
    framework(cluster);
    apply(
        cluster,
        Manifests.task("hog", "fw", AGENT, 0.1, 64, "head -c 256M /dev/zero | tail", null));

    Task task = awaitTerminal(cluster, "hog");

    assertThat(task.getStatus().state()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(task.getStatus().reason()).isEqualTo(Reasons.CONTAINER_LIMITATION_MEMORY);
  }

  @Test
  @Order(4)
  void halfACpuIsHalfACoreAndAKillEndsIt(TestCluster cluster) throws Exception {
    framework(cluster);
    apply(cluster, Manifests.task("spin", "fw", AGENT, 0.5, 32, "while :; do :; done", null));
    Task running = awaitState(cluster, "spin", TaskState.TASK_RUNNING);
    String uid = running.getMetadata().getUid();

    long cpu0 = CgroupRoots.cpuNanos(CGROUP_ROOT, uid);
    long t0 = System.nanoTime();
    await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ofSeconds(3)).until(() -> true);
    double cores =
        (CgroupRoots.cpuNanos(CGROUP_ROOT, uid) - cpu0) / (double) (System.nanoTime() - t0);
    assertThat(cores).as("cores used under a 0.5 cpu quota").isBetween(0.3, 0.7);
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                assertThat(agent.get("/q/metrics").body().lines())
                    .anyMatch(
                        l ->
                            l.startsWith("mesokube_agent_task_cpu_usage_seconds{")
                                && l.contains("task=\"spin\""))
                    .anyMatch(
                        l ->
                            l.matches("mesokube_agent_tasks\\{state=\"TASK_RUNNING\"\\} [1-9].*")));

    patch(cluster, "spin", "{\"spec\":{\"kill\":true}}");
    Task task = awaitTerminal(cluster, "spin");
    assertThat(task.getStatus().state()).isEqualTo(TaskState.TASK_KILLED);
  }

  @Test
  @Order(5)
  void aKillGivesTheGracePeriodAndADeletedTaskStops(TestCluster cluster) throws Exception {
    framework(cluster);
    apply(
        cluster,
        Manifests.task(
            "polite",
            "fw",
            AGENT,
            0.1,
            32,
            "trap \"echo bye; exit 0\" TERM; echo up; while :; do sleep 0.1; done",
            "killPolicy: {gracePeriodSeconds: 10}"));
    apply(cluster, Manifests.task("doomed", "fw", AGENT, 0.1, 32, "exec sleep 600", null));
    Task polite = awaitState(cluster, "polite", TaskState.TASK_RUNNING);
    Task doomed = awaitState(cluster, "doomed", TaskState.TASK_RUNNING);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> read(polite.getStatus().sandbox() + "/stdout", 0, 10).equals("up\n"));

    patch(cluster, "polite", "{\"spec\":{\"kill\":true}}");
    cluster.client().resources(Task.class).withName("doomed").delete();

    Task killed = awaitTerminal(cluster, "polite");
    assertThat(killed.getStatus().state()).isEqualTo(TaskState.TASK_KILLED);
    assertThat(read(killed.getStatus().sandbox() + "/stdout", 0, 100)).isEqualTo("up\nbye\n");
    String doomedUid = doomed.getMetadata().getUid();
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                assertThat(CgroupRoots.taskCgroups(CGROUP_ROOT))
                    .noneMatch(p -> p.endsWith(doomedUid)));
  }

  @Test
  @Order(6)
  void rootNeedsAPolicyAndAnUnknownUserFailsTheLaunch(TestCluster cluster) {
    framework(cluster);
    apply(
        cluster,
        Manifests.task("as-root", "fw", AGENT, 0.1, 32, "id -u", null)
            .replace("shell:", "user: root\n    shell:"));
    apply(
        cluster,
        Manifests.task("as-ghost", "fw", AGENT, 0.1, 32, "id -u", null)
            .replace("shell:", "user: ghost-user\n    shell:"));

    Task root = awaitTerminal(cluster, "as-root");
    Task ghost = awaitTerminal(cluster, "as-ghost");

    assertThat(root.getStatus().state()).isEqualTo(TaskState.TASK_ERROR);
    assertThat(root.getStatus().reason()).isEqualTo(Reasons.TASK_UNAUTHORIZED);
    assertThat(ghost.getStatus().state()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(ghost.getStatus().reason()).isEqualTo(Reasons.CONTAINER_LAUNCH_FAILED);
    assertThat(ghost.getStatus().message()).contains("ghost-user");
  }

  @Test
  @Order(7)
  void aFailingHealthCheckKillsTheTask(TestCluster cluster) {
    framework(cluster);
    apply(
        cluster,
        Manifests.task(
            "sick",
            "fw",
            AGENT,
            0.1,
            32,
            "touch healthy; sleep 4; rm healthy; exec sleep 600",
            """
            healthCheck:
              type: COMMAND
              command: {shell: "test -f healthy"}
              delaySeconds: 0
              intervalSeconds: 1
              timeoutSeconds: 2
              consecutiveFailures: 2
              gracePeriodSeconds: 0
            """));

    // The check runs as the task's user in its sandbox: it passes while the file is there.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              Task t = cluster.client().resources(Task.class).withName("sick").get();
              return t.getStatus() != null && Boolean.TRUE.equals(t.getStatus().healthy());
            });
    Task task = awaitTerminal(cluster, "sick");

    assertThat(task.getStatus().state()).isEqualTo(TaskState.TASK_KILLED);
    assertThat(task.getStatus().reason()).isEqualTo(Reasons.TASK_HEALTH_CHECK_STATUS_UPDATED);
    assertThat(task.getStatus().healthy()).isFalse();
  }

  @Test
  @Order(8)
  void tasksSurviveAKill9OfTheAgentAndReportTheirRealExitCodes(TestCluster cluster)
      throws Exception {
    framework(cluster);
    // Twenty tasks, each waiting for its gate file: the test opens the first ten's while the agent
    // is down, the others' after it is back (gates, not sleeps: on a loaded machine launching
    // twenty tasks may take longer than a short sleep).
    Gate first = new Gate("first");
    Gate second = new Gate("second");
    try {
      for (int i = 0; i < 20; i++) {
        Gate gate = i < 10 ? first : second;
        apply(cluster, Manifests.task("t" + i, "fw", AGENT, 0.05, 32, gate.command(i % 4), null));
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  states(cluster).values().stream().filter(s -> s == TaskState.TASK_RUNNING).count()
                      == 20);

      agent.kill();
      first.open();
      // With the agent down, the first ten end: their supervisors record it.
      await().atMost(Duration.ofSeconds(30)).until(() -> exitFiles() >= 10);
      assertThat(states(cluster).values()).allMatch(s -> s == TaskState.TASK_RUNNING);
      agent.start();
      second.open();
      assertAllEndOnceWithTheirRealExitCodes(cluster);
    } finally {
      first.close();
      second.close();
    }
  }

  private static void assertAllEndOnceWithTheirRealExitCodes(TestCluster cluster)
      throws IOException {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> states(cluster).values().stream().allMatch(s -> s != null && s.isTerminal()));
    // The agent's own record: each of the twenty started once, none again after the restart.
    List<String> launches = new LaunchLog(stateDir).uids();
    for (int i = 0; i < 20; i++) {
      Task t = cluster.client().resources(Task.class).withName("t" + i).get();
      int code = i % 4;
      assertThat(t.getStatus().exitCode()).as("exit code of t%d", i).isEqualTo(code);
      assertThat(t.getStatus().state())
          .as("state of t%d", i)
          .isEqualTo(code == 0 ? TaskState.TASK_FINISHED : TaskState.TASK_FAILED);
      // Each state once: nothing resent after the restart was written twice.
      assertThat(launches.stream().filter(t.getMetadata().getUid()::equals))
          .as("launches of t%d", i)
          .hasSize(1);
      assertThat(t.getStatus().history())
          .extracting(TaskStatusEntry::state)
          .as("history of t%d", i)
          .containsExactly(TaskState.TASK_RUNNING, t.getStatus().state());
    }
  }

  @Test
  @Order(9)
  void statusesOfTasksThatEndWhileTheApiServerIsDownArriveOnceItIsBack(TestCluster cluster)
      throws IOException {
    framework(cluster);
    Gate gate = new Gate("outage");
    for (int i = 0; i < 10; i++) {
      apply(cluster, Manifests.task("o" + i, "fw", AGENT, 0.05, 32, gate.command(i % 3), null));
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> states(cluster).values().stream().allMatch(s -> s == TaskState.TASK_RUNNING));

    cluster.controlPlane().stop(Component.KUBE_APISERVER);
    try {
      // The tasks end now, with nobody to tell.
      gate.open();
      await().atMost(Duration.ofSeconds(40)).pollDelay(Duration.ofSeconds(30)).until(() -> true);
      assertThat(agent.isAlive()).isTrue();
    } finally {
      cluster.controlPlane().start(Component.KUBE_APISERVER);
      gate.close();
    }

    // A new client: the test's own may hold a connection to the stopped server for a while.
    try (KubernetesClient client = cluster.controlPlane().newClient()) {
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(states(client, cluster.namespace()).values())
                      .allMatch(s -> s != null && s.isTerminal()));
    }
    for (int i = 0; i < 10; i++) {
      Task t = cluster.client().resources(Task.class).withName("o" + i).get();
      assertThat(t.getStatus().exitCode()).as("exit code of o%d", i).isEqualTo(i % 3);
      assertThat(t.getStatus().history())
          .extracting(TaskStatusEntry::state)
          .as("history of o%d", i)
          .containsExactly(TaskState.TASK_RUNNING, t.getStatus().state());
    }
  }

  @Test
  @Order(10)
  void aProgramThatDoesNotExistFailsTheTaskWithAMessage(TestCluster cluster) {
    framework(cluster);
    apply(
        cluster,
        """
        apiVersion: mesokube.io/v1alpha1
        kind: Task
        metadata: {name: missing}
        spec:
          framework: fw
          agent: %s
          resources: {cpus: 0.1, mem: 32}
          command: {argv: [/no/such/program, --flag]}
        """
            .formatted(AGENT));

    Task task = awaitTerminal(cluster, "missing");

    assertThat(task.getStatus().state()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(task.getStatus().reason()).isEqualTo(Reasons.CONTAINER_LAUNCH_FAILED);
    assertThat(task.getStatus().message()).contains("/no/such/program");
  }

  @Test
  @Order(11)
  void aTaskMarkedUnreachableIsReportedRunningAgain(TestCluster cluster) {
    framework(cluster);
    apply(cluster, Manifests.task("partitioned", "fw", AGENT, 0.05, 32, "exec sleep 600", null));
    awaitState(cluster, "partitioned", TaskState.TASK_RUNNING);

    // What the operator writes when the agent's heartbeat lapses.
    patchStatus(
        cluster,
        "partitioned",
        "{\"status\":{\"state\":\"TASK_UNREACHABLE\",\"reason\":\"REASON_AGENT_REMOVED\"}}");

    Task back = awaitState(cluster, "partitioned", TaskState.TASK_RUNNING);
    assertThat(back.getStatus().message()).isEqualTo("the agent is reachable again");
    patch(cluster, "partitioned", "{\"spec\":{\"kill\":true}}");
    assertThat(awaitTerminal(cluster, "partitioned").getStatus().state())
        .isEqualTo(TaskState.TASK_KILLED);
  }

  @Test
  @Order(12)
  void aTaskWhoseCheckpointIsCorruptIsReportedLostAndKilled(TestCluster cluster) throws Exception {
    framework(cluster);
    apply(cluster, Manifests.task("scrambled", "fw", AGENT, 0.05, 32, "exec sleep 600", null));
    String uid = awaitState(cluster, "scrambled", TaskState.TASK_RUNNING).getMetadata().getUid();
    Path checkpoint = stateDir.resolve("tasks").resolve(uid).resolve("task.json");

    agent.kill();
    byte[] bytes = Files.readAllBytes(checkpoint);
    Files.write(checkpoint, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    agent.start();

    Task task = awaitTerminal(cluster, "scrambled");
    assertThat(task.getStatus().state()).isEqualTo(TaskState.TASK_LOST);
    assertThat(task.getStatus().reason()).isEqualTo(Reasons.AGENT_RESTARTED);
    assertThat(CgroupRoots.taskCgroups(CGROUP_ROOT)).noneMatch(p -> p.endsWith(uid));
  }

  @Test
  @Order(13)
  void anAgentMarkedGoneRegistersAfreshAndKillsWhatItRan(TestCluster cluster) throws Exception {
    framework(cluster);
    apply(cluster, Manifests.task("orphaned", "fw", AGENT, 0.05, 32, "exec sleep 600", null));
    String uid = awaitState(cluster, "orphaned", TaskState.TASK_RUNNING).getMetadata().getUid();
    String oldId =
        cluster.client().resources(Agent.class).withName(AGENT).get().getStatus().agentId();

    agent.kill();
    // What the operator writes once the agent stayed away past the gone timeout.
    cluster
        .client()
        .resources(Agent.class)
        .withName(AGENT)
        .subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"phase\":\"Gone\"}}");
    patchStatus(
        cluster,
        "orphaned",
        "{\"status\":{\"state\":\"TASK_GONE\",\"reason\":\"REASON_AGENT_REMOVED_BY_OPERATOR\"}}");
    agent.start();

    Agent fresh = cluster.client().resources(Agent.class).withName(AGENT).get();
    assertThat(fresh.getStatus().phase()).isEqualTo(AgentPhase.Active);
    assertThat(fresh.getStatus().agentId()).isNotEqualTo(oldId);
    assertThat(CgroupRoots.taskCgroups(CGROUP_ROOT)).noneMatch(p -> p.endsWith(uid));
    assertThat(
            cluster.client().resources(Task.class).withName("orphaned").get().getStatus().state())
        .isEqualTo(TaskState.TASK_GONE);
  }

  @Test
  @Order(14)
  void downForMaintenanceKillsEveryTaskRefusesNewOnesAndLeavesNoCgroup(TestCluster cluster)
      throws Exception {
    framework(cluster);
    apply(cluster, Manifests.task("drained-1", "fw", AGENT, 0.05, 32, "exec sleep 600", null));
    apply(
        cluster,
        Manifests.task(
            "drained-2",
            "fw",
            AGENT,
            0.05,
            32,
            "trap 'exit 7' TERM; while :; do sleep 0.1; done",
            null));
    awaitState(cluster, "drained-1", TaskState.TASK_RUNNING);
    awaitState(cluster, "drained-2", TaskState.TASK_RUNNING);

    Agent down =
        cluster
            .client()
            .resources(Agent.class)
            .withName(AGENT)
            .patch(
                PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"maintenance\":{\"mode\":\"Down\",\"reason\":\"kernel upgrade\"}}}");

    for (String name : List.of("drained-1", "drained-2")) {
      Task task = awaitTerminal(cluster, name);
      assertThat(task.getStatus().state()).as(name).isEqualTo(TaskState.TASK_KILLED);
      assertThat(task.getStatus().reason()).as(name).isEqualTo(Reasons.AGENT_DRAINING);
    }
    assertThat(awaitTerminal(cluster, "drained-2").getStatus().exitCode())
        .as("its own exit on SIGTERM")
        .isEqualTo(7);
    Condition drained = awaitDrained(cluster, Condition.Status.True);
    assertThat(drained.observedGeneration()).isEqualTo(down.getMetadata().getGeneration());
    assertThat(drained.reason()).isEqualTo("Drained");
    assertThat(CgroupRoots.dirs(CGROUP_ROOT)).as("the agent's own cgroups").isEmpty();
    assertThat(
            cluster.client().resources(Agent.class).withName(AGENT).get().getStatus().conditions())
        .extracting(Condition::type)
        .as("the other conditions stay")
        .contains(AgentConditions.REGISTERED);

    apply(cluster, Manifests.task("too-late", "fw", AGENT, 0.05, 32, "exec sleep 600", null));
    Task dropped = awaitTerminal(cluster, "too-late");
    assertThat(dropped.getStatus().state()).isEqualTo(TaskState.TASK_DROPPED);
    assertThat(dropped.getStatus().reason()).isEqualTo(Reasons.AGENT_DRAINING);
    assertThat(dropped.getStatus().message()).contains("kernel upgrade");

    cluster
        .client()
        .resources(Agent.class)
        .withName(AGENT)
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"maintenance\":null}}");
    await().atMost(Duration.ofSeconds(15)).until(() -> drainedCondition(cluster) == null);
    apply(cluster, Manifests.task("back", "fw", AGENT, 0.05, 32, "exec sleep 600", null));
    awaitState(cluster, "back", TaskState.TASK_RUNNING);
    patch(cluster, "back", "{\"spec\":{\"kill\":true}}");
    assertThat(awaitTerminal(cluster, "back").getStatus().state()).isEqualTo(TaskState.TASK_KILLED);
  }

  @Test
  @Order(15)
  void aTaskBoundInARoleItsFrameworkDoesNotHoldIsRefused(TestCluster cluster) {
    // Issue 16, finding 2: a hand-bound task in another team's role (to borrow its quota or its
    // permission to run as root) is not launched.
    framework(cluster);
    apply(
        cluster,
        Manifests.task("borrowed-role", "fw", AGENT, 0.05, 32, "exec sleep 600", "role: ops"));

    Task task = awaitTerminal(cluster, "borrowed-role");
    assertThat(task.getStatus().state()).isEqualTo(TaskState.TASK_ERROR);
    assertThat(task.getStatus().reason()).isEqualTo(Reasons.TASK_UNAUTHORIZED);
    assertThat(task.getStatus().message()).contains("role ops is not one of framework fw's roles");
  }

  @Test
  @Order(16)
  void whatAHealthCheckForksIsHeldToTheTasksCgroupAndDiesWithIt(TestCluster cluster)
      throws Exception {
    // Issue 16, finding 5: checks ran in the agent's cgroup, so a check that forked a busy loop
    // escaped the task's CPU quota and outlived the task.
    framework(cluster);
    String marker = "forked-by-check-" + SUFFIX;
    apply(
        cluster,
        Manifests.task(
            "forking-check",
            "fw",
            AGENT,
            0.05,
            32,
            "exec sleep 600",
            """
            healthCheck:
              type: COMMAND
              command: {shell: "sh -c 'while :; do sleep 1; done' %s & exit 0"}
              delaySeconds: 0
              intervalSeconds: 30
              timeoutSeconds: 5
              consecutiveFailures: 3
              gracePeriodSeconds: 0
            """
                .formatted(marker)));
    String uid =
        awaitState(cluster, "forking-check", TaskState.TASK_RUNNING).getMetadata().getUid();
    List<Long> forked =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> HostProcesses.withArgv(argv -> argv.contains(marker)),
                pids -> !pids.isEmpty());

    int seen = 0;
    for (long pid : forked) {
      List<String> cgroups;
      try {
        cgroups = Files.readAllLines(Path.of("/proc", Long.toString(pid), "cgroup"));
      } catch (IOException gone) {
        continue; // the check's own shell, ended meanwhile
      }
      seen++;
      assertThat(cgroups)
          .as("the cgroups of what the check forked")
          .filteredOn(line -> line.contains(":memory:") || line.contains(":pids:"))
          .hasSize(2)
          .allSatisfy(line -> assertThat(line).endsWith("/" + CGROUP_ROOT + "/task/" + uid));
    }
    assertThat(seen).as("the check's forked loop, alive").isPositive();
    patch(cluster, "forking-check", "{\"spec\":{\"kill\":true}}");
    assertThat(awaitTerminal(cluster, "forking-check").getStatus().state())
        .isEqualTo(TaskState.TASK_KILLED);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(HostProcesses.withArgv(argv -> argv.contains(marker)))
                    .as("left after the task")
                    .isEmpty());
  }

  @Test
  @Order(17)
  void aTaskReadsNoOtherUsersSandboxAndGainsNoPrivilege(TestCluster cluster) throws IOException {
    // Issue 16, finding 4: sandboxes were 0755 and logs 0644, so any local user read any tenant's
    // output; and a task kept the capability bounding set and could gain privileges by exec.
    framework(cluster);
    apply(
        cluster,
        Manifests.task(
            "secretive", "fw", AGENT, 0.05, 32, "echo the-secret-output; exec sleep 600", null));
    Task secretive = awaitState(cluster, "secretive", TaskState.TASK_RUNNING);
    String stdout = secretive.getStatus().sandbox() + "/stdout";
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Files.readString(Path.of(stdout)).contains("the-secret-output"));

    // As another user than the first task's (daemon, not nobody): another tenant's task.
    apply(
        cluster,
        """
        apiVersion: mesokube.io/v1alpha1
        kind: Task
        metadata: {name: prying}
        spec:
          framework: fw
          agent: %s
          resources: {cpus: 0.05, mem: 32}
          command:
            user: daemon
            shell: >-
              cat %s || echo DENIED;
              ls %s || echo DENIED;
              grep -E '^(NoNewPrivs|CapBnd|CapEff)' /proc/self/status
        """
            .formatted(AGENT, stdout, secretive.getStatus().sandbox()));
    Task prying = awaitTerminal(cluster, "prying");
    patch(cluster, "secretive", "{\"spec\":{\"kill\":true}}");
    awaitTerminal(cluster, "secretive");
    String out = Files.readString(Path.of(prying.getStatus().sandbox(), "stdout"));
    assertThat(out).doesNotContain("the-secret-output").contains("DENIED");
    assertThat(out)
        .contains("NoNewPrivs:\t1")
        .contains("CapBnd:\t0000000000000000")
        .contains("CapEff:\t0000000000000000");
  }

  @Test
  @Order(18)
  void rootOnTheHostTakesTheAgentsSettingBesidesTheRolePolicy(TestCluster cluster) {
    // Issue 16, finding 1: a RolePolicy that allows root made a host task root on the node.
    framework(cluster);
    cluster
        .controlPlane()
        .applyOk(
            null,
            """
            apiVersion: mesokube.io/v1alpha1
            kind: RolePolicy
            metadata: {name: it-root-%s}
            spec: {role: it, allowRootTasks: true}
            """
                .formatted(SUFFIX));
    try {
      // The agent reads RolePolicies from its informer: give the watch event a moment, so that
      // the refusal below is the agent setting's, not "no RolePolicy allows it" (asserted).
      await()
          .pollDelay(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  cluster.client().resources(RolePolicy.class).list().getItems().stream()
                      .anyMatch(p -> "it".equals(p.getSpec().role())));
      apply(
          cluster,
          Manifests.task("root-on-host", "fw", AGENT, 0.05, 32, "id -u", null)
              .replace("shell:", "user: root\n    shell:"));

      Task task = awaitTerminal(cluster, "root-on-host");
      assertThat(task.getStatus().state()).isEqualTo(TaskState.TASK_ERROR);
      assertThat(task.getStatus().reason()).isEqualTo(Reasons.TASK_UNAUTHORIZED);
      assertThat(task.getStatus().message())
          .contains("this agent runs no task as root on its host")
          .contains("agent.rootHostTasks");
    } finally {
      cluster.controlPlane().kubectl("delete", "rolepolicy", "it-root-" + SUFFIX);
    }
  }

  // ---------------------------------------------------------------- helpers

  private static Condition drainedCondition(TestCluster cluster) {
    var conditions =
        cluster.client().resources(Agent.class).withName(AGENT).get().getStatus().conditions();
    return conditions == null
        ? null
        : conditions.stream()
            .filter(c -> c.type().equals(AgentConditions.DRAINED))
            .findFirst()
            .orElse(null);
  }

  private static Condition awaitDrained(TestCluster cluster, Condition.Status status) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              Condition c = drainedCondition(cluster);
              return c != null && c.status() == status;
            });
    return drainedCondition(cluster);
  }

  static void framework(TestCluster cluster) {
    apply(cluster, Manifests.framework("fw", null));
  }

  static void apply(TestCluster cluster, String yaml) {
    cluster.controlPlane().applyOk(cluster.namespace(), yaml);
  }

  static void patch(TestCluster cluster, String task, String mergePatch) {
    cluster
        .client()
        .resources(Task.class)
        .withName(task)
        .patch(PatchContext.of(PatchType.JSON_MERGE), mergePatch);
  }

  static void patchStatus(TestCluster cluster, String task, String mergePatch) {
    cluster
        .client()
        .resources(Task.class)
        .withName(task)
        .subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), mergePatch);
  }

  static Task awaitTerminal(TestCluster cluster, String name) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              Task t = cluster.client().resources(Task.class).withName(name).get();
              return t != null
                  && t.getStatus() != null
                  && t.getStatus().state() != null
                  && t.getStatus().state().isTerminal();
            });
    return cluster.client().resources(Task.class).withName(name).get();
  }

  static Task awaitState(TestCluster cluster, String name, TaskState state) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              Task t = cluster.client().resources(Task.class).withName(name).get();
              return t != null && t.getStatus() != null && t.getStatus().state() == state;
            });
    return cluster.client().resources(Task.class).withName(name).get();
  }

  static String read(String path, long offset, long length)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        agent.get(
            "/files/read?path="
                + AgentProcess.encode(path)
                + "&offset="
                + offset
                + "&length="
                + length);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = JSON.readTree(response.body());
    return body.get("data").asText();
  }

  private static Lease lease(TestCluster cluster) {
    return cluster
        .client()
        .leases()
        .inNamespace(Mesokube.SYSTEM_NAMESPACE)
        .withName(Mesokube.agentLeaseName(AGENT))
        .get();
  }

  private static Map<String, TaskState> states(TestCluster cluster) {
    return states(cluster.client(), cluster.namespace());
  }

  private static Map<String, TaskState> states(KubernetesClient client, String namespace) {
    Map<String, TaskState> out = new java.util.TreeMap<>();
    for (Task t : client.resources(Task.class).inNamespace(namespace).list().getItems()) {
      out.put(t.getMetadata().getName(), t.getStatus() == null ? null : t.getStatus().state());
    }
    return out;
  }

  /** A file tasks wait for before they exit: the test decides when they end. */
  private record Gate(Path file) implements AutoCloseable {
    Gate(String name) {
      this(Path.of("/tmp", "mesokube-it-" + SUFFIX + "-" + name));
    }

    /** A shell command that waits for the gate, then exits with {@code code}. */
    String command(int code) {
      return "while [ ! -e " + file + " ]; do sleep 0.1; done; exit " + code;
    }

    void open() throws IOException {
      Files.writeString(file, "");
    }

    @Override
    public void close() throws IOException {
      Files.deleteIfExists(file);
    }
  }

  /** Run dirs whose supervisor recorded the task's exit. */
  private static long exitFiles() throws IOException {
    try (var dirs = Files.list(stateDir.resolve("tasks"))) {
      return dirs.filter(d -> Files.exists(d.resolve("exit"))).count();
    }
  }
}
