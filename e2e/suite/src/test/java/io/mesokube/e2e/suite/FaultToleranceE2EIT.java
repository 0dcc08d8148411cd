package io.mesokube.e2e.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mesokube.api.v1alpha1.agent.AgentPhase;
import io.mesokube.api.v1alpha1.task.Reasons;
import io.mesokube.api.v1alpha1.task.TaskState;
import io.mesokube.e2e.controlplane.Component;
import io.mesokube.e2e.controlplane.ControlPlane;
import io.mesokube.e2e.controlplane.ControlPlaneExtension;
import io.mesokube.e2e.controlplane.TestCluster;
import io.mesokube.e2e.suite.TaskWatch.Seen;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Mesokube survives what Mesos was built to survive: three operator replicas and three agents run a
 * steady workload (two runners in roles weighted 3 and 1) while one fault per test is injected a
 * few seconds in. After each: both runners finished, every task reached exactly one terminal state,
 * no task was launched twice by the agents' own records, and the weighted shares came back. A table
 * of the figures is printed at the end; timings are reported, never asserted.
 */
@ExtendWith(ControlPlaneExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultToleranceE2EIT {
  private static final Duration RUN_TIMEOUT = Duration.ofSeconds(150);

  /** Time after recovery before shares are sampled: a few task lifetimes of one second. */
  private static final Duration SETTLE = Duration.ofSeconds(3);

  /** Fewest samples (at 250 ms) that make a share ratio: five seconds of contention. */
  private static final int MIN_SHARE_SAMPLES = 20;

  /**
   * Weighted DRF gives 9 of the three agents' 12 task slots to the heavy role and 3 to the light
   * one (ratio 3). Allocation moves a whole slot at a time and offers go out in cycles, so the time
   * average drifts; one slot either way is 8:4 (ratio 2) or 10:2 (ratio 5). On the two agents left
   * after one is lost (6:2 of 8) the same bounds are tighter than one slot. The two runners differ
   * only in their role's weight, so unweighted DRF would give 6:6 (ratio 1), far outside. Passing
   * runs measured 2.8 to 3.5.
   */
  private static final double MIN_RATIO = 2;

  private static final double MAX_RATIO = 5;

  /** Heavy runner's tasks (the light one runs a third): some 50 s of work for three agents. */
  private static final int TASKS = 180;

  /**
   * The same for the agent that never returns: its loss is noticed only after the 30 s unreachable
   * timeout, and both runners must still have work after that for the shares to be measured.
   */
  private static final int TASKS_AGENT_LOST = 300;

  private static final FaultReport REPORT = new FaultReport();
  private static FaultCluster faults;

  @BeforeAll
  static void start(ControlPlane controlPlane) throws Exception {
    faults = FaultCluster.start(controlPlane);
    controlPlane.applyOk(null, Workload.rolePolicies());
  }

  @AfterEach
  void restore() {
    faults.restore();
  }

  @AfterAll
  static void stop(ControlPlane controlPlane) throws Exception {
    System.out.println("Fault tolerance:\n" + REPORT.table());
    try {
      if (faults != null) {
        faults.close();
      }
    } finally {
      for (Workload.Runner runner : Workload.RUNNERS) {
        controlPlane.kubectl("delete", "rolepolicy", runner.role(), "--ignore-not-found");
      }
    }
  }

  @Test
  @Order(1)
  void theLeadingOperatorIsKilled(TestCluster cluster) throws Exception {
    try (Workload work = Workload.start(cluster, TASKS)) {
      Progress.awaitUnderWay(work, null);
      String leader = faults.awaitLiveLeader(Duration.ofSeconds(10));

      Instant fault = Instant.now();
      faults.killOperator(leader);

      String next = faults.awaitLiveLeader(Duration.ofSeconds(30));
      Instant acquired = faults.leaderLease().getSpec().getAcquireTime().toInstant();
      Instant recovered = Progress.awaitFirstRunning(work, fault, task -> true);
      System.out.printf(
          "FAULTS: leader %s killed; %s leads %d ms later%n",
          leader, next, Duration.between(fault, acquired).toMillis());
      Result result =
          finish(
              cluster,
              work,
              "leading operator killed",
              fault,
              recovered,
              "kill -> a task launched after it RUNNING");

      assertThat(next).isNotEqualTo(leader);
      assertThat(result.lost()).as("tasks lost to a failover").isEmpty();
    }
  }

  @Test
  @Order(2)
  void anAgentIsKilledAndRestarted(TestCluster cluster) throws Exception {
    String victim = faults.agentNames().getFirst();
    try (Workload work = Workload.start(cluster, TASKS)) {
      Progress.awaitUnderWay(work, victim);
      Set<String> running = Progress.runningOn(work, victim);

      Instant fault = Instant.now();
      faults.agent(victim).kill();
      faults.agent(victim).start();
      System.out.printf(
          "FAULTS: agent %s killed with %d tasks and ready again %d ms later%n",
          victim, running.size(), Duration.between(fault, Instant.now()).toMillis());

      Instant recovered =
          Progress.awaitFirstRunning(work, fault, task -> victim.equals(task.agent()));
      Result result =
          finish(
              cluster,
              work,
              "agent killed and restarted",
              fault,
              recovered,
              "kill -> a new task RUNNING on that agent");

      assertThat(result.lost()).as("tasks lost to an agent restart").isEmpty();
      assertThat(result.tasks())
          .filteredOn(t -> running.contains(t.uid()))
          .as("the tasks RUNNING on the agent when it was killed")
          .hasSize(running.size())
          .allSatisfy(t -> assertThat(t.state()).isEqualTo(TaskState.TASK_FINISHED));
    }
  }

  @Test
  @Order(3)
  void anAgentIsKilledAndNeverReturns(TestCluster cluster) throws Exception {
    String victim = faults.agentNames().get(1);
    try (Workload work = Workload.start(cluster, TASKS_AGENT_LOST)) {
      Progress.awaitUnderWay(work, victim);
      Set<String> running = Progress.nonTerminalOn(work, victim);

      Instant fault = Instant.now();
      faults.agent(victim).kill();

      Instant recovered = Progress.awaitTasksLost(work, victim);
      Result result =
          finish(
              cluster,
              work,
              "agent killed for good",
              fault,
              recovered,
              "kill -> its tasks TASK_LOST");

      assertThat(result.lost())
          .as("tasks lost with the agent")
          .isNotEmpty()
          .allSatisfy(
              t -> {
                assertThat(t.agent()).isEqualTo(victim);
                assertThat(t.last().getStatus().reason()).isEqualTo(Reasons.AGENT_REMOVED);
                assertThat(Progress.relaunchOf(result.tasks(), t))
                    .as("relaunch of %s", t.name())
                    .hasValueSatisfying(
                        r -> {
                          assertThat(r.agent()).isNotEqualTo(victim);
                          assertThat(r.state()).isEqualTo(TaskState.TASK_FINISHED);
                        });
              });
      assertThat(result.tasks())
          .filteredOn(t -> running.contains(t.uid()))
          .as("what ran on the agent when it died: lost, or finished before it")
          .allSatisfy(
              t ->
                  assertThat(
                          t.state() == TaskState.TASK_LOST
                              || t.state() == TaskState.TASK_FINISHED
                                  && Instant.parse(t.last().getStatus().finishTime())
                                      .isBefore(fault))
                      .as("%s ended %s", t.name(), t.state())
                      .isTrue());
      assertThat(faults.phase(victim)).isIn(AgentPhase.Unreachable, AgentPhase.Gone);
    }
  }

  @Test
  @Order(4)
  void theApiServerIsStoppedForThirtySeconds(TestCluster cluster) throws Exception {
    outage(cluster, Component.KUBE_APISERVER, Duration.ofSeconds(30));
  }

  @Test
  @Order(5)
  void etcdIsStoppedAndStarted(TestCluster cluster) throws Exception {
    outage(cluster, Component.ETCD, Duration.ofSeconds(12));
  }

  private static void outage(TestCluster cluster, Component component, Duration length)
      throws Exception {
    ControlPlane controlPlane = cluster.controlPlane();
    try (Workload work = Workload.start(cluster, TASKS)) {
      Progress.awaitUnderWay(work, null);

      controlPlane.stop(component);
      await()
          .during(length)
          .atMost(length.plusSeconds(10))
          .until(() -> !controlPlane.isRunning(component));
      controlPlane.start(component);
      controlPlane.awaitReady();
      Instant back = Instant.now();

      Instant recovered = Progress.awaitFirstRunning(work, back, task -> true);
      Result result =
          finish(
              cluster,
              work,
              component + " down " + length.toSeconds() + " s",
              back,
              recovered,
              "back -> a task launched after it RUNNING");

      assertThat(result.lost()).as("tasks lost to the outage").isEmpty();
    }
  }

  // ---------------------------------------------------------------- the run and its checks

  /** What a run left behind, for the fault's own checks. */
  private record Result(List<Seen> tasks, List<Seen> lost) {}

  /**
   * Waits for both runners, reads the agents' launch logs, adds the report row, then checks what
   * every fault must leave intact.
   */
  private static Result finish(
      TestCluster cluster,
      Workload work,
      String fault,
      Instant injected,
      Instant recovered,
      String measured)
      throws Exception {
    Map<Workload.Runner, Integer> exits = work.awaitExits(RUN_TIMEOUT);
    Duration runTime = Duration.between(work.started(), Instant.now());
    try {
      // The informer may trail the runners by an event or two.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> work.tasks().snapshot().stream().allMatch(Seen::terminal));
    } catch (ConditionTimeoutException e) {
      // Checked below, with the tasks named.
    }
    List<Seen> tasks = work.tasks().snapshot();
    Launches launches = Launches.read(faults.stateDirs(), cluster.namespace());
    List<Seen> lost = tasks.stream().filter(t -> t.state() == TaskState.TASK_LOST).toList();
    ShareWindow shares =
        recovered == null ? null : ShareWindow.of(work.samples(), recovered.plus(SETTLE));
    REPORT.add(
        new FaultReport.Row(
            fault,
            recovered == null ? null : Duration.between(injected, recovered),
            measured,
            launches.byUid().size(),
            lost.size(),
            launches.duplicated().size(),
            shares == null ? null : shares.ratio(),
            shares == null ? 0 : shares.size(),
            runTime));
    System.out.printf("FAULTS: %s: shares %s%n", fault, shares);

    assertThat(recovered).as("recovery: %s", measured).isNotNull();
    assertThat(exits)
        .as("runner exit codes")
        .allSatisfy((runner, code) -> assertThat(code).isZero());
    assertThat(tasks)
        .as("tasks")
        .allSatisfy(
            t -> {
              assertThat(t.terminalStates())
                  .as("%s %s: terminal states seen (all seen: %s)", t.name(), t.uid(), t.states())
                  .hasSize(1)
                  .containsExactly(t.state());
              assertThat(t.history().stream().filter(TaskState::isTerminal).toList())
                  .as("%s: terminal states in its history %s", t.name(), t.history())
                  .containsExactly(t.state());
              assertThat(t.history()).last().isEqualTo(t.state());
            });
    assertThat(launches.duplicated()).as("uids launched more than once").isEmpty();
    assertThat(launches.unknown(tasks.stream().map(Seen::uid).toList()))
        .as("launches of tasks never seen")
        .isEmpty();
    assertThat(tasks)
        .filteredOn(t -> t.history().contains(TaskState.TASK_RUNNING))
        .as("tasks that ran, each in one agent's launch log")
        .allSatisfy(t -> assertThat(launches.count(t.uid())).as(t.name()).isEqualTo(1));
    assertThat(shares.size())
        .as("samples with both runners waiting after recovery: %s", shares)
        .isGreaterThanOrEqualTo(MIN_SHARE_SAMPLES);
    assertThat(shares.ratio()).as("weighted shares: %s", shares).isBetween(MIN_RATIO, MAX_RATIO);
    return new Result(tasks, lost);
  }
}
