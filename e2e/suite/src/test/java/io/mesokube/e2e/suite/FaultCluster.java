package io.mesokube.e2e.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.mesokube.api.Mesokube;
import io.mesokube.api.v1alpha1.agent.Agent;
import io.mesokube.api.v1alpha1.agent.AgentPhase;
import io.mesokube.e2e.controlplane.ControlPlane;
import io.mesokube.e2e.process.AgentProcess;
import io.mesokube.e2e.process.CgroupRoots;
import io.mesokube.e2e.process.JavaApp;
import io.mesokube.e2e.process.OperatorProcess;
import io.mesokube.e2e.process.Supervisor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Three operator replicas and three agents as processes, each with only its RBAC from {@code
 * deploy/rbac}, on the shared control plane: what the fault tests break, and bring back to three of
 * each between tests.
 */
final class FaultCluster implements AutoCloseable {
  /** The operator's leader Lease (its default name), in {@link Mesokube#SYSTEM_NAMESPACE}. */
  static final String LEADER_LEASE = "mesokube-operator";

  /**
   * Agents are unreachable 30 s (the operator's default) after their last heartbeat (a Lease of 2
   * s, renewed every 2/3 s) and gone 20 s later. Not shorter: an agent killed and started again
   * must heartbeat before it, and on this 2-core machine under the workload that took 10 to 20 s
   * (JVM and Quarkus start, then registration and recovery).
   */
  private static final Map<String, String> OPERATOR_SETTINGS =
      Map.of(
          "MESOKUBE_AGENTS_UNREACHABLE_TIMEOUT", "30s",
          "MESOKUBE_AGENTS_GONE_TIMEOUT", "20s");

  /** One cpu and 1 GiB per agent: four tasks of a quarter cpu each. */
  private static final Map<String, String> AGENT_SETTINGS =
      Map.of(
          "MESOKUBE_AGENT_RESOURCES_CPUS", "1",
          "MESOKUBE_AGENT_RESOURCES_MEM", "1024",
          "MESOKUBE_AGENT_HEARTBEAT_LEASE_DURATION", "2s");

  /** The operator's gauge, 1 while it believes it leads: {@code mesokube_leader{...} 1.0}. */
  private static final Pattern LEADER_GAUGE = Pattern.compile("^mesokube_leader(\\{.*})? [0-9.]+$");

  private final KubernetesClient admin;
  private final String cgroupRoot;
  private final Map<String, OperatorProcess> operators = new LinkedHashMap<>();
  private final Map<String, AgentProcess> agents = new LinkedHashMap<>();
  private final Map<String, Path> stateDirs = new LinkedHashMap<>();

  /** Starts an exited operator replica again, as its Deployment would; see {@link Supervisor}. */
  private final Supervisor supervisor = new Supervisor(3);

  private FaultCluster(ControlPlane controlPlane, String suffix) {
    this.admin = controlPlane.newClient();
    this.cgroupRoot = "mesokube-faults-" + suffix;
  }

