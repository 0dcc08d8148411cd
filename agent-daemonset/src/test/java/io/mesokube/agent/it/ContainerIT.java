package io.mesokube.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.mesokube.agent.images.registry.SilentRegistry;
import io.mesokube.agent.images.registry.ThrottledProxy;
import io.mesokube.api.v1alpha1.agent.Agent;
import io.mesokube.api.v1alpha1.task.Reasons;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.api.v1alpha1.task.TaskState;
import io.mesokube.api.v1alpha1.task.TaskStatusEntry;
import io.mesokube.e2e.controlplane.ControlPlane;
import io.mesokube.e2e.controlplane.ControlPlaneExtension;
import io.mesokube.e2e.controlplane.TestCluster;
import io.mesokube.e2e.controlplane.registry.ImageConfig;
import io.mesokube.e2e.controlplane.registry.TestImages;
import io.mesokube.e2e.controlplane.registry.TestRegistry;
import io.mesokube.e2e.process.AgentProcess;
import io.mesokube.e2e.process.CgroupRoots;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Container tasks through the packaged agent, for real: images built from static busybox, pushed to
 * a real registry on loopback (the CNCF distribution registry), pulled by skopeo, unpacked by
 * umoci, run by crun in the task's cgroup as {@code nobody}. No Docker anywhere.
 */
@ExtendWith(ControlPlaneExtension.class)
class ContainerIT {
  private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
  private static final String AGENT = "container-it-" + SUFFIX;
  private static final String CGROUP_PARENT = "mesokube-cit-" + SUFFIX;
  private static final String CGROUP_ROOT = CGROUP_PARENT + "/" + AGENT;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ImageConfig BUSYBOX = ImageConfig.NONE.withEnv("PATH=/bin");

  private static TestRegistry registry;
  private static TestRegistry authRegistry;
  private static Path stateDir;
  private static AgentProcess agent;

  @BeforeAll
  static void start(ControlPlane controlPlane) throws IOException {
    Path work = Files.createDirectories(Path.of("/tmp", "mesokube-container-it-" + SUFFIX));
    registry = TestRegistry.start(work.resolve("registry"));
    authRegistry = TestRegistry.startWithAuth(work.resolve("auth-registry"), "alice", "s3cret");
    TestImages.pushBusybox(registry, "tools/busybox", "1.36", BUSYBOX);
    TestImages.pushBusybox(authRegistry, "alice", "s3cret", "private/busybox", "1", BUSYBOX);

    stateDir = AgentUnderTest.traversable(work, work.resolve("state"));
    agent =
        AgentUnderTest.start(
            controlPlane,
            AGENT,
            stateDir,
            CGROUP_PARENT,
            Map.of(
                "MESOKUBE_AGENT_RESOURCES_CPUS",
                "8",
                "MESOKUBE_AGENT_RESOURCES_MEM",
                "8192",
                "MESOKUBE_AGENT_CONTAINERS_PULL_PROGRESS_INTERVAL",
                "1s"));
  }

  @AfterAll
  static void stop() throws Exception {
    AgentUnderTest.stopAndCheckNothingLeft(agent, AGENT, CGROUP_PARENT, registry, authRegistry);
  }

  @Test
  void aContainerWritesToStdoutAndItsSandboxReadThroughTheFilesApi(TestCluster cluster)
      throws Exception {
    AgentIT.framework(cluster);
    AgentIT.apply(
        cluster,
        container(
            "hello",
            image("tools/busybox:1.36"),
            "echo \"hello from $(id -un 2>/dev/null || id -u) in $(pwd)\"; ls /bin/busybox;"
                + " echo saved > $MESOS_SANDBOX/hello.txt",
            ""));
    Task task = AgentIT.awaitTerminal(cluster, "hello");

    assertThat(task.getStatus().state())
        .as(task.getStatus().message())
        .isEqualTo(TaskState.TASK_FINISHED);
    assertThat(states(task))
        .containsExactly(TaskState.TASK_STARTING, TaskState.TASK_RUNNING, TaskState.TASK_FINISHED);
    assertThat(task.getStatus().history().get(0).message())
        .isEqualTo("provisioning image " + image("tools/busybox:1.36"));
    assertThat(entry(task, TaskState.TASK_RUNNING).message())
        .matches("(pulled image .* in .* s|image .* is cached.*)");
    String sandbox = task.getStatus().sandbox();
    assertThat(read(sandbox + "/stdout"))
        .isEqualTo("hello from nobody in /mnt/mesos/sandbox\n/bin/busybox\n");
    assertThat(read(sandbox + "/hello.txt")).isEqualTo("saved\n");
    Agent registered = cluster.client().resources(Agent.class).withName(AGENT).get();
    assertThat(registered.getStatus().capabilities().ociRuntime()).isEqualTo("crun");
  }

