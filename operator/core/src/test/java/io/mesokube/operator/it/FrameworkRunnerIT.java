package io.mesokube.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.mesokube.api.v1alpha1.common.Resources;
import io.mesokube.e2e.controlplane.ControlPlaneExtension;
import io.mesokube.e2e.controlplane.TestCluster;
import io.mesokube.e2e.process.OperatorProcess;
import io.mesokube.examples.runner.RunnerMain;
import io.mesokube.examples.runner.RunnerOptions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The example framework, through the scheduler SDK, runs to completion against one operator process
 * and simulated agents; the run's API writes per launched task are printed (a figure for
 * docs/benchmarks/operator.md, never asserted).
 */
@ExtendWith(ControlPlaneExtension.class)
class FrameworkRunnerIT {
  private static final int TASKS = 50;

  @Test
  void theExampleFrameworkRunsToCompletion(TestCluster cluster) throws Exception {
    var controlPlane = cluster.controlPlane();
    ApiWrites agentWrites = new ApiWrites();
    ApiWrites frameworkWrites = new ApiWrites();
    try (OperatorLease lease = OperatorLease.watch(cluster.client());
        KubernetesClient agentClient =
            agentWrites.countingClient(controlPlane.kubeconfig(), cluster.namespace());
        KubernetesClient frameworkClient =
            frameworkWrites.countingClient(controlPlane.kubeconfig(), cluster.namespace());
        SimulatedAgents agents =
            SimulatedAgents.start(
                agentClient,
                cluster.namespace(),
                cluster.namespace(),
                2,
                Resources.of(2, 2048),
                Duration.ofMillis(200));
        OperatorProcess operator =
            OperatorProcess.start(
                controlPlane.kubeconfig(), "it-runner", controlPlane.workDir().resolve("logs"))) {
      await().atMost(Duration.ofSeconds(30)).until(() -> "it-runner".equals(lease.holder()));
      Map<String, Long> before = ApiWrites.scrape(cluster.client());
      long leaseBefore = lease.writes();

      int exit =
          CompletableFuture.supplyAsync(
                  () ->
                      RunnerMain.run(
                          RunnerOptions.parse(
                              "--namespace", cluster.namespace(),
                              "--name", "runner",
                              "--tasks", Integer.toString(TASKS),
                              "--cpus", "0.5",
                              "--mem", "64"),
                          frameworkClient))
              .get(120, TimeUnit.SECONDS);
      Map<String, Long> total = ApiWrites.delta(before, ApiWrites.scrape(cluster.client()));

      assertThat(exit).as("runner exit code; operator log: %s", operator.log()).isZero();
      assertThat(agents.finished()).isEqualTo(TASKS);
      assertThat(agents.launches()).hasSize(TASKS);
      assertThat(agents.duplicateLaunches()).isEmpty();
      assertThat(agents.violations()).isEmpty();
      System.out.print(
          ApiWrites.report(
              "FrameworkRunnerIT (1 operator, " + TASKS + " tasks, 2 agents)",
              total,
              frameworkWrites.counted(),
              agentWrites.counted(),
              lease.writes() - leaseBefore,
              agents.launches().size()));
    }
  }
}
