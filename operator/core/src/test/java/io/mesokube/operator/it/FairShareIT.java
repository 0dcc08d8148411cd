package io.mesokube.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.mesokube.api.v1alpha1.common.Resources;
import io.mesokube.api.v1alpha1.framework.Framework;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.e2e.controlplane.ControlPlaneExtension;
import io.mesokube.e2e.controlplane.TestCluster;
import io.mesokube.e2e.process.OperatorProcess;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * DRF with weights and quota end to end: two Managed frameworks under contention share the cluster
 * by their roles' weights, and a guarantee is honoured while a heavier role wants everything. Tasks
 * run on simulated agents and finish after two seconds, so resources return to the allocator and
 * the shares converge, as they do in Mesos.
 */
@ExtendWith(ControlPlaneExtension.class)
class FairShareIT {
  /**
   * Eight small agents rather than two large ones: an offer carries a whole agent's free resources
   * to one framework (as in Mesos), so shares converge in steps of one agent.
   */
  private static final Resources AGENT = Resources.of(1, 1024);

  @Test
  void weightsOneAndThreeConvergeToAOneToThreeShare(TestCluster cluster) throws IOException {
    try (var operator = operator(cluster);
        var agents =
            SimulatedAgents.start(
                cluster.client(), cluster.namespace(), "fair-w", 8, AGENT, Duration.ofSeconds(2))) {
      policy(cluster, "fair-w1", "w1", 1, null);
      policy(cluster, "fair-w3", "w3", 3, null);
      workload(cluster, "light", "w1", 150);
      workload(cluster, "heavy", "w3", 150);

      // Let the first burst settle, then average the running cpus over ten seconds.
      await().atMost(Duration.ofSeconds(60)).until(() -> agents.finished() >= 24);
      List<double[]> samples = new ArrayList<>();
      AtomicInteger polls = new AtomicInteger();
      await()
          .pollInterval(Duration.ofMillis(250))
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                samples.add(runningCpus(cluster.client(), cluster.namespace(), "light", "heavy"));
                return polls.incrementAndGet() >= 40;
              });
      double light = samples.stream().mapToDouble(s -> s[0]).average().orElse(0);
      double heavy = samples.stream().mapToDouble(s -> s[1]).average().orElse(0);
      System.out.printf(
          "fair share: light (w1) %.2f cpus, heavy (w3) %.2f cpus, ratio %.2f%n",
          light, heavy, heavy / light);
      // Stated tolerance: the weighted dominant shares agree within a factor of 1.5 (3 +- 50%).
      assertThat(light).isGreaterThan(0);
      assertThat(heavy / light).isBetween(2.0, 4.5);
      assertThat(agents.duplicateLaunches()).isEmpty();
    } finally {
      delete(cluster, "fair-w1", "fair-w3");
    }
  }

  @Test
  void aGuaranteeIsHonouredWhileAHeavierRoleWantsEverything(TestCluster cluster)
      throws IOException {
    try (var operator = operator(cluster);
        var agents =
            SimulatedAgents.start(
                cluster.client(), cluster.namespace(), "fair-g", 8, AGENT, Duration.ofSeconds(2))) {
      policy(cluster, "fair-greedy", "greedy", 10, null);
      policy(cluster, "fair-guaranteed", "guaranteed", 1, "{guarantee: {cpus: 2, mem: 256}}");
      workload(cluster, "greedy", "greedy", 200);
      workload(cluster, "small", "guaranteed", 100);

      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(
                          runningCpus(cluster.client(), cluster.namespace(), "small", "greedy")[0])
                      .as("cpus running for the guaranteed role")
                      .isGreaterThanOrEqualTo(2.0));
      assertThat(agents.duplicateLaunches()).isEmpty();
    } finally {
      delete(cluster, "fair-greedy", "fair-guaranteed");
    }
  }

  private static OperatorProcess operator(TestCluster cluster) throws IOException {
    try (KubernetesClient client = cluster.controlPlane().newClient()) {
      OperatorLease.ensureNamespace(client);
    }
    return OperatorProcess.start(
        cluster.controlPlane().kubeconfig(),
        "fair",
        cluster.controlPlane().workDir().resolve("logs"));
  }

  private static void policy(
      TestCluster cluster, String name, String role, double weight, String quota) {
    cluster
        .controlPlane()
        .applyOk(
            null,
            """
        apiVersion: mesokube.io/v1alpha1
        kind: RolePolicy
        metadata: {name: %s}
        spec: {role: %s, weight: %s%s}
        """
                .formatted(name, role, weight, quota == null ? "" : ", quota: " + quota));
  }

  private static void workload(TestCluster cluster, String framework, String role, int tasks) {
    StringBuilder yaml =
        new StringBuilder(
            """
            apiVersion: mesokube.io/v1alpha1
            kind: Framework
            metadata: {name: %s}
            spec: {scheduler: Managed, roles: [%s]}
            """
                .formatted(framework, role));
    for (int i = 0; i < tasks; i++) {
      yaml.append(
          """
          ---
          apiVersion: mesokube.io/v1alpha1
          kind: Task
          metadata: {name: %s-%d}
          spec: {framework: %s, resources: {cpus: 0.5, mem: 64}, command: {shell: sleep 2}}
          """
              .formatted(framework, i, framework));
    }
    cluster.controlPlane().applyOk(cluster.namespace(), yaml.toString());
  }

  /** Cpus of running tasks of two frameworks. */
  private static double[] runningCpus(
      KubernetesClient client, String namespace, String first, String second) {
    double[] out = new double[2];
    for (Task task : client.resources(Task.class).inNamespace(namespace).list().getItems()) {
      boolean running =
          task.getSpec().agent() != null
              && task.getStatus() != null
              && task.getStatus().state() != null
              && !task.getStatus().state().isTerminal();
      if (!running) {
        continue;
      }
      Map<String, Integer> index = Map.of(first, 0, second, 1);
      Integer i = index.get(task.getSpec().framework());
      if (i != null) {
        out[i] += task.getSpec().resources().cpus();
      }
    }
    return out;
  }

  /**
   * Removes this test's frameworks, tasks and policies and waits for them to be gone: hundreds of
   * pending tasks of a heavy role would otherwise compete, through DRF, for the agents of the test
   * classes that run next on the same control plane.
   */
  private static void delete(TestCluster cluster, String... policies) {
    // One delete-collection request per kind, then wait until they are gone.
    cluster.client().resources(Framework.class).delete();
    cluster.client().resources(Task.class).delete();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> cluster.client().resources(Task.class).list().getItems().isEmpty());
    for (String policy : policies) {
      cluster
          .controlPlane()
          .kubectl("delete", "rolepolicy", policy, "--wait=true", "--timeout=60s");
    }
  }
}
