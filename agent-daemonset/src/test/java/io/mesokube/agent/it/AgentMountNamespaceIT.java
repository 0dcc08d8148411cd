package io.mesokube.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.mesokube.agent.checkpoint.FileTrees;
import io.mesokube.agent.launcher.PrivateMountNamespace;
import io.mesokube.api.v1alpha1.task.Reasons;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.api.v1alpha1.task.TaskState;
import io.mesokube.e2e.controlplane.ControlPlane;
import io.mesokube.e2e.controlplane.ControlPlaneExtension;
import io.mesokube.e2e.controlplane.TestCluster;
import io.mesokube.e2e.process.AgentProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The packaged agent with {@code mesokube.agent.isolation.task-mount-namespace} set, as in its
 * DaemonSet: a private mount namespace stands for the host's, the test's own for the agent's pod.
 * In the first, {@code VIEW} holds the host's file and a user {@code mkns-only} exists; in the
 * second, it holds a world-readable file only the agent sees (the pod's ServiceAccount token).
 */
@ExtendWith(ControlPlaneExtension.class)
class AgentMountNamespaceIT {
  private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
  private static final String AGENT = "agent-mntns-it-" + SUFFIX;
  private static final String CGROUP_PARENT = "mesokube-mntns-it-" + SUFFIX;
  private static final Path VIEW = Path.of("/tmp", "mesokube-mntns-it-" + SUFFIX + "-view");
  private static Path stateDir;
  private static PrivateMountNamespace host;
  private static AgentProcess agent;

  @BeforeAll
  static void startAgent(ControlPlane controlPlane) throws Exception {
    stateDir = AgentUnderTest.traversable(Path.of("/tmp", "mesokube-agent-mntns-it-" + SUFFIX));
    AgentUnderTest.traversable(VIEW);
    Files.writeString(VIEW.resolve("agent-only"), "the agent's token\n");
    Files.writeString(VIEW.resolve("agent-tool"), "#!/bin/sh\necho \"the agent's tool\"\n");
    Files.setPosixFilePermissions(
        VIEW.resolve("agent-tool"), PosixFilePermissions.fromString("rwxr-xr-x"));
    host = PrivateMountNamespace.create();
    host.run(
        """
        mount -t tmpfs -o mode=0755 none "$1"
        echo "the host's file" > "$1/host-only"
        cp /etc/passwd "$1/passwd"
        echo 'mkns-only:x:4242:4242::/nonexistent:/usr/sbin/nologin' >> "$1/passwd"
        mount --bind "$1/passwd" /etc/passwd
        """,
        VIEW.toString());
    agent =
        AgentUnderTest.start(
            controlPlane,
            AGENT,
            stateDir,
            CGROUP_PARENT,
            Map.of(
                "MESOKUBE_AGENT_RESOURCES_CPUS", "2",
                "MESOKUBE_AGENT_RESOURCES_MEM", "2048",
                "MESOKUBE_AGENT_ISOLATION_TASK_MOUNT_NAMESPACE", host.file().toString()));
  }

  @AfterAll
  static void stopAgentAndCheckNothingLeaked() throws Exception {
    try {
      AgentUnderTest.stopAndCheckNothingLeft(agent, AGENT, CGROUP_PARENT);
    } finally {
      if (host != null) {
        host.close();
      }
      FileTrees.delete(VIEW);
    }
  }

  @Test
  void aTaskAndItsHealthCheckRunInTheHostsNamespaceAndAreRecoveredThere(TestCluster cluster)
      throws Exception {
    AgentIT.framework(cluster);
    AgentIT.apply(
        cluster,
        Manifests.task(
            "on-host",
            "fw",
            AGENT,
            0.1,
            32,
            ("cat %1$s/host-only; cat %1$s/agent-only || echo no token; exec sleep 600")
                .formatted(VIEW),
            """
            healthCheck:
              type: COMMAND
              command: {shell: "test -f %1$s/host-only && test ! -e %1$s/agent-only"}
              delaySeconds: 0
              intervalSeconds: 1
              timeoutSeconds: 5
              consecutiveFailures: 2
              gracePeriodSeconds: 0
            """
                .formatted(VIEW)));

    awaitHealthy(cluster, "on-host");
    Task task = cluster.client().resources(Task.class).withName("on-host").get();
    Path stdout = Path.of(task.getStatus().sandbox(), "stdout");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(stdout).hasContent("the host's file\nno token"));

    // A new agent process finds the supervisor through /proc and checks the task there again: a
    // check run anywhere else would fail twice in a row and kill it.
    agent.kill();
    agent.start();
    await()
        .during(Duration.ofSeconds(5))
        .atMost(Duration.ofSeconds(10))
        .until(() -> healthy(cluster, "on-host"));
    cluster
        .client()
        .resources(Task.class)
        .withName("on-host")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"kill\":true}}");
    assertThat(AgentIT.awaitTerminal(cluster, "on-host").getStatus().state())
        .isEqualTo(TaskState.TASK_KILLED);
  }

  @Test
  void aProgramOnlyTheAgentHasFailsTheLaunch(TestCluster cluster) {
    AgentIT.framework(cluster);
    AgentIT.apply(
        cluster,
        """
        apiVersion: mesokube.io/v1alpha1
        kind: Task
        metadata: {name: agent-tool}
        spec:
          framework: fw
          agent: %s
          resources: {cpus: 0.1, mem: 32}
          command: {argv: [%s/agent-tool]}
        """
            .formatted(AGENT, VIEW));

    Task task = AgentIT.awaitTerminal(cluster, "agent-tool");

    assertThat(task.getStatus().state()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(task.getStatus().reason()).isEqualTo(Reasons.CONTAINER_LAUNCH_FAILED);
    assertThat(task.getStatus().message())
        .isEqualTo(
            "Failed to launch the task: program '%s/agent-tool' not found or not executable"
                + " (relative to %s)",
            VIEW, task.getStatus().sandbox());
  }

  @Test
  void aTaskRunsAsAUserOfTheHost(TestCluster cluster) {
    AgentIT.framework(cluster);
    AgentIT.apply(
        cluster,
        """
        apiVersion: mesokube.io/v1alpha1
        kind: Task
        metadata: {name: host-user}
        spec:
          framework: fw
          agent: %s
          resources: {cpus: 0.1, mem: 32}
          command: {shell: "id -un; id -u", user: mkns-only}
        """
            .formatted(AGENT));

    Task task = AgentIT.awaitTerminal(cluster, "host-user");

    assertThat(task.getStatus().state()).isEqualTo(TaskState.TASK_FINISHED);
    assertThat(Path.of(task.getStatus().sandbox(), "stdout")).hasContent("mkns-only\n4242");
  }

  @Test
  void anAgentWhoseSettingIsNoMountNamespaceDoesNotStart(ControlPlane controlPlane)
      throws IOException {
    String name = AGENT + "-bad";
    Path state =
        AgentUnderTest.traversable(stateDir.resolveSibling(stateDir.getFileName() + "-bad"));
    Path log = controlPlane.workDir().resolve("logs").resolve("agent-" + name + ".log");

    try {
      assertThatThrownBy(
              () ->
                  AgentUnderTest.start(
                      controlPlane,
                      name,
                      state,
                      CGROUP_PARENT,
                      Map.of("MESOKUBE_AGENT_ISOLATION_TASK_MOUNT_NAMESPACE", "/proc/self/ns/net")))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("exited at start");
      assertThat(Files.readString(log))
          .contains("Agent failed to start")
          .contains(
              "mesokube.agent.isolation.task-mount-namespace=/proc/self/ns/net is not usable: it is"
                  + " net:[")
          .contains(", not a mount namespace (mnt:[...])");
    } finally {
      FileTrees.delete(state);
    }
  }

  private static void awaitHealthy(TestCluster cluster, String name) {
    await().atMost(Duration.ofSeconds(30)).until(() -> healthy(cluster, name));
  }

  private static boolean healthy(TestCluster cluster, String name) {
    Task t = cluster.client().resources(Task.class).withName(name).get();
    return t.getStatus() != null
        && t.getStatus().state() == TaskState.TASK_RUNNING
        && Boolean.TRUE.equals(t.getStatus().healthy());
  }
}