  @Test
  void imagesThatCannotBePulledFailTheTaskAndNotTheAgent(TestCluster cluster) throws Exception {
    AgentIT.framework(cluster);
    cluster.client().secrets().resource(dockerConfig("wrong-creds", "alice:wrong")).create();
    try (TestRegistry down = TestRegistry.start(stateDir.resolveSibling("down"))) {
      TestImages.pushBusybox(down, "tools/busybox", "1", BUSYBOX);
      down.stop();
      String zeros = "sha256:" + "0".repeat(64);
      AgentIT.apply(cluster, container("no-such-image", image("tools/nothere:1"), "true", ""));
      AgentIT.apply(
          cluster, container("registry-down", down.host() + "/tools/busybox:1", "true", ""));
      AgentIT.apply(cluster, container("bad-digest", image("tools/busybox@" + zeros), "true", ""));
      AgentIT.apply(
          cluster,
          container(
              "wrong-credentials",
              authRegistry.host() + "/private/busybox:1",
              "true",
              "pullSecret: wrong-creds"));
      AgentIT.apply(
          cluster,
          container("no-credentials", authRegistry.host() + "/private/busybox:1", "true", ""));
      AgentIT.apply(
          cluster,
          container(
              "missing-secret",
              authRegistry.host() + "/private/busybox:1",
              "true",
              "pullSecret: nope"));

      assertFailed(cluster, "no-such-image", "no image " + image("tools/nothere:1"));
      assertFailed(cluster, "registry-down", "registry " + down.host() + " cannot be reached");
      assertFailed(cluster, "bad-digest", "no image with digest " + zeros);
      assertFailed(cluster, "wrong-credentials", "refused the credentials");
      assertFailed(cluster, "no-credentials", "refused the credentials");
      assertFailed(cluster, "missing-secret", "pull secret nope does not exist in namespace");
    }
    // A reference the schema lets through but no registry could serve: refused as invalid.
    AgentIT.apply(cluster, container("invalid-ref", "UPPER/case", "true", ""));
    Task invalid = AgentIT.awaitTerminal(cluster, "invalid-ref");
    assertThat(invalid.getStatus().state()).isEqualTo(TaskState.TASK_ERROR);
    assertThat(invalid.getStatus().reason()).isEqualTo(Reasons.TASK_INVALID);
    // Issue 16, finding 9: an image reference must not make the agent probe a cloud metadata
    // service (link-local), whatever answers there.
    AgentIT.apply(
        cluster, container("metadata-probe", "169.254.169.254/latest/meta-data:1", "true", ""));
    Task probe = AgentIT.awaitTerminal(cluster, "metadata-probe");
    assertThat(probe.getStatus().state()).isEqualTo(TaskState.TASK_ERROR);
    assertThat(probe.getStatus().reason()).isEqualTo(Reasons.TASK_UNAUTHORIZED);
    assertThat(probe.getStatus().message())
        .contains("registry 169.254.169.254 is at 169.254.169.254, in 169.254.0.0/16");

    // Credentials named by the framework serve its tasks that name none.
    cluster.client().secrets().resource(dockerConfig("right-creds", "alice:s3cret")).create();
    AgentIT.apply(cluster, Manifests.framework("withcreds", "pullSecret: right-creds"));
    AgentIT.apply(
        cluster,
        container("framework-credentials", authRegistry.host() + "/private/busybox:1", "true", "")
            .replace("framework: fw", "framework: withcreds"));
    Task authorized = AgentIT.awaitTerminal(cluster, "framework-credentials");
    assertThat(authorized.getStatus().state())
        .as(authorized.getStatus().message())
        .isEqualTo(TaskState.TASK_FINISHED);

    assertThat(agent.isAlive()).isTrue();
    assertThat(agent.get("/q/health/ready").statusCode()).isEqualTo(200);
    // And it still runs containers.
    AgentIT.apply(cluster, container("after", image("tools/busybox:1.36"), "true", ""));
    assertThat(AgentIT.awaitTerminal(cluster, "after").getStatus().state())
        .isEqualTo(TaskState.TASK_FINISHED);
  }

