package io.mesokube.e2e.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.mesokube.api.v1alpha1.agent.Agent;
import io.mesokube.api.v1alpha1.offer.Offer;
import io.mesokube.api.v1alpha1.task.Reasons;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.api.v1alpha1.task.TaskState;
import io.mesokube.e2e.controlplane.CgroupTree;
import io.mesokube.e2e.controlplane.Component;
import io.mesokube.e2e.controlplane.ControlPlane;
import io.mesokube.e2e.controlplane.ControlPlaneConfig;
import io.mesokube.e2e.controlplane.KubectlResult;
import io.mesokube.e2e.controlplane.MesokubeImages;
import io.mesokube.e2e.controlplane.registry.ImageConfig;
import io.mesokube.e2e.controlplane.registry.TestImages;
import io.mesokube.e2e.controlplane.registry.TestRegistry;
import io.mesokube.e2e.process.HostProcesses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Mesokube installed as its users install it: {@code helm install} of {@code charts/mesokube} onto
 * a control plane with a real node (containerd and a kubelet built from source), the operator and
 * the agent as pods of images built by the project's Jib configuration and pulled from a registry.
 * Tasks run in the node's cgroups, survive the agent's pod being replaced and a {@code helm
 * upgrade}, and offers resume when the leading operator's pod is deleted; {@code helm uninstall}
 * drains the node and leaves nothing of Mesokube but its CRDs.
 *
 * <p>The steps run in order on one release; the figures go to the log and to {@code
 * target/install-figures.txt} (copied into {@code docs/benchmarks/install.md}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HelmNodeE2EIT {
  private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
  private static final String SYSTEM = "mesokube-system";
  private static final String TENANT = "helm-e2e";
  private static final String RELEASE = "mesokube";
  private static final Path REPO = Path.of(System.getProperty("mesokube.repo.dir"));
  private static final Path CHART = REPO.resolve("charts/mesokube");
  // The agent's host paths, of this run only, so that the run can check and clean them.
  private static final String CGROUP_ROOT = "mesokube-helm-" + SUFFIX;
  private static final Path STATE_DIR = Path.of("/var/lib/mesokube-helm-" + SUFFIX);
  private static final Path WORK = Path.of("/tmp", "mesokube-helm-e2e-" + SUFFIX);
  // Images are pulled and JVMs started on a two-core machine that also runs the control plane.
  private static final Duration ROLLOUT = Duration.ofMinutes(5);
  private static final Duration TASK = Duration.ofMinutes(2);
  // A sleep no other process on the host runs: how the uninstall step finds its tasks' processes.
  private static final int UNINSTALL_SLEEP = 4000 + new java.util.Random().nextInt(1000);

  private static final Map<String, String> FIGURES = new LinkedHashMap<>();
  private static ControlPlane controlPlane;
  private static KubernetesClient client;
  private static TestRegistry registry;
  private static String operatorImage;
  private static String agentImage;
  private static String busybox;

  /** On a failed step: the pods, their events and the agent's and operators' last log lines. */
  @org.junit.jupiter.api.extension.RegisterExtension
  static final org.junit.jupiter.api.extension.TestWatcher DIAGNOSE =
      new org.junit.jupiter.api.extension.TestWatcher() {
        @Override
        public void testFailed(
            org.junit.jupiter.api.extension.ExtensionContext context, Throwable cause) {
          if (controlPlane == null) {
            return;
          }
          for (List<String> args :
              List.of(
                  List.of("-n", SYSTEM, "get", "pods", "-o", "wide"),
                  List.of("-n", SYSTEM, "get", "events", "--sort-by=.lastTimestamp"),
                  List.of(
                      "-n",
                      SYSTEM,
                      "logs",
                      "-l",
                      "app.kubernetes.io/component=agent",
                      "--tail=60",
                      "--prefix"),
                  List.of(
                      "-n",
                      SYSTEM,
                      "logs",
                      "-l",
                      "app.kubernetes.io/component=operator",
                      "--tail=20",
                      "--prefix"),
                  List.of("-n", TENANT, "get", "tasks", "-o", "wide"))) {
            KubectlResult result = controlPlane.kubectl(args.toArray(String[]::new));
            System.out.printf(
                "--- kubectl %s (%s)%n%s%s%n",
                String.join(" ", args), context.getDisplayName(), result.stdout(), result.stderr());
          }
        }
      };

  @BeforeAll
  static void startNodeAndBuildImages() throws IOException {
    Files.createDirectories(WORK);
    controlPlane = ControlPlane.start(ControlPlaneConfig.fromSystemProperties().withNode(true));
    client = controlPlane.newClient();
    client
        .namespaces()
        .resource(
            new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata()
                .withName(TENANT)
                .endMetadata()
                .build())
        .create();
    registry = TestRegistry.start(WORK.resolve("registry"));
    long begin = System.nanoTime();
    String base = MesokubeImages.pushBase(registry, WORK);
    String tag = "e2e-" + SUFFIX;
    operatorImage =
        MesokubeImages.push(
            registry, MesokubeImages.App.OPERATOR, base, tag, WORK.resolve("jib-operator"));
    agentImage =
        MesokubeImages.push(
            registry, MesokubeImages.App.AGENT, base, tag, WORK.resolve("jib-agent"));
    TestImages.pushBusybox(registry, "mesokube/busybox", "1.36", ImageConfig.NONE);
    busybox = registry.host() + "/mesokube/busybox:1.36";
    figure("images built and pushed (base, operator, agent, busybox)", since(begin));
  }

  @AfterAll
  static void cleanUp() throws IOException {
    try {
      if (controlPlane != null) {
        controlPlane.helm("uninstall", RELEASE, "--namespace", SYSTEM, "--wait");
      }
    } finally {
      // Tasks outlive the agent's pod by design; this run's are ended here, with their cgroups.
      CgroupTree.named(CGROUP_ROOT).killAndRemove();
      if (Files.exists(STATE_DIR)) {
        try (Stream<Path> files = Files.walk(STATE_DIR)) {
          files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
      if (client != null) {
        client.close();
      }
      if (registry != null) {
        registry.close();
      }
      if (controlPlane != null) {
        controlPlane.close();
      }
      Files.writeString(
          Path.of("target", "install-figures.txt"),
          FIGURES.entrySet().stream()
              .map(e -> "| " + e.getKey() + " | " + e.getValue() + " |")
              .reduce("", (a, b) -> a + b + "\n"));
    }
  }

  @Test
  @Order(1)
  void helmInstallBringsUpTheOperatorReplicasAndTheAgentPod() {
    long begin = System.nanoTime();
    KubectlResult install =
        controlPlane.helm(
            "install",
            RELEASE,
            CHART.toString(),
            "--namespace",
            SYSTEM,
            "--create-namespace",
            "--set",
            "apiServerUrl=" + controlPlane.apiServerUrlForPods(),
            "--set",
            "operator.image.repository=" + repository(operatorImage),
            "--set",
            "operator.image.tag=" + tag(operatorImage),
            "--set",
            "agent.image.repository=" + repository(agentImage),
            "--set",
            "agent.image.tag=" + tag(agentImage),
            "--set",
            "agent.stateDir=" + STATE_DIR,
            "--set",
            "agent.cgroup.root=" + CGROUP_ROOT,
            // The chart's default, /proc/1/ns/mnt, is the host's mount namespace on a node; this
            // machine's PID 1 is a VM init outside the user namespace the tests run in, whose
            // namespace links even root cannot read. containerd's is the same host namespace.
            "--set",
            "agent.taskMountNamespace=/proc/"
                + controlPlane.pid(Component.CONTAINERD).orElseThrow()
                + "/ns/mnt",
            "--set",
            "agent.offer.cpus=1",
            "--set",
            "agent.offer.mem=1024");
    assertThat(install.succeeded()).as(install.stderr()).isTrue();
    assertThat(install.stdout()).contains("STATUS: deployed");

    await("three operator replicas Ready")
        .atMost(ROLLOUT)
        .until(() -> readyReplicas(deployment()) == 3);
    await("the agent's pod Ready").atMost(ROLLOUT).until(() -> numberReady(daemonSet()) == 1);
    Lease lease = leaderLease();
    assertThat(lease.getSpec().getHolderIdentity()).startsWith(RELEASE + "-operator-");
    Agent agent =
        await("the agent's pod registered its Agent")
            .atMost(ROLLOUT)
            .until(
                () -> client.resources(Agent.class).withName(controlPlane.nodeName()).get(),
                a -> a != null && a.getStatus() != null);
    assertThat(agent.getSpec().hostname()).isEqualTo(controlPlane.nodeIp());
    figure("helm install to every replica and the agent Ready", since(begin));

    apply(
        """
        apiVersion: mesokube.io/v1alpha1
        kind: Framework
        metadata: {name: managed}
        spec: {scheduler: Managed, roles: [batch]}
        ---
        apiVersion: mesokube.io/v1alpha1
        kind: Task
        metadata: {name: first}
        spec:
          framework: managed
          role: batch
          resources: {cpus: 0.1, mem: 32}
          command: {shell: 'sleep 2'}
        """);
    awaitState("first", TaskState.TASK_RUNNING);
    figure("helm install to the first task RUNNING", since(begin));
    awaitState("first", TaskState.TASK_FINISHED);
  }

  @Test
  @Order(2)
  void aCommandTaskAndAContainerTaskRunInTheNodesCgroupsAndFinish() throws IOException {
    apply(
        """
        apiVersion: mesokube.io/v1alpha1
        kind: Task
        metadata: {name: command}
        spec:
          framework: managed
          role: batch
          resources: {cpus: 0.1, mem: 32}
          command: {shell: 'echo from $(cat /proc/self/cgroup | grep memory); sleep 3'}
        ---
        apiVersion: mesokube.io/v1alpha1
        kind: Task
        metadata: {name: container}
        spec:
          framework: managed
          role: batch
          resources: {cpus: 0.1, mem: 64}
          container: {image: %s}
          command: {shell: 'echo in a container; sleep 3'}
        """
            .formatted(busybox));
    awaitState("command", TaskState.TASK_RUNNING);
    awaitState("container", TaskState.TASK_RUNNING);
    // The tasks' cgroups are the node's, under the agent's root: not the agent pod's.
    assertThat(CgroupTree.named(CGROUP_ROOT).existing()).isNotEmpty();
    Task command = awaitState("command", TaskState.TASK_FINISHED);
    Task container = awaitState("container", TaskState.TASK_FINISHED);
    assertThat(command.getStatus().exitCode()).isZero();
    assertThat(container.getStatus().exitCode()).isZero();
  }

  @Test
  @Order(3)
  void tasksSurviveTheAgentsPodBeingReplacedAndEndWithTheirRealExitCodes() {
    int tasks = 3;
    StringBuilder yaml = new StringBuilder();
    for (int i = 0; i < tasks; i++) {
      yaml.append(
          """
          ---
          apiVersion: mesokube.io/v1alpha1
          kind: Task
          metadata: {name: survivor-%d}
          spec:
            framework: managed
            role: batch
            resources: {cpus: 0.1, mem: 32}
            command: {shell: 'sleep 25; exit %d'}
          """
              .formatted(i, 40 + i));
    }
    apply(yaml.toString());
    for (int i = 0; i < tasks; i++) {
      awaitState("survivor-" + i, TaskState.TASK_RUNNING);
    }
    Pod old = agentPod();

    long begin = System.nanoTime();
    KubectlResult delete =
        controlPlane.kubectl("-n", SYSTEM, "delete", "pod", old.getMetadata().getName());
    assertThat(delete.succeeded()).as(delete.stderr()).isTrue();
    Pod replacement =
        await("the DaemonSet's new agent pod Ready")
            .atMost(ROLLOUT)
            .until(
                HelmNodeE2EIT::agentPod,
                p ->
                    p != null
                        && !p.getMetadata().getUid().equals(old.getMetadata().getUid())
                        && isReady(p));
    assertThat(replacement).isNotNull();
    figure("agent pod deleted to its replacement Ready", since(begin));

    int survived = 0;
    for (int i = 0; i < tasks; i++) {
      Task ended = awaitState("survivor-" + i, TaskState.TASK_FAILED);
      assertThat(ended.getStatus().exitCode()).as("survivor-" + i).isEqualTo(40 + i);
      survived++;
    }
    figure(
        "tasks running when the agent pod was deleted / ended with their own exit code",
        tasks + " / " + survived);
    figure("agent pod deleted to its tasks' final statuses reported", since(begin));
  }

  @Test
  @Order(4)
  void deletingTheLeadingOperatorsPodMovesOffersToANewLeader() {
    // A connected Offers framework: its scheduler's Lease, renewed for the test's length (the
    // offers stay unanswered, and are made again once they expire).
    apply(
        """
        apiVersion: mesokube.io/v1alpha1
        kind: Framework
        metadata: {name: offered}
        spec: {scheduler: Offers, roles: [batch]}
        ---
        apiVersion: coordination.k8s.io/v1
        kind: Lease
        metadata:
          name: mesokube-fw-offered
          labels: {mesokube.io/framework: offered}
        spec:
          holderIdentity: helm-e2e
          leaseDurationSeconds: 900
          renewTime: %s
        """
            .formatted(
                java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX")
                    .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC))));
    await("an offer to the Offers framework").atMost(TASK).until(() -> !offers().isEmpty());
    String leader = leaderLease().getSpec().getHolderIdentity();

    Instant deleted = Instant.now();
    long begin = System.nanoTime();
    KubectlResult delete =
        controlPlane.kubectl("-n", SYSTEM, "delete", "pod", leader, "--wait=false");
    assertThat(delete.succeeded()).as(delete.stderr()).isTrue();
    String next =
        await("another replica leads")
            .atMost(TASK)
            .until(
                () -> leaderLease().getSpec().getHolderIdentity(),
                holder -> holder != null && !holder.equals(leader));
    figure("leading operator pod deleted to a new leader", since(begin));
    await("an offer made after the delete")
        .atMost(TASK)
        .until(
            () ->
                offers().stream()
                    .anyMatch(
                        o ->
                            Instant.parse(o.getMetadata().getCreationTimestamp())
                                .isAfter(deleted.minusSeconds(1))));
    figure("leading operator pod deleted to the next offer", since(begin));
    assertThat(next).startsWith(RELEASE + "-operator-");
    await("three operator replicas Ready again")
        .atMost(ROLLOUT)
        .until(() -> readyReplicas(deployment()) == 3);
    client
        .resources(io.mesokube.api.v1alpha1.framework.Framework.class)
        .inNamespace(TENANT)
        .withName("offered")
        .delete();
  }

  @Test
  @Order(5)
  void helmUpgradeWithAChangedValueRollsEverythingWithoutLosingATask() {
    apply(
        """
        apiVersion: mesokube.io/v1alpha1
        kind: Task
        metadata: {name: through-upgrade}
        spec:
          framework: managed
          role: batch
          resources: {cpus: 0.1, mem: 32}
          command: {shell: 'sleep 30; exit 5'}
        """);
    awaitState("through-upgrade", TaskState.TASK_RUNNING);
    String agentPodBefore = agentPod().getMetadata().getUid();
    long generationBefore = deployment().getMetadata().getGeneration();

    long begin = System.nanoTime();
    KubectlResult upgrade =
        controlPlane.helm(
            "upgrade",
            RELEASE,
            CHART.toString(),
            "--namespace",
            SYSTEM,
            "--reuse-values",
            "--set",
            "agent.heartbeat.leaseDuration=12s",
            "--set",
            "operator.allocation.offerTimeout=20s");
    assertThat(upgrade.succeeded()).as(upgrade.stderr()).isTrue();
    await("the operator rolled")
        .atMost(ROLLOUT)
        .until(
            () -> {
              Deployment d = deployment();
              return d.getMetadata().getGeneration() > generationBefore
                  && d.getStatus().getObservedGeneration() >= d.getMetadata().getGeneration()
                  && readyReplicas(d) == 3
                  && d.getStatus().getUpdatedReplicas() != null
                  && d.getStatus().getUpdatedReplicas() == 3;
            });
    await("the agent rolled")
        .atMost(ROLLOUT)
        .until(
            () -> {
              Pod p = agentPod();
              return p != null && !p.getMetadata().getUid().equals(agentPodBefore) && isReady(p);
            });
    figure("helm upgrade to operator and agent rolled", since(begin));

    Task ended = awaitState("through-upgrade", TaskState.TASK_FAILED);
    assertThat(ended.getStatus().exitCode()).isEqualTo(5);
  }

  @Test
  @Order(6)
  void aTaskReadsNeitherThePodsTokenNorTheAgentsState() throws IOException {
    // As the default user (nobody), on the node's file system: the pod's ServiceAccount token is
    // not there at all, and the agent's checkpoints are root's. Each line says what happened.
    apply(
        """
        apiVersion: mesokube.io/v1alpha1
        kind: Task
        metadata: {name: snoop}
        spec:
          framework: managed
          role: batch
          resources: {cpus: 0.1, mem: 32}
          command:
            shell: |
              try() { if out=$("$@" 2>&1 >/dev/null); then echo "READ $*"; else echo "DENIED $*: $out"; fi; }
              try cat /var/run/secrets/kubernetes.io/serviceaccount/token
              try ls /var/run/secrets/kubernetes.io
              try cat %1$s/launches.log
              try ls %1$s
              try ls %1$s/tasks
              for f in %1$s/tasks/*/task.json; do try cat "$f"; done
              try cat /proc/1/root/var/run/secrets/kubernetes.io/serviceaccount/token
        """
            .formatted(STATE_DIR));
    Task snoop = awaitState("snoop", TaskState.TASK_FINISHED);
    String out = Files.readString(Path.of(snoop.getStatus().sandbox(), "stdout"));
    System.out.println("snoop's stdout:\n" + out);

    assertThat(out.lines()).isNotEmpty().noneMatch(line -> line.startsWith("READ"));
    assertThat(out)
        .contains(
            "DENIED cat /var/run/secrets/kubernetes.io/serviceaccount/token: cat: "
                + "/var/run/secrets/kubernetes.io/serviceaccount/token: No such file or directory")
        .contains("DENIED cat " + STATE_DIR + "/launches.log")
        .contains("DENIED ls " + STATE_DIR + ":")
        .contains("DENIED ls " + STATE_DIR + "/tasks");
  }

  @Test
  @Order(7)
  void helmUninstallDrainsTheNodeAndRemovesAllButTheCrds() throws IOException {
    // Tasks keep running when the agent's pod goes (step 3); an uninstall must end them first.
    apply(
        """
        apiVersion: mesokube.io/v1alpha1
        kind: Task
        metadata: {name: at-uninstall-command}
        spec:
          framework: managed
          role: batch
          resources: {cpus: 0.1, mem: 32}
          command: {shell: 'exec sleep %1$d'}
        ---
        apiVersion: mesokube.io/v1alpha1
        kind: Task
        metadata: {name: at-uninstall-container}
        spec:
          framework: managed
          role: batch
          resources: {cpus: 0.1, mem: 64}
          container: {image: %2$s}
          command: {shell: 'exec sleep %1$d'}
        """
            .formatted(UNINSTALL_SLEEP, busybox));
    awaitState("at-uninstall-command", TaskState.TASK_RUNNING);
    awaitState("at-uninstall-container", TaskState.TASK_RUNNING);
    // RUNNING is reported once the task's shell started; it execs sleep a moment later.
    await("the tasks' sleep processes").atMost(TASK).until(() -> sleepers().size() == 2);

    long begin = System.nanoTime();
    KubectlResult uninstall =
        controlPlane.helm("uninstall", RELEASE, "--namespace", SYSTEM, "--wait", "--timeout", "5m");
    assertThat(uninstall.succeeded()).as(uninstall.stderr()).isTrue();
    figure("helm uninstall with 2 tasks running, to done (--wait)", since(begin));

    for (String name : List.of("at-uninstall-command", "at-uninstall-container")) {
      Task task = client.resources(Task.class).inNamespace(TENANT).withName(name).get();
      assertThat(task.getStatus().state()).as(name).isEqualTo(TaskState.TASK_KILLED);
      assertThat(task.getStatus().reason()).as(name).isEqualTo(Reasons.AGENT_DRAINING);
    }
    assertThat(sleepers()).as("task processes left on the node").isEmpty();
    assertThat(CgroupTree.named(CGROUP_ROOT).existing()).as("cgroups left on the node").isEmpty();
    assertThat(client.resources(Agent.class).list().getItems()).as("Agents").isEmpty();

    // Everything the release made is gone, hooks included; the CRDs (and so the users' objects)
    // stay, by Helm's convention.
    // helm's --wait waits for the release's objects; their pods go a moment later, through the
    // garbage collector.
    await("the release's pods gone")
        .atMost(ROLLOUT)
        .until(() -> client.pods().inNamespace(SYSTEM).list().getItems().isEmpty());
    KubectlResult left =
        controlPlane.kubectl(
            "get",
            "all,serviceaccounts,roles,rolebindings,clusterroles,clusterrolebindings,"
                + "poddisruptionbudgets,jobs",
            "--all-namespaces",
            "-l",
            "app.kubernetes.io/instance=" + RELEASE,
            "-o",
            "name");
    assertThat(left.succeeded()).as(left.stderr()).isTrue();
    assertThat(left.stdout()).as("release objects left").isBlank();
    for (String crd :
        List.of(
            "agents.mesokube.io",
            "frameworks.mesokube.io",
            "offers.mesokube.io",
            "rolepolicies.mesokube.io",
            "tasks.mesokube.io")) {
      assertThat(client.apiextensions().v1().customResourceDefinitions().withName(crd).get())
          .as(crd)
          .isNotNull();
    }
    assertThat(client.resources(Task.class).inNamespace(TENANT).list().getItems()).isNotEmpty();
  }

  /** Processes on this host running this test's uninstall tasks' command. */
  private static List<Long> sleepers() throws IOException {
    return HostProcesses.withArgv(
        argv -> argv.equals(List.of("sleep", Integer.toString(UNINSTALL_SLEEP))));
  }

  private static void apply(String yaml) {
    controlPlane.applyOk(TENANT, yaml);
  }

  /** Waits until the task is in {@code state}; fails at once, saying why, if it ends otherwise. */
  private static Task awaitState(String name, TaskState state) {
    return await(name + " " + state)
        .atMost(TASK)
        .until(
            () -> client.resources(Task.class).inNamespace(TENANT).withName(name).get(),
            t -> {
              if (t == null || t.getStatus() == null || t.getStatus().state() == null) {
                return false;
              }
              if (t.getStatus().state() != state && t.getStatus().state().isTerminal()) {
                throw new AssertionError(
                    "task %s ended %s, not %s: %s"
                        .formatted(name, t.getStatus().state(), state, t.getStatus()));
              }
              return t.getStatus().state() == state;
            });
  }

  private static List<Offer> offers() {
    return client.resources(Offer.class).inNamespace(TENANT).list().getItems();
  }

  private static Deployment deployment() {
    return client.apps().deployments().inNamespace(SYSTEM).withName(RELEASE + "-operator").get();
  }

  private static DaemonSet daemonSet() {
    return client.apps().daemonSets().inNamespace(SYSTEM).withName(RELEASE + "-agent").get();
  }

  private static int readyReplicas(Deployment deployment) {
    Integer ready = deployment == null ? null : deployment.getStatus().getReadyReplicas();
    return ready == null ? 0 : ready;
  }

  private static int numberReady(DaemonSet daemonSet) {
    Integer ready = daemonSet == null ? null : daemonSet.getStatus().getNumberReady();
    return ready == null ? 0 : ready;
  }

  private static Pod agentPod() {
    return client
        .pods()
        .inNamespace(SYSTEM)
        .withLabel("app.kubernetes.io/component", "agent")
        .list()
        .getItems()
        .stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .findFirst()
        .orElse(null);
  }

  private static boolean isReady(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static Lease leaderLease() {
    return client.leases().inNamespace(SYSTEM).withName(RELEASE + "-operator").get();
  }

  private static String repository(String reference) {
    return reference.substring(0, reference.lastIndexOf(':'));
  }

  private static String tag(String reference) {
    return reference.substring(reference.lastIndexOf(':') + 1);
  }

  private static Duration since(long nanos) {
    return Duration.ofNanos(System.nanoTime() - nanos);
  }

  private static void figure(String what, Duration duration) {
    figure(what, "%.1f s".formatted(duration.toMillis() / 1000.0));
  }

  private static void figure(String what, String value) {
    FIGURES.put(what, value);
    System.out.printf("install figure: %s: %s%n", what, value);
  }
}
