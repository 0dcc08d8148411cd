package io.mesokube.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.mesokube.api.v1alpha1.common.Resources;
import io.mesokube.api.v1alpha1.offer.Offer;
import io.mesokube.e2e.controlplane.ControlPlane;
import io.mesokube.e2e.controlplane.ControlPlaneExtension;
import io.mesokube.e2e.controlplane.TestCluster;
import io.mesokube.e2e.process.OperatorProcess;
import io.mesokube.e2e.process.Supervisor;
import io.mesokube.examples.runner.RunnerMain;
import io.mesokube.examples.runner.RunnerOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Operator HA: two replicas against one API server; while the example framework launches hundreds
 * of short tasks on simulated agents, the leader is killed (SIGKILL) a few times, each time
 * restarted as the new follower. The simulated agents check throughout that no agent is
 * over-committed and no task launched twice; the framework must complete. Failover time (kill to
 * the first Offer of the new leader) and API writes per task are printed, never asserted.
 */
@ExtendWith(ControlPlaneExtension.class)
class FailoverIT {
  private static final int TASKS = 300;
  private static final int KILLS = 3;
  private static final List<String> REPLICAS = List.of("it-a", "it-b");

  @Test
  void theFollowerTakesOverWhileTheFrameworkLaunches(TestCluster cluster) throws Exception {
    ControlPlane controlPlane = cluster.controlPlane();
    ApiWrites agentWrites = new ApiWrites();
    ApiWrites frameworkWrites = new ApiWrites();
    Map<Long, Instant> firstOfferOfEpoch = new ConcurrentHashMap<>();
    Map<String, OperatorProcess> replicas = new HashMap<>();
    List<String> failovers = new ArrayList<>();
    try (OperatorLease lease = OperatorLease.watch(cluster.client());
        KubernetesClient agentClient =
            agentWrites.countingClient(controlPlane.kubeconfig(), cluster.namespace());
        KubernetesClient frameworkClient =
            frameworkWrites.countingClient(controlPlane.kubeconfig(), cluster.namespace());
        SharedIndexInformer<Offer> offers =
            cluster.client().resources(Offer.class).inform(firstOfferOf(firstOfferOfEpoch));
        SimulatedAgents agents =
            SimulatedAgents.start(
                agentClient,
                cluster.namespace(),
                cluster.namespace(),
                4,
                Resources.of(2, 4096),
                Duration.ofSeconds(3));
        // A replica that loses the Lease on its own (a loaded machine delays its renewals) exits
        // on purpose; like its Deployment, the test starts it again. Only the killed one waits.
        Supervisor supervisor = new Supervisor(REPLICAS.size())) {
      for (String identity : REPLICAS) {
        replicas.put(identity, start(controlPlane, identity, 0));
        supervisor.supervise(replicas.get(identity));
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> REPLICAS.contains(lease.holder()));
      Map<String, Long> before = ApiWrites.scrape(cluster.client());
      long leaseBefore = lease.writes();

      CompletableFuture<Integer> run =
          CompletableFuture.supplyAsync(
              () ->
                  RunnerMain.run(
                      RunnerOptions.parse(
                          "--namespace", cluster.namespace(),
                          "--name", "runner",
                          "--tasks", Integer.toString(TASKS),
                          "--cpus", "0.1",
                          "--mem", "32",
                          "--max-retries", "10"),
                      frameworkClient));
      Instant started = Instant.now();
      for (int kill = 1; kill <= KILLS && !run.isDone(); kill++) {
        int launched = 30 * kill;
        await()
            .atMost(Duration.ofSeconds(120))
            .until(() -> run.isDone() || agents.launches().size() >= launched);
        if (run.isDone()) {
          break;
        }
        String leader = lease.holder();
        long epoch = lease.epoch();
        int launchedAtKill = agents.launches().size();
        Instant killed = Instant.now();
        OperatorProcess victim = replicas.remove(leader);
        supervisor.holdDown(victim);
        synchronized (victim) {
          victim.kill();
        }
        // A framework with nothing left to launch suppresses its offers, so the new leader may
        // rightly make none: then the run's completion ends the wait instead.
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> run.isDone() || firstOfferOfEpoch.keySet().stream().anyMatch(e -> e > epoch));
        if (firstOfferOfEpoch.keySet().stream().noneMatch(e -> e > epoch)) {
          failovers.add(
              "kill %d of %s at %d launches: the framework finished before it needed an offer"
                  .formatted(kill, leader, launchedAtKill));
          break;
        }
        long next =
            firstOfferOfEpoch.keySet().stream().filter(e -> e > epoch).min(Long::compare).get();
        Instant takenOver = lease.takenOver(next);
        failovers.add(
            "kill %d of %s at %d launches: Lease taken over after %s, first offer after %s"
                .formatted(
                    kill,
                    leader,
                    launchedAtKill,
                    takenOver == null
                        ? "?"
                        : Duration.between(killed, takenOver).toMillis() + " ms",
                    Duration.between(killed, firstOfferOfEpoch.get(next)).toMillis() + " ms"));
        replicas.put(leader, start(controlPlane, leader, kill));
        supervisor.supervise(replicas.get(leader));
      }
      int exit = run.get(180, TimeUnit.SECONDS);
      Duration took = Duration.between(started, Instant.now());
      Map<String, Long> total = ApiWrites.delta(before, ApiWrites.scrape(cluster.client()));

      failovers.forEach(System.out::println);
      System.out.printf(
          "FailoverIT: %d tasks finished, %d launched, in %d s%n",
          agents.finished(), agents.launches().size(), took.toSeconds());
      System.out.print(
          ApiWrites.report(
              "FailoverIT (2 operators, "
                  + failovers.size()
                  + " leader kills, "
                  + TASKS
                  + " tasks)",
              total,
              frameworkWrites.counted(),
              agentWrites.counted(),
              lease.writes() - leaseBefore,
              agents.launches().size()));
      assertThat(exit).as("runner exit code; operator logs in %s", logs(controlPlane, 0)).isZero();
      assertThat(failovers).as("leader kills while the framework ran").isNotEmpty();
      assertThat(agents.violations()).isEmpty();
      assertThat(agents.duplicateLaunches()).isEmpty();
      assertThat(agents.finished()).isEqualTo(TASKS);
    } finally {
      replicas.values().forEach(OperatorProcess::close);
    }
  }

  private static OperatorProcess start(ControlPlane controlPlane, String identity, int incarnation)
      throws IOException {
    return OperatorProcess.start(
        controlPlane.kubeconfig(), identity, logs(controlPlane, incarnation));
  }

  private static Path logs(ControlPlane controlPlane, int incarnation) {
    return controlPlane.workDir().resolve("logs").resolve("failover-" + incarnation);
  }

  private static ResourceEventHandler<Offer> firstOfferOf(Map<Long, Instant> firstByEpoch) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Offer offer) {
        firstByEpoch.putIfAbsent(offer.getSpec().epoch(), Instant.now());
      }

      @Override
      public void onUpdate(Offer before, Offer after) {}

      @Override
      public void onDelete(Offer offer, boolean finalStateUnknown) {}
    };
  }
}
