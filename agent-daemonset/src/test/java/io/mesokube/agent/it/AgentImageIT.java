package io.mesokube.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.api.v1alpha1.task.TaskState;
import io.mesokube.e2e.controlplane.ControlPlane;
import io.mesokube.e2e.controlplane.ControlPlaneExtension;
import io.mesokube.e2e.controlplane.MesokubeImages;
import io.mesokube.e2e.controlplane.TestCluster;
import io.mesokube.e2e.controlplane.registry.TestRegistry;
import io.mesokube.e2e.process.AgentProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The agent's own image, as the DaemonSet runs it: the base of {@code src/main/image/build-base.sh}
 * with the application added by the project's Quarkus Jib configuration, pushed to a real registry
 * on loopback and run as a container task by the packaged agent (crun, as {@code nobody}). Its OCI
 * runtimes, image tools and util-linux work in it, and its entrypoint boots the agent on the
 * jlinked Java runtime.
 */
@ExtendWith(ControlPlaneExtension.class)
class AgentImageIT {
  private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
  private static final String AGENT = "agent-image-it-" + SUFFIX;
  private static final String CGROUP_PARENT = "mesokube-aiit-" + SUFFIX;
  private static final String CGROUP_ROOT = CGROUP_PARENT + "/" + AGENT;
  // Pulling and unpacking the ~110 MB image on a loaded two-core machine takes a while.
  private static final Duration FIRST_RUN = Duration.ofMinutes(3);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static TestRegistry registry;
  private static String image;
  private static JsonNode imageConfig;
  private static AgentProcess agent;

  @BeforeAll
  static void start(ControlPlane controlPlane) throws IOException {
    Path work = Files.createDirectories(Path.of("/tmp", "mesokube-agent-image-it-" + SUFFIX));
    registry = TestRegistry.start(work.resolve("registry"));
    String base = MesokubeImages.pushBase(registry, work);
    image =
        MesokubeImages.push(
            registry, MesokubeImages.App.AGENT, base, "it-" + SUFFIX, work.resolve("jib"));
    imageConfig = MesokubeImages.config(image, work);

    Path stateDir = AgentUnderTest.traversable(work, work.resolve("state"));
    agent =
        AgentUnderTest.start(
            controlPlane,
            AGENT,
            stateDir,
            CGROUP_PARENT,
            Map.of("MESOKUBE_AGENT_RESOURCES_CPUS", "8", "MESOKUBE_AGENT_RESOURCES_MEM", "8192"));
  }

  @AfterAll
  static void stop() throws Exception {
    AgentUnderTest.stopAndCheckNothingLeft(agent, AGENT, CGROUP_PARENT, registry);
  }

  @Test
  void theImageIsTheBaseWithTheAgentOnTop() {
    assertThat(imageConfig.path("User").asText()).isEqualTo("root");
    assertThat(imageConfig.path("Env").toString())
        .contains("JAVA_HOME=/opt/java/openjdk", "PATH=/opt/java/openjdk/bin:");
    assertThat(imageConfig.path("Entrypoint").toString()).startsWith("[\"java\"");
    assertThat(imageConfig.path("Entrypoint").toString()).contains("quarkus-run.jar");
  }

  @Test
  void theRuntimesImageToolsUtilLinuxAndJavaRunInIt(TestCluster cluster) throws Exception {
    AgentIT.framework(cluster);
    AgentIT.apply(
        cluster,
        task(
            "tools",
            "shell: 'set -e; crun --version; runc --version; skopeo --version; umoci --version;"
                + " setpriv --version; unshare --version; nsenter --version; mount --version;"
                + " bash -c \"echo bash \\$BASH_VERSION\"; java -version 2>&1;"
                + " java --list-modules; test -s /etc/ssl/certs/ca-certificates.crt; pwd; ls quarkus-run.jar'",
            ""));
    Task task = awaitTerminal(cluster, "tools");

    String stdout = read(task.getStatus().sandbox() + "/stdout");
    String stderr = read(task.getStatus().sandbox() + "/stderr");
    assertThat(task.getStatus().state())
        .as("%s\n--- stdout ---\n%s--- stderr ---\n%s", task.getStatus().message(), stdout, stderr)
        .isEqualTo(TaskState.TASK_FINISHED);
    assertThat(stdout)
        .contains(
            "crun version ",
            "runc version ",
            "skopeo version ",
            "umoci version ",
            "setpriv from util-linux ",
            "unshare from util-linux ",
            "nsenter from util-linux ",
            "mount from util-linux ",
            "bash 5.",
            "openjdk version \"25",
            "/home/jboss\nquarkus-run.jar\n");
    for (String module : jreModules()) {
      assertThat(stdout).as("java --list-modules").contains("\n" + module + "@25");
    }
  }

  @Test
  void theImagesEntrypointBootsTheAgentOnItsJavaRuntime(TestCluster cluster) throws Exception {
    int port = freePort();
    AgentIT.framework(cluster);
    // No command: the image's entrypoint, with the agent's settings in the environment. Quarkus
    // starts (CDI, Vert.x HTTP, Jackson, the Kubernetes client, Micrometer), then the agent stops
    // where a task's container differs from its DaemonSet pod: no cgroup file system is mounted.
    AgentIT.apply(
        cluster,
        task(
            "in-image",
            """
            env:
                  MESOKUBE_AGENT_NAME: in-image
                  MESOKUBE_AGENT_HTTP_PORT: "%d"
                  MESOKUBE_AGENT_STATE_DIR: /tmp/agent
                  KUBERNETES_MASTER: https://127.0.0.1:1"""
                .formatted(port),
            "mem: 768"));
    Task task = awaitTerminal(cluster, "in-image");

    String log =
        read(task.getStatus().sandbox() + "/stdout") + read(task.getStatus().sandbox() + "/stderr");
    assertThat(log)
        .as(log)
        .contains("mesokube-agent ", " started in ", "Listening on: http://127.0.0.1:" + port)
        .contains("Agent failed to start", "find cgroup v2 with")
        .doesNotContain(
            "NoClassDefFoundError", "ClassNotFoundException", "UnsupportedClassVersionError");
  }

  // ---------------------------------------------------------------- helpers

  /** A task in the agent's image; {@code command} and {@code resources} are more spec YAML. */
  private static String task(String name, String command, String resources) {
    return """
        apiVersion: mesokube.io/v1alpha1
        kind: Task
        metadata: {name: %s}
        spec:
          framework: fw
          agent: %s
          resources: {cpus: 0.5, %s}
          command:
            %s
          container:
            image: %s
        """
        .formatted(name, AGENT, resources.isEmpty() ? "mem: 256" : resources, command, image);
  }

  private static Task awaitTerminal(TestCluster cluster, String name) {
    await()
        .atMost(FIRST_RUN)
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

  private static String read(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        agent.get("/files/read?path=" + AgentProcess.encode(path) + "&offset=0&length=100000");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body()).get("data").asText();
  }

  /** The modules build-base.sh links into the image's Java runtime. */
  private static List<String> jreModules() throws IOException {
    return Files.readAllLines(Path.of("src/main/image/jre-modules")).stream()
        .map(line -> line.replaceAll("#.*", "").strip())
        .filter(line -> !line.isEmpty())
        .toList();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