  @Test
  void twentyTasksOfOneImagePullItOnce(TestCluster cluster) throws Exception {
    AgentIT.framework(cluster);
    TestImages.pushBusybox(registry, "tools/twenty", "1", BUSYBOX.withCmd("twenty"));
    double before = pulls();
    // Creation times taken here, when kubectl apply has returned: a Task's creationTimestamp has
    // whole seconds only.
    List<java.time.Instant> created = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      AgentIT.apply(cluster, container("same-" + i, image("tools/twenty:1"), "echo task " + i, ""));
      created.add(java.time.Instant.now());
    }
    List<Long> pulled = finishedAndTimed(cluster, "same-", created);
    assertThat(pulls() - before).as("pulls of tools/twenty").isEqualTo(1);

    // The same again with the image cached: what a container launch costs beside a host task's.
    created.clear();
    for (int i = 0; i < 20; i++) {
      AgentIT.apply(
          cluster, container("cached-" + i, image("tools/twenty:1"), "echo task " + i, ""));
      created.add(java.time.Instant.now());
    }
    List<Long> cached = finishedAndTimed(cluster, "cached-", created);
    assertThat(pulls() - before).as("pulls of tools/twenty").isEqualTo(1);
    // Figures for docs/benchmarks/agent.md; nothing fails on a timing.
    System.out.printf(
        "CONTAINERS: 20 tasks applied one after another, one pull, created -> TASK_RUNNING ms: %s%n",
        pulled);
    System.out.printf(
        "CONTAINERS: 20 tasks applied one after another, image cached, created -> TASK_RUNNING ms: %s%n",
        cached);
  }

  /**
   * Awaits the 20 tasks {@code prefix0..19}, checks each finished with its output, and returns
   * their times from {@code created} (when its kubectl apply returned) to TASK_RUNNING, sorted.
   */
  private static List<Long> finishedAndTimed(
      TestCluster cluster, String prefix, List<java.time.Instant> created) throws Exception {
    List<Long> latencies = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Task t = AgentIT.awaitTerminal(cluster, prefix + i);
      assertThat(t.getStatus().state())
          .as(t.getStatus().message())
          .isEqualTo(TaskState.TASK_FINISHED);
      assertThat(read(t.getStatus().sandbox() + "/stdout")).isEqualTo("task " + i + "\n");
      latencies.add(
          Duration.between(created.get(i), java.time.Instant.parse(t.getStatus().startTime()))
              .toMillis());
    }
    return latencies.stream().sorted().toList();
  }

  @Test
  void killOomAndExitCodesBehaveAsForPlainTasks(TestCluster cluster) throws Exception {
    AgentIT.framework(cluster);
    AgentIT.apply(
        cluster,
        container(
            "trapper",
            image("tools/busybox:1.36"),
            "trap \"echo got TERM; exit 0\" TERM; echo ready; while :; do sleep 0.1; done",
            ""));
    AgentIT.apply(
        cluster,
        container("hog", image("tools/busybox:1.36"), "head -c 268435456 /dev/zero | tail", "")
            .replace("mem: 64", "mem: 32"));
    AgentIT.apply(cluster, container("exit-5", image("tools/busybox:1.36"), "exit 5", ""));

    Task running = AgentIT.awaitState(cluster, "trapper", TaskState.TASK_RUNNING);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> read(running.getStatus().sandbox() + "/stdout").contains("ready"));
    AgentIT.patch(cluster, "trapper", "{\"spec\":{\"kill\":true}}");
    Task killed = AgentIT.awaitTerminal(cluster, "trapper");
    assertThat(killed.getStatus().state()).isEqualTo(TaskState.TASK_KILLED);
    assertThat(read(killed.getStatus().sandbox() + "/stdout")).contains("got TERM");

    Task hog = AgentIT.awaitTerminal(cluster, "hog");
    assertThat(hog.getStatus().state()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(hog.getStatus().reason()).isEqualTo(Reasons.CONTAINER_LIMITATION_MEMORY);

    Task exit = AgentIT.awaitTerminal(cluster, "exit-5");
    assertThat(exit.getStatus().state()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(exit.getStatus().exitCode()).isEqualTo(5);
  }

  @Test
  void aTaskKilledWhileItsImageIsPulledEndsAtOnceAndItsPullStops(TestCluster cluster)
      throws Exception {
    AgentIT.framework(cluster);
    // A registry that never answers: the pull would wait out the agent's pull timeout (10 min).
    try (var silent = SilentRegistry.start()) {
      String ref = silent.host() + "/tools/slow:1";
      AgentIT.apply(cluster, container("slow-pull", ref, "echo never", ""));
      AgentIT.awaitState(cluster, "slow-pull", TaskState.TASK_STARTING);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> SilentRegistry.skopeoPulling(ref).isPresent());
      ProcessHandle skopeo = SilentRegistry.skopeoPulling(ref).orElseThrow();

      long killedAt = System.nanoTime();
      AgentIT.patch(cluster, "slow-pull", "{\"spec\":{\"kill\":true}}");
      Task killed = AgentIT.awaitTerminal(cluster, "slow-pull");
      assertThat(Duration.ofNanos(System.nanoTime() - killedAt))
          .as("reported without waiting for the pull")
          .isLessThan(Duration.ofSeconds(20));
      assertThat(killed.getStatus().state()).isEqualTo(TaskState.TASK_KILLED);
      assertThat(killed.getStatus().reason()).isEqualTo(Reasons.TASK_KILLED_DURING_LAUNCH);
      assertThat(states(killed)).containsExactly(TaskState.TASK_STARTING, TaskState.TASK_KILLED);
      // No other task waits for the image: its pull is stopped, not left to the timeout.
      await().atMost(Duration.ofSeconds(10)).until(() -> !skopeo.isAlive());
    }
    AgentIT.apply(cluster, container("after-slow", image("tools/busybox:1.36"), "true", ""));
    assertThat(AgentIT.awaitTerminal(cluster, "after-slow").getStatus().state())
        .isEqualTo(TaskState.TASK_FINISHED);
  }

  @Test
  void aTaskMarkedUnreachableWhileItsImageIsPulledRunsOnceThePullEnds(TestCluster cluster)
      throws Exception {
    AgentIT.framework(cluster);
    TestImages.pushBusyboxWith(
        registry, "tools/partitioned", "1", BUSYBOX, TestImages.noise(3_000_000, 13));
    try (var slow = ThrottledProxy.start(registry.host(), 500_000)) {
      String image = slow.host() + "/tools/partitioned:1";
      AgentIT.apply(cluster, container("partitioned", image, "echo launched", ""));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                Task t = cluster.client().resources(Task.class).withName("partitioned").get();
                return t != null
                    && t.getStatus() != null
                    && t.getStatus().message() != null
                    && t.getStatus().message().startsWith("pulling image " + image + ": ");
              });
      // What the operator writes when the agent's Lease lapses; the pull goes on meanwhile and its
      // progress may no longer be written over this state.
      AgentIT.patchStatus(
          cluster,
          "partitioned",
          "{\"status\":{\"state\":\"TASK_UNREACHABLE\",\"reason\":\"REASON_AGENT_DISCONNECTED\","
              + "\"message\":\"the agent stopped renewing its heartbeat\"}}");

      Task task = AgentIT.awaitTerminal(cluster, "partitioned");
      assertThat(task.getStatus().state())
          .as(task.getStatus().history().toString())
          .isEqualTo(TaskState.TASK_FINISHED);
      assertThat(states(task)).contains(TaskState.TASK_RUNNING);
      assertThat(read(task.getStatus().sandbox() + "/stdout")).isEqualTo("launched\n");
    }
  }

  @Test
  void aLongPullReportsItsProgressInTheTasksStatus(TestCluster cluster) throws Exception {
    AgentIT.framework(cluster);
    // A layer of about 4.5 MB on busybox through a proxy that passes 1 MB/s: a pull of some five
    // seconds.
    TestImages.pushBusyboxWith(
        registry, "tools/big", "1", BUSYBOX, TestImages.noise(4_500_000, 11));
    try (var slow = ThrottledProxy.start(registry.host(), 1_000_000)) {
      String image = slow.host() + "/tools/big:1";
      AgentIT.apply(cluster, container("big", image, "wc -c < /data/noise", ""));
      // What a user sees while it pulls: the Task's message, as kubectl shows it.
      List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
      await()
          .pollInterval(Duration.ofMillis(200))
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                Task t = cluster.client().resources(Task.class).withName("big").get();
                if (t == null || t.getStatus() == null || t.getStatus().state() == null) {
                  return false;
                }
                if (t.getStatus().state() == TaskState.TASK_STARTING) {
                  seen.add(t.getStatus().message());
                  return false;
                }
                return true;
              });
      Task task = AgentIT.awaitTerminal(cluster, "big");
      List<String> ticks =
          seen.stream().filter(m -> m.startsWith("pulling image " + image + ": ")).toList();
      assertThat(ticks).as(seen.toString()).isNotEmpty();
      assertThat(ticks).allMatch(m -> m.matches(".*: \\d+\\.\\d MB received in \\d+ s"));
      // The history keeps one entry per state: where it started, and how the image came.
      assertThat(task.getStatus().history())
          .extracting(TaskStatusEntry::message)
          .first()
          .isEqualTo("provisioning image " + image);
      assertThat(states(task))
          .containsExactly(
              TaskState.TASK_STARTING, TaskState.TASK_RUNNING, TaskState.TASK_FINISHED);
      assertThat(entry(task, TaskState.TASK_RUNNING).message())
          .matches("pulled image .* \\(2 layers, \\d+\\.\\d MB\\) in .* s");
      assertThat(task.getStatus().state()).isEqualTo(TaskState.TASK_FINISHED);
      assertThat(read(task.getStatus().sandbox() + "/stdout")).isEqualTo("6000000\n");
    }
  }

  /** The states in a task's history, oldest first. */
  private static List<TaskState> states(Task task) {
    return task.getStatus().history().stream().map(TaskStatusEntry::state).toList();
  }

  /** The first entry of {@code state} in the task's history. */
  private static TaskStatusEntry entry(Task task, TaskState state) {
    return task.getStatus().history().stream()
        .filter(e -> e.state() == state)
        .findFirst()
        .orElseThrow(() -> new AssertionError(state + " in " + task.getStatus().history()));
  }

  @Test
  void aCommandHealthCheckRunsInsideTheContainer(TestCluster cluster) {
    AgentIT.framework(cluster);
    // /mnt/mesos/sandbox exists only inside the container: a check run on the host would fail.
    AgentIT.apply(
        cluster,
        container(
                "sick",
                image("tools/busybox:1.36"),
                "touch /tmp/healthy; sleep 4; rm /tmp/healthy; exec sleep 600",
                "")
            + """
              healthCheck:
                type: COMMAND
                command: {shell: "test -d /mnt/mesos/sandbox && test -f /tmp/healthy"}
                delaySeconds: 0
                intervalSeconds: 1
                timeoutSeconds: 5
                consecutiveFailures: 2
                gracePeriodSeconds: 0
            """);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              Task t = cluster.client().resources(Task.class).withName("sick").get();
              return t.getStatus() != null && Boolean.TRUE.equals(t.getStatus().healthy());
            });
    Task task = AgentIT.awaitTerminal(cluster, "sick");
    assertThat(task.getStatus().state()).isEqualTo(TaskState.TASK_KILLED);
    assertThat(task.getStatus().reason()).isEqualTo(Reasons.TASK_HEALTH_CHECK_STATUS_UPDATED);
  }

  @Test
  void containersSurviveAnAgentKilledAndRestarted(TestCluster cluster) throws Exception {
    AgentIT.framework(cluster);
    for (int i = 0; i < 5; i++) {
      AgentIT.apply(
          cluster,
          container(
              "survivor-" + i,
              image("tools/busybox:1.36"),
              "while [ ! -e $MESOS_SANDBOX/gate ]; do sleep 0.1; done; echo done "
                  + i
                  + "; exit "
                  + (i % 2),
              "readOnlyRootfs: " + (i % 2 == 0)));
    }
    List<Task> running =
        java.util.stream.IntStream.range(0, 5)
            .mapToObj(i -> AgentIT.awaitState(cluster, "survivor-" + i, TaskState.TASK_RUNNING))
            .toList();

    agent.kill();
    for (Task t : running) {
      Files.writeString(Path.of(t.getStatus().sandbox(), "gate"), "");
    }
    await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> true);
    agent.start();

    for (int i = 0; i < 5; i++) {
      Task t = AgentIT.awaitTerminal(cluster, "survivor-" + i);
      assertThat(t.getStatus().exitCode()).as("exit code of survivor-%d", i).isEqualTo(i % 2);
      assertThat(states(t))
          .as("history of survivor-%d", i)
          .containsExactly(
              TaskState.TASK_STARTING,
              TaskState.TASK_RUNNING,
              i % 2 == 0 ? TaskState.TASK_FINISHED : TaskState.TASK_FAILED);
      assertThat(read(t.getStatus().sandbox() + "/stdout")).isEqualTo("done " + i + "\n");
    }
  }

  @Test
  void runcRunsThemToo(TestCluster cluster) throws Exception {
    ControlPlane controlPlane = cluster.controlPlane();
    String name = "runc-it-" + SUFFIX;
    String cgroupParent = CGROUP_PARENT + "-runc";
    Path runcState = AgentUnderTest.traversable(stateDir.resolveSibling("runc-state"));
    AgentProcess runc =
        AgentUnderTest.start(
            controlPlane,
            name,
            runcState,
            cgroupParent,
            Map.of("MESOKUBE_AGENT_CONTAINERS_RUNTIME", "runc"));
    try {
      AgentIT.framework(cluster);
      AgentIT.apply(
          cluster,
          container("runc-hello", image("tools/busybox:1.36"), "echo hello from runc; id -u", "")
              .replace("agent: " + AGENT, "agent: " + name));
      AgentIT.apply(
          cluster,
          container(
                  "runc-hog", image("tools/busybox:1.36"), "head -c 268435456 /dev/zero | tail", "")
              .replace("agent: " + AGENT, "agent: " + name)
              .replace("mem: 64", "mem: 32"));

      Task hello = AgentIT.awaitTerminal(cluster, "runc-hello");
      assertThat(hello.getStatus().state())
          .as(hello.getStatus().message())
          .isEqualTo(TaskState.TASK_FINISHED);
      HttpResponse<String> out =
          runc.get(
              "/files/read?path="
                  + AgentProcess.encode(hello.getStatus().sandbox() + "/stdout")
                  + "&offset=0");
      assertThat(JSON.readTree(out.body()).get("data").asText())
          .isEqualTo("hello from runc\n65534\n");
      Task hog = AgentIT.awaitTerminal(cluster, "runc-hog");
      assertThat(hog.getStatus().reason())
          .as("runc joined the task's cgroup: its memory limit holds")
          .isEqualTo(Reasons.CONTAINER_LIMITATION_MEMORY);
      assertThat(
              cluster
                  .client()
                  .resources(Agent.class)
                  .withName(name)
                  .get()
                  .getStatus()
                  .capabilities()
                  .ociRuntime())
          .isEqualTo("runc");
    } finally {
      runc.close();
      try {
        assertThat(CgroupRoots.taskCgroups(cgroupParent + "/" + name))
            .as("task cgroups left")
            .isEmpty();
      } finally {
        CgroupRoots.remove(cgroupParent);
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  private static String image(String repositoryAndTag) {
    return registry.host() + "/" + repositoryAndTag;
  }

  private static String container(String name, String image, String shell, String extra) {
    return Manifests.task(name, "fw", AGENT, 0.1, 64, shell, null)
        + "  container:\n    image: "
        + image
        + "\n"
        + (extra.isEmpty() ? "" : "    " + extra + "\n");
  }

  private static void assertFailed(TestCluster cluster, String name, String message) {
    Task t = AgentIT.awaitTerminal(cluster, name);
    assertThat(t.getStatus().state()).as(name).isEqualTo(TaskState.TASK_FAILED);
    assertThat(t.getStatus().reason()).as(name).isEqualTo(Reasons.CONTAINER_LAUNCH_FAILED);
    assertThat(t.getStatus().message()).as(name).contains(message);
  }

  private static String read(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        agent.get("/files/read?path=" + AgentProcess.encode(path) + "&offset=0&length=100000");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = JSON.readTree(response.body());
    return body.get("data").asText();
  }

  private static double pulls() throws IOException, InterruptedException {
    return agent
        .get("/q/metrics")
        .body()
        .lines()
        .filter(
            l ->
                l.startsWith("mesokube_agent_image_pulls_seconds_count{")
                    && l.contains("outcome=\"ok\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  /** A kubernetes.io/dockerconfigjson Secret for the auth registry. */
  private static io.fabric8.kubernetes.api.model.Secret dockerConfig(String name, String userPass) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withType("kubernetes.io/dockerconfigjson")
        .addToData(
            ".dockerconfigjson",
            base64(
                "{\"auths\":{\""
                    + authRegistry.host()
                    + "\":{\"auth\":\""
                    + base64(userPass)
                    + "\"}}}"))
        .build();
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
