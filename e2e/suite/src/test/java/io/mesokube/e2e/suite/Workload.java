package io.mesokube.e2e.suite;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.mesokube.api.v1alpha1.role.RolePolicy;
import io.mesokube.api.v1alpha1.task.TaskState;
import io.mesokube.e2e.controlplane.TestCluster;
import io.mesokube.examples.runner.RunnerMain;
import io.mesokube.examples.runner.RunnerOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The steady workload every fault test runs under: two example task runners (through offers, not
 * PARTITION_AWARE) in two roles weighted 3 and 1, watched by an informer, with both roles' shares
 * sampled every {@link #SAMPLE_EVERY}.
 */
final class Workload implements AutoCloseable {
  /** Cpus per task: four per agent of one cpu. Memory (32 of 1024 MiB) is never dominant. */
  static final double CPUS = 0.25;

  static final Duration SAMPLE_EVERY = Duration.ofMillis(250);

  /** One runner: its framework name, its role and that role's weight. */
  record Runner(String name, String role, double weight) {}

  static final Runner HEAVY = new Runner("heavy", "faults-heavy", 3);
  static final Runner LIGHT = new Runner("light", "faults-light", 1);
  static final List<Runner> RUNNERS = List.of(HEAVY, LIGHT);

  /**
   * Both roles' allocation at one instant, from the Tasks (non-terminal and bound, as the operator
   * counts them), with what each runner has not launched yet and what the RolePolicies report.
   */
  record Sample(
      Instant at,
      double heavyCpus,
      double lightCpus,
      int heavyPending,
      int lightPending,
      Double heavyReported,
      Double lightReported) {}

  private final TaskWatch tasks;
  private final SharedIndexInformer<RolePolicy> policies;
  private final List<KubernetesClient> clients = new ArrayList<>();
  private final ExecutorService threads =
      Executors.newThreadPerTaskExecutor(Thread.ofPlatform().name("runner-", 0).daemon().factory());
  private final ScheduledExecutorService sampler =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("share-sampler").daemon().factory());
  private final Map<Runner, CompletableFuture<Integer>> exits = new LinkedHashMap<>();
  private final List<Sample> samples = new CopyOnWriteArrayList<>();
  private final Instant started = Instant.now();
  private final Map<Runner, Integer> counts;

  private Workload(TestCluster cluster, int heavyTasks) {
    // Task counts in the ratio of the weights: under weighted fair sharing both runners have
    // tasks waiting until close to the end, so the shares can be measured after a slow recovery.
    this.counts = Map.of(HEAVY, heavyTasks, LIGHT, heavyTasks / 3);
    this.tasks = new TaskWatch(cluster.client());
    this.policies = cluster.client().resources(RolePolicy.class).inform();
    for (Runner runner : RUNNERS) {
      KubernetesClient client = cluster.controlPlane().newClient();
      clients.add(client);
      RunnerOptions options =
          RunnerOptions.parse(
              "--namespace", cluster.namespace(),
              "--name", runner.name(),
              "--role", runner.role(),
              "--tasks", Integer.toString(counts.get(runner)),
              "--cpus", Double.toString(CPUS),
              "--mem", "32",
              "--command", "sleep 1",
              "--max-retries", "5");
      exits.put(
          runner, CompletableFuture.supplyAsync(() -> RunnerMain.run(options, client), threads));
    }
    sampler.scheduleAtFixedRate(this::sample, 0, SAMPLE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Starts both runners in the test's namespace: {@code heavyTasks} and a third of that. */
  static Workload start(TestCluster cluster, int heavyTasks) {
    return new Workload(cluster, heavyTasks);
  }

  /** The RolePolicies of both roles, cluster-scoped. */
  static String rolePolicies() {
    StringBuilder yaml = new StringBuilder();
    for (Runner runner : RUNNERS) {
      yaml.append(
          """
          ---
          apiVersion: mesokube.io/v1alpha1
          kind: RolePolicy
          metadata: {name: %s}
          spec: {role: %s, weight: %s}
          """
              .formatted(runner.role(), runner.role(), runner.weight()));
    }
    return yaml.toString();
  }

  TaskWatch tasks() {
    return tasks;
  }

  List<Sample> samples() {
    return List.copyOf(samples);
  }

  /** When the runners were started. */
  Instant started() {
    return started;
  }

  /**
   * Each runner's exit code, waiting up to {@code timeout} for both; null for a runner still going
   * then.
   */
  Map<Runner, Integer> awaitExits(Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    Map<Runner, Integer> codes = new LinkedHashMap<>();
    for (var exit : exits.entrySet()) {
      Duration left = Duration.between(Instant.now(), deadline);
      try {
        codes.put(
            exit.getKey(),
            exit.getValue().get(Math.max(1, left.toMillis()), TimeUnit.MILLISECONDS));
      } catch (TimeoutException e) {
        codes.put(exit.getKey(), null);
      }
    }
    return codes;
  }

  private void sample() {
    double[] cpus = new double[2];
    int[] finished = new int[2];
    int[] active = new int[2];
    for (TaskWatch.Seen task : tasks.snapshot()) {
      int i = task.framework().equals(HEAVY.name()) ? 0 : 1;
      if (task.state() == TaskState.TASK_FINISHED) {
        finished[i]++;
      } else if (!task.terminal()) {
        active[i]++;
        if (task.agent() != null) {
          cpus[i] += CPUS;
        }
      }
    }
    samples.add(
        new Sample(
            Instant.now(),
            cpus[0],
            cpus[1],
            counts.get(HEAVY) - finished[0] - active[0],
            counts.get(LIGHT) - finished[1] - active[1],
            reportedShare(HEAVY),
            reportedShare(LIGHT)));
  }

  private Double reportedShare(Runner runner) {
    RolePolicy policy = policies.getStore().getByKey(runner.role());
    return policy == null || policy.getStatus() == null ? null : policy.getStatus().dominantShare();
  }

  /** Stops sampling and watching; closes the runners' clients, which ends a runner still going. */
  @Override
  public void close() {
    sampler.shutdownNow();
    policies.close();
    tasks.close();
    clients.forEach(KubernetesClient::close);
    threads.shutdownNow();
  }
}