  /** Applies the RBAC, starts the three replicas and three agents (in parallel), and waits. */
  static FaultCluster start(ControlPlane controlPlane) throws IOException {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    FaultCluster cluster = new FaultCluster(controlPlane, suffix);
    Path deploy = Path.of(System.getProperty("mesokube.deploy.dir"));
    for (String file : List.of("operator.yaml", "agent.yaml", "framework-scheduler.yaml")) {
      controlPlane.applyOk(null, Files.readString(deploy.resolve("rbac").resolve(file)));
    }
    Path logs = controlPlane.workDir().resolve("logs");
    Path operatorConfig = serviceAccount(controlPlane, "mesokube-operator");
    Path agentConfig = serviceAccount(controlPlane, "mesokube-agent");
    List<CompletableFuture<Void>> started = new ArrayList<>();
    try (var threads = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().factory())) {
      for (int i = 1; i <= 3; i++) {
        String identity = "faults-" + i;
        started.add(
            CompletableFuture.runAsync(
                () ->
                    cluster.put(
                        identity,
                        io(
                            () ->
                                OperatorProcess.start(
                                    operatorConfig, identity, logs, OPERATOR_SETTINGS))),
                threads));
      }
      for (String letter : List.of("a", "b", "c")) {
        String name = "faults-" + suffix + "-" + letter;
        Path state = Files.createDirectories(Path.of("/tmp", "mesokube-" + name));
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxr-xr-x"));
        cluster.stateDirs.put(name, state);
        started.add(
            CompletableFuture.runAsync(
                () ->
                    cluster.put(
                        name,
                        io(
                            () ->
                                AgentProcess.start(
                                    agentConfig,
                                    name,
                                    state,
                                    cluster.cgroupRoot,
                                    logs,
                                    AGENT_SETTINGS))),
                threads));
      }
      CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).join();
    }
    cluster.operators.values().forEach(cluster.supervisor::supervise);
    cluster.awaitSteady();
    return cluster;
  }

  private synchronized void put(String name, JavaApp app) {
    if (app instanceof OperatorProcess operator) {
      operators.put(name, operator);
    } else {
      agents.put(name, (AgentProcess) app);
    }
  }

  /** The agents' names. */
  List<String> agentNames() {
    return List.copyOf(stateDirs.keySet());
  }

  synchronized AgentProcess agent(String name) {
    return agents.get(name);
  }

  synchronized OperatorProcess operator(String identity) {
    return operators.get(identity);
  }

  /** Each agent's state directory, the dead ones' included. */
  Map<String, Path> stateDirs() {
    return Map.copyOf(stateDirs);
  }

  /** Kills replica {@code identity} (SIGKILL) and keeps it down until {@link #restore}. */
  void killOperator(String identity) throws InterruptedException {
    OperatorProcess operator = operator(identity);
    supervisor.holdDown(operator);
    synchronized (operator) {
      operator.kill();
    }
  }

  /** The leader Lease as it is now. */
  Lease leaderLease() {
    return admin.leases().inNamespace(Mesokube.SYSTEM_NAMESPACE).withName(LEADER_LEASE).get();
  }

  /** The identity of a live replica that holds a Lease renewed within its duration. */
  String awaitLiveLeader(Duration atMost) {
    return await()
        .atMost(atMost)
        .ignoreExceptions()
        .until(
            () -> {
              Lease lease = leaderLease();
              String holder = lease.getSpec().getHolderIdentity();
              Instant renewed = lease.getSpec().getRenewTime().toInstant();
              boolean fresh =
                  renewed
                      .plusSeconds(lease.getSpec().getLeaseDurationSeconds())
                      .isAfter(Instant.now());
              OperatorProcess replica = operator(holder);
              return replica != null && replica.isAlive() && fresh ? holder : null;
            },
            holder -> holder != null);
  }

  AgentPhase phase(String agent) {
    Agent object = admin.resources(Agent.class).withName(agent).get();
    return object == null || object.getStatus() == null ? null : object.getStatus().phase();
  }

  /** Task cgroups left under {@code agent}'s cgroup root. */
  List<Path> taskCgroups(String agent) throws IOException {
    return CgroupRoots.taskCgroups(cgroupRoot + "/" + agent);
  }

  /**
   * Brings the cluster back to the state every fault test starts from: starts again every replica
   * and agent that is down, replaces a replica that still acts as leader (gauge {@code
   * mesokube_leader}) though another holds the Lease, then waits until all agents are Active, no
   * task process or cgroup is left and a live replica leads.
   *
   * @throws AssertionError after restoring, if a deposed replica kept leading: a split brain the
   *     fault just caused
   */
  void restore() {
    supervisor.releaseAll();
    startAll(down());
    String holder = awaitLiveLeader(Duration.ofSeconds(30));
    List<String> deposed = deposedButLeading(holder);
    List<JavaApp> replaced = new ArrayList<>();
    for (String identity : deposed) {
      OperatorProcess zombie = operator(identity);
      io(
          () -> {
            try {
              zombie.kill();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return zombie;
          });
      replaced.add(zombie);
    }
    startAll(replaced);
    awaitSteady();
    assertThat(deposed)
        .as(
            "replicas still leading (mesokube_leader 1) after %s took the Lease; see their logs",
            holder)
        .isEmpty();
  }

  private synchronized List<JavaApp> down() {
    return Stream.concat(operators.values().stream(), agents.values().stream())
        .filter(app -> !app.isAlive())
        .map(JavaApp.class::cast)
        .toList();
  }

  private static void startAll(List<JavaApp> apps) {
    try (var threads = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().factory())) {
      CompletableFuture.allOf(
              apps.stream()
                  .map(
                      app -> CompletableFuture.runAsync(() -> Supervisor.startIfDown(app), threads))
                  .toArray(CompletableFuture[]::new))
          .join();
    }
  }

  /** Live replicas other than {@code holder} whose metrics say they lead. */
  private synchronized List<String> deposedButLeading(String holder) {
    return operators.entrySet().stream()
        .filter(e -> !e.getKey().equals(holder) && e.getValue().isAlive())
        .filter(e -> believesLeading(e.getValue()))
        .map(Map.Entry::getKey)
        .toList();
  }

  private static boolean believesLeading(OperatorProcess operator) {
    try {
      return operator
          .metrics()
          .lines()
          .filter(line -> LEADER_GAUGE.matcher(line).matches())
          .anyMatch(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) == 1);
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void awaitSteady() {
    await()
        .atMost(Duration.ofSeconds(90))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              for (String agent : agentNames()) {
                assertThat(phase(agent)).as("phase of %s", agent).isEqualTo(AgentPhase.Active);
                assertThat(taskCgroups(agent)).as("task cgroups of %s", agent).isEmpty();
              }
              assertThat(CgroupRoots.processes(cgroupRoot)).as("task processes").isEmpty();
            });
    awaitLiveLeader(Duration.ofSeconds(30));
  }

  /**
   * Stops everything, checks that no task process or cgroup is left, then removes the cgroups, the
   * state directories and the Agent objects with their Leases.
   */
  @Override
  public void close() throws IOException {
    supervisor.close();
    try {
      agents.values().forEach(AgentProcess::close);
      operators.values().forEach(OperatorProcess::close);
      for (String agent : agentNames()) {
        assertThat(taskCgroups(agent)).as("task cgroups of %s", agent).isEmpty();
      }
      assertThat(CgroupRoots.processes(cgroupRoot)).as("processes left").isEmpty();
    } finally {
      CgroupRoots.remove(cgroupRoot);
      for (Path dir : stateDirs.values()) {
        deleteRecursively(dir);
      }
      for (String agent : agentNames()) {
        admin.resources(Agent.class).withName(agent).delete();
        admin
            .leases()
            .inNamespace(Mesokube.SYSTEM_NAMESPACE)
            .withName(Mesokube.agentLeaseName(agent))
            .delete();
      }
      admin.close();
    }
  }

  private static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  private static Path serviceAccount(ControlPlane controlPlane, String name) {
    return controlPlane.kubeconfigFor(
        "system:serviceaccount:" + Mesokube.SYSTEM_NAMESPACE + ":" + name,
        "system:serviceaccounts",
        "system:serviceaccounts:" + Mesokube.SYSTEM_NAMESPACE,
        "system:authenticated");
  }

  /** An I/O step run on another thread. */
  private interface IoStep<T> {
    T run() throws IOException;
  }

  private static <T> T io(IoStep<T> step) {
    try {
      return step.run();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
