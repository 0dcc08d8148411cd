package io.mesokube.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.mesokube.api.v1alpha1.agent.Agent;
import io.mesokube.api.v1alpha1.agent.AgentPhase;
import io.mesokube.api.v1alpha1.agent.AgentSpec;
import io.mesokube.api.v1alpha1.agent.AgentStatus;
import io.mesokube.api.v1alpha1.common.Condition;
import io.mesokube.api.v1alpha1.common.Resources;
import io.mesokube.api.v1alpha1.task.Reasons;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.api.v1alpha1.task.TaskSpec;
import io.mesokube.api.v1alpha1.task.TaskState;
import io.mesokube.api.v1alpha1.task.TaskStatus;
import io.mesokube.api.v1alpha1.task.TaskStatusEntry;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class AgentLifeTest {
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  private static final AgentLife.Timeouts TIMEOUTS =
      new AgentLife.Timeouts(Duration.ofSeconds(30), Duration.ofMinutes(10));

  /** The operator saw every proof at the time it carries, and other agents heartbeat. */
  private static final AgentLife.Sight AGENT_CLOCK = new AgentLife.Sight(t -> t, false, t -> true);

  private static final Predicate<Task> PA = t -> t.getSpec().framework().equals("pa");
  private static final Condition REGISTERED =
      new Condition(
          "Registered", Condition.Status.True, null, "2026-01-01T10:00:00Z", "Registered", "ok");

  @Test
  void anAgentThatRenewsItsLeaseStaysActiveUntilItsDeadline() {
    AgentLife life = life(active("id-1"), lease("id-1", NOW.minusSeconds(10), 15), List.of());
    assertThat(life.status().phase()).isEqualTo(AgentPhase.Active);
    assertThat(reachable(life.status()).status()).isEqualTo(Condition.Status.True);
    assertThat(life.status().conditions()).first().isEqualTo(REGISTERED);
    assertThat(life.taskUpdates()).isEmpty();
    assertThat(life.notice()).isNull();
    assertThat(life.nextCheck()).isEqualTo(Duration.ofMillis(20_100));
  }

  @Test
  void aLeaseLongerThanTheTimeoutHoldsForItsDuration() {
    AgentLife life = life(active("id-1"), lease("id-1", NOW.minusSeconds(40), 60), List.of());
    assertThat(life.status().phase()).isEqualTo(AgentPhase.Active);
    assertThat(life.nextCheck()).isEqualTo(Duration.ofMillis(20_100));
  }

  @Test
  void silencePastTheTimeoutMakesTasksUnreachableOrLostByCapability() {
    Task pa = task("pa", TaskState.TASK_RUNNING, "2026-01-01T11:59:00Z");
    Task plain = task("plain", TaskState.TASK_RUNNING, "2026-01-01T11:59:00Z");
    Task staging = task("plain", null, null);
    Task done = task("pa", TaskState.TASK_FINISHED, "2026-01-01T11:59:00Z");
    AgentLife life =
        life(
            active("id-1"),
            lease("id-1", NOW.minusSeconds(31), 15),
            List.of(pa, plain, staging, done));

    assertThat(life.status().phase()).isEqualTo(AgentPhase.Unreachable);
    assertThat(life.status().unreachableTime()).isEqualTo(NOW.toString());
    assertThat(reachable(life.status()).reason()).isEqualTo("HeartbeatTimeout");
    assertThat(life.taskUpdates())
        .extracting(u -> u.task(), u -> u.status().state(), u -> u.status().reason())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                pa, TaskState.TASK_UNREACHABLE, Reasons.AGENT_REMOVED),
            org.assertj.core.groups.Tuple.tuple(plain, TaskState.TASK_LOST, Reasons.AGENT_REMOVED),
            org.assertj.core.groups.Tuple.tuple(
                staging, TaskState.TASK_LOST, Reasons.AGENT_REMOVED));
    TaskStatus lost = life.taskUpdates().get(1).status();
    assertThat(lost.finishTime()).isEqualTo(NOW.toString());
    assertThat(lost.history())
        .hasSize(2)
        .last()
        .extracting(TaskStatusEntry::state)
        .isEqualTo(TaskState.TASK_LOST);
    assertThat(life.taskUpdates().get(0).status().finishTime()).isNull();
    assertThat(life.status().tasks()).as("only the unreachable task still counts").isEqualTo(1);
    assertThat(life.status().allocated().cpus()).isEqualTo(1.0);
    assertThat(life.notice().warning()).isTrue();
    assertThat(life.notice().reason()).isEqualTo("AgentUnreachable");
    assertThat(life.notice().message()).contains("1 tasks unreachable, 2 lost");
    assertThat(life.nextCheck()).isEqualTo(Duration.ofMillis(600_100));
  }

  @Test
  void aTaskTheAgentUpdatedAfterItsDeadlineIsLeftToTheAgent() {
    // Deadline 11:59:59 (renewed 11:59:29 + 30 s); the agent wrote TASK_RUNNING at 11:59:59.5.
    Task back = task("pa", TaskState.TASK_RUNNING, "2026-01-01T11:59:59.500Z");
    AgentLife life = life(active("id-1"), lease("id-1", NOW.minusSeconds(31), 15), List.of(back));
    assertThat(life.status().phase()).isEqualTo(AgentPhase.Unreachable);
    assertThat(life.taskUpdates()).isEmpty();
  }

  @Test
  void anUnreachableAgentThatRenewsInTimeIsActiveAndItsTasksWaitForIt() {
    Task unreachable = task("pa", TaskState.TASK_UNREACHABLE, "2026-01-01T11:59:55Z");
    AgentStatus before = unreachable("id-1", NOW.minusSeconds(5));
    AgentLife life = life(before, lease("id-1", NOW.minusSeconds(1), 15), List.of(unreachable));
    assertThat(life.status().phase()).isEqualTo(AgentPhase.Active);
    assertThat(life.status().unreachableTime()).isNull();
    assertThat(reachable(life.status()).status()).isEqualTo(Condition.Status.True);
    assertThat(life.taskUpdates()).as("the agent reports its tasks itself").isEmpty();
    assertThat(life.status().tasks()).isEqualTo(1);
    assertThat(life.notice().warning()).isFalse();
    assertThat(life.notice().reason()).isEqualTo("AgentReachable");
  }

  @Test
  void anAgentUnreachablePastTheGoneTimeoutIsGoneWithNothingAllocated() {
    Task unreachable = task("pa", TaskState.TASK_UNREACHABLE, "2026-01-01T11:49:00Z");
    Task lost = task("plain", TaskState.TASK_LOST, "2026-01-01T11:49:00Z");
    AgentStatus before = unreachable("id-1", NOW.minus(Duration.ofMinutes(10)));
    AgentLife life =
        life(before, lease("id-1", NOW.minusSeconds(700), 15), List.of(unreachable, lost));
    assertThat(life.status().phase()).isEqualTo(AgentPhase.Gone);
    assertThat(life.status().unreachableTime()).isEqualTo(before.unreachableTime());
    assertThat(reachable(life.status()).reason()).isEqualTo("GoneTimeout");
    assertThat(life.taskUpdates())
        .singleElement()
        .satisfies(
            u -> {
              assertThat(u.task()).isSameAs(unreachable);
              assertThat(u.status().state()).isEqualTo(TaskState.TASK_GONE);
              assertThat(u.status().reason()).isEqualTo(Reasons.AGENT_REMOVED_BY_OPERATOR);
            });
    assertThat(life.status().tasks()).isZero();
    assertThat(life.status().allocated().cpus()).isZero();
    assertThat(life.notice().reason()).isEqualTo("AgentGone");
    assertThat(life.nextCheck()).as("nothing left to time").isNull();
  }

  @Test
  void anUnreachableAgentStillSilentRetriesWhatWasNotWrittenAndWaitsForTheGoneTimeout() {
    Task missed = task("pa", TaskState.TASK_RUNNING, "2026-01-01T11:58:00Z");
    AgentLife life =
        life(
            unreachable("id-1", NOW.minusSeconds(60)),
            lease("id-1", NOW.minusSeconds(100), 15),
            List.of(missed));
    assertThat(life.status().phase()).isEqualTo(AgentPhase.Unreachable);
    assertThat(life.taskUpdates())
        .extracting(u -> u.status().state())
        .containsExactly(TaskState.TASK_UNREACHABLE);
    assertThat(life.notice()).isNull();
    assertThat(life.nextCheck()).isEqualTo(Duration.ofMillis(540_100));
  }

  @Test
  void aGoneAgentRenewingUnderItsOldIdIsRefusedOnce() {
    AgentStatus gone = life(unreachable("id-1", NOW.minusSeconds(601)), null, List.of()).status();
    assertThat(gone.phase()).isEqualTo(AgentPhase.Gone);

    AgentLife refused = life(gone, lease("id-1", NOW.minusSeconds(1), 15), List.of());
    assertThat(refused.status().phase()).isEqualTo(AgentPhase.Gone);
    assertThat(reachable(refused.status()).reason()).isEqualTo("AgentRefused");
    assertThat(refused.notice().warning()).isTrue();
    assertThat(refused.notice().reason()).isEqualTo("AgentRefused");
    assertThat(refused.notice().message())
        .contains("marked gone; restart it with a fresh state to re-register");

    AgentLife again = life(refused.status(), lease("id-1", NOW, 15), List.of());
    assertThat(again.status()).isEqualTo(refused.status());
    assertThat(again.notice()).isNull();
  }

  @Test
  void aGoneAgentRegisteringAfreshIsNotRefusedAndItsRegistrationIsAccepted() {
    AgentStatus gone = life(unreachable("id-1", NOW.minusSeconds(601)), null, List.of()).status();
    AgentLife registering = life(gone, lease("id-2", NOW, 15), List.of());
    assertThat(registering.notice()).as("a new id is not the refused one").isNull();
    assertThat(registering.status()).isEqualTo(gone);

    // The agent writes its registration by merge patch: the conditions list is replaced.
    AgentStatus registered =
        new AgentStatus(
            gone.observedGeneration(),
            AgentPhase.Active,
            "id-2",
            null,
            null,
            gone.allocated(),
            gone.tasks(),
            NOW.minusSeconds(1).toString(),
            gone.unreachableTime(),
            List.of(REGISTERED));
    AgentLife active = life(registered, lease("id-1", NOW.minusSeconds(700), 15), List.of());
    assertThat(active.status().phase()).isEqualTo(AgentPhase.Active);
    assertThat(active.status().agentId()).isEqualTo("id-2");
    assertThat(active.status().unreachableTime()).isNull();
    assertThat(active.status().conditions())
        .extracting(Condition::type)
        .containsExactly("Registered", AgentLife.REACHABLE);
    assertThat(active.nextCheck()).as("from its registration").isEqualTo(Duration.ofMillis(29_100));
  }

  @Test
  void aMissingLeaseGetsAFullTimeoutFromWhenItWasSeenMissing() {
    Task running = task("plain", TaskState.TASK_RUNNING, "2026-01-01T11:59:00Z");
    AgentLife first = life(active("id-1"), null, List.of(running));
    assertThat(first.status().phase()).isEqualTo(AgentPhase.Active);
    assertThat(reachable(first.status()).status()).isEqualTo(Condition.Status.Unknown);
    assertThat(reachable(first.status()).reason()).isEqualTo("LeaseMissing");
    assertThat(first.taskUpdates()).isEmpty();
    assertThat(first.nextCheck()).isEqualTo(Duration.ofMillis(30_100));

    Agent later = agent(first.status());
    AgentLife back =
        AgentLife.of(
            later,
            lease("id-1", NOW.plusSeconds(10), 15),
            List.of(running),
            PA,
            TIMEOUTS,
            AGENT_CLOCK,
            NOW.plusSeconds(10));
    assertThat(back.status().phase()).isEqualTo(AgentPhase.Active);
    assertThat(reachable(back.status()).status()).isEqualTo(Condition.Status.True);

    AgentLife still =
        AgentLife.of(later, null, List.of(running), PA, TIMEOUTS, AGENT_CLOCK, NOW.plusSeconds(20));
    assertThat(still.status()).as("no write while it waits").isEqualTo(first.status());
    AgentLife silent =
        AgentLife.of(later, null, List.of(running), PA, TIMEOUTS, AGENT_CLOCK, NOW.plusSeconds(30));
    assertThat(silent.status().phase()).isEqualTo(AgentPhase.Unreachable);
    assertThat(reachable(silent.status()).message()).contains("Lease missing since " + NOW);
    assertThat(silent.taskUpdates())
        .extracting(u -> u.status().state())
        .containsExactly(TaskState.TASK_LOST);
  }

  @Test
  void silenceCountsFromWhenTheOperatorSawTheRenewalNotFromTheAgentsClock() {
    // After a 40 s API server outage the latest renewal carries a time 40 s old, but the operator
    // saw it only now: the agent gets a full timeout, and its tasks stay as they are.
    Task plain = task("plain", TaskState.TASK_RUNNING, "2026-01-01T11:59:00Z");
    var seenNow = new AgentLife.Sight(t -> NOW, false, t -> true);
    AgentLife life =
        AgentLife.of(
            agent(active("id-1")),
            lease("id-1", NOW.minusSeconds(40), 15),
            List.of(plain),
            PA,
            TIMEOUTS,
            seenNow,
            NOW);
    assertThat(life.status().phase()).isEqualTo(AgentPhase.Active);
    assertThat(life.taskUpdates()).isEmpty();
    assertThat(life.nextCheck()).isEqualTo(Duration.ofMillis(30_100));

    AgentLife later =
        AgentLife.of(
            agent(life.status()),
            lease("id-1", NOW.minusSeconds(40), 15),
            List.of(plain),
            PA,
            TIMEOUTS,
            seenNow,
            NOW.plusSeconds(30));
    assertThat(later.status().phase())
        .as("no renewal seen for 30 s")
        .isEqualTo(AgentPhase.Unreachable);
    assertThat(later.taskUpdates())
        .extracting(u -> u.status().state())
        .containsExactly(TaskState.TASK_LOST);
  }

  @Test
  void noAgentIsMarkedUnreachableWhileEveryAgentIsSilent() {
    Task plain = task("plain", TaskState.TASK_RUNNING, "2026-01-01T11:59:00Z");
    var allSilent = new AgentLife.Sight(t -> t, true, t -> true);
    AgentLife held =
        AgentLife.of(
            agent(active("id-1")),
            lease("id-1", NOW.minusSeconds(31), 15),
            List.of(plain),
            PA,
            TIMEOUTS,
            allSilent,
            NOW);
    assertThat(held.status().phase()).isEqualTo(AgentPhase.Active);
    assertThat(held.taskUpdates()).isEmpty();
    Condition reachable = reachable(held.status());
    assertThat(reachable.status()).isEqualTo(Condition.Status.Unknown);
    assertThat(reachable.reason()).isEqualTo(ActiveAgent.ALL_SILENT);
    assertThat(held.notice().warning()).isTrue();
    assertThat(held.nextCheck()).isEqualTo(Duration.ofMillis(5_100));

    AgentLife again =
        AgentLife.of(
            agent(held.status()),
            lease("id-1", NOW.minusSeconds(31), 15),
            List.of(plain),
            PA,
            TIMEOUTS,
            allSilent,
            NOW.plusSeconds(5));
    assertThat(again.status()).as("nothing new to write").isEqualTo(held.status());
    assertThat(again.notice()).as("one event, not one per pass").isNull();

    // Another agent heartbeats again: this one's silence is its own now.
    AgentLife alone =
        AgentLife.of(
            agent(held.status()),
            lease("id-1", NOW.minusSeconds(31), 15),
            List.of(plain),
            PA,
            TIMEOUTS,
            AGENT_CLOCK,
            NOW.plusSeconds(6));
    assertThat(alone.status().phase()).isEqualTo(AgentPhase.Unreachable);
    assertThat(alone.taskUpdates()).hasSize(1);
  }

  @Test
  void aHeldAgentIsReachableAgainOnlyOnARenewalSeenAfterItWasHeld() {
    Task plain = task("plain", TaskState.TASK_RUNNING, "2026-01-01T11:59:00Z");
    AgentStatus held =
        AgentLife.of(
                agent(active("id-1")),
                lease("id-1", NOW.minusSeconds(31), 15),
                List.of(plain),
                PA,
                TIMEOUTS,
                new AgentLife.Sight(t -> t, true, t -> true),
                NOW)
            .status();
    // Renewals came back (from other agents): silence counts afresh, so the old renewal is within
    // its timeout again, but this agent has not renewed since it was held.
    Instant back = NOW.plusSeconds(20);
    AgentLife waiting =
        AgentLife.of(
            agent(held),
            lease("id-1", NOW.minusSeconds(31), 15),
            List.of(plain),
            PA,
            TIMEOUTS,
            new AgentLife.Sight(t -> back, false, t -> false),
            back);
    assertThat(waiting.status().phase()).isEqualTo(AgentPhase.Active);
    assertThat(reachable(waiting.status())).isEqualTo(reachable(held));
    assertThat(waiting.nextCheck()).isEqualTo(Duration.ofMillis(30_100));

    AgentLife renewed =
        AgentLife.of(
            agent(held),
            lease("id-1", back, 15),
            List.of(plain),
            PA,
            TIMEOUTS,
            new AgentLife.Sight(t -> back, false, t -> true),
            back);
    assertThat(reachable(renewed.status()).status()).isEqualTo(Condition.Status.True);
  }

  @Test
  void anUnreachableAgentIsBackOnlyOnARenewalSeenAfterItWasMarked() {
    AgentStatus unreachable =
        life(active("id-1"), lease("id-1", NOW.minusSeconds(40), 15), List.of()).status();
    assertThat(unreachable.phase()).isEqualTo(AgentPhase.Unreachable);
    // A new leader gives every agent a full timeout from when it started: the old renewal looks
    // fresh to it, but was not seen after the agent was marked.
    var freshLeader = new AgentLife.Sight(t -> NOW.plusSeconds(60), false, t -> false);
    AgentLife still =
        AgentLife.of(
            agent(unreachable),
            lease("id-1", NOW.minusSeconds(40), 15),
            List.of(),
            PA,
            TIMEOUTS,
            freshLeader,
            NOW.plusSeconds(61));
    assertThat(still.status().phase()).isEqualTo(AgentPhase.Unreachable);
    assertThat(still.notice()).isNull();

    var renewed = new AgentLife.Sight(t -> NOW.plusSeconds(60), false, t -> true);
    AgentLife back =
        AgentLife.of(
            agent(unreachable),
            lease("id-1", NOW.plusSeconds(59), 15),
            List.of(),
            PA,
            TIMEOUTS,
            renewed,
            NOW.plusSeconds(61));
    assertThat(back.status().phase()).isEqualTo(AgentPhase.Active);
    assertThat(back.notice().reason()).isEqualTo("AgentReachable");
  }

  @Test
  void anAgentThatNeverRegisteredIsNotTimed() {
    Agent agent = agent(null);
    AgentLife life = AgentLife.of(agent, null, List.of(), PA, TIMEOUTS, AGENT_CLOCK, NOW);
    assertThat(life.status().phase()).isNull();
    assertThat(life.status().conditions()).isNull();
    assertThat(life.status().tasks()).isZero();
    assertThat(life.nextCheck()).isNull();
    assertThat(life.notice()).isNull();
  }

  @Test
  void anUnchangedAgentWritesNothingAgain() {
    List<Task> tasks = List.of(task("pa", TaskState.TASK_RUNNING, "2026-01-01T11:59:00Z"));
    AgentStatus first =
        life(active("id-1"), lease("id-1", NOW.minusSeconds(5), 15), tasks).status();
    Agent later = agent(first);
    AgentLife second =
        AgentLife.of(
            later,
            lease("id-1", NOW.plusSeconds(5), 15),
            tasks,
            PA,
            TIMEOUTS,
            AGENT_CLOCK,
            NOW.plusSeconds(6));
    assertThat(second.status()).isEqualTo(first);

    AgentStatus unreachable =
        life(first, lease("id-1", NOW.minusSeconds(40), 15), List.of()).status();
    AgentLife still = life(unreachable, lease("id-1", NOW.minusSeconds(40), 15), List.of());
    assertThat(still.status()).isEqualTo(unreachable);
  }

  @Test
  void countsAloneMayWait() {
    AgentStatus before = life(active("id-1"), lease("id-1", NOW, 15), List.of()).status();
    AgentStatus busier =
        life(before, lease("id-1", NOW, 15), List.of(task("pa", TaskState.TASK_RUNNING, null)))
            .status();
    assertThat(AgentLife.onlyUsageChanged(before, busier)).isTrue();
    AgentStatus silent = life(before, lease("id-1", NOW.minusSeconds(31), 15), List.of()).status();
    assertThat(AgentLife.onlyUsageChanged(before, silent)).isFalse();
    assertThat(AgentLife.onlyUsageChanged(null, busier)).isFalse();
  }

  private static AgentLife life(AgentStatus status, Lease lease, List<Task> tasks) {
    return AgentLife.of(agent(status), lease, tasks, PA, TIMEOUTS, AGENT_CLOCK, NOW);
  }

  private static Agent agent(AgentStatus status) {
    Agent agent = new Agent();
    agent.setMetadata(new ObjectMetaBuilder().withName("a1").withGeneration(1L).build());
    agent.setSpec(new AgentSpec(null, "a1.local", Resources.of(4, 4096), null, null, null));
    agent.setStatus(status);
    return agent;
  }

  private static AgentStatus active(String agentId) {
    return new AgentStatus(
        null,
        AgentPhase.Active,
        agentId,
        "http://a1.local:5051",
        null,
        null,
        null,
        "2026-01-01T10:00:00Z",
        null,
        List.of(REGISTERED));
  }

  private static AgentStatus unreachable(String agentId, Instant since) {
    return new AgentStatus(
        1L,
        AgentPhase.Unreachable,
        agentId,
        "http://a1.local:5051",
        null,
        null,
        null,
        "2026-01-01T10:00:00Z",
        since.toString(),
        List.of(REGISTERED));
  }

  private static Lease lease(String holder, Instant renewed, int seconds) {
    return new LeaseBuilder()
        .withNewMetadata()
        .withName("mesokube-agent-a1")
        .endMetadata()
        .withNewSpec()
        .withHolderIdentity(holder)
        .withRenewTime(renewed.atZone(ZoneOffset.UTC))
        .withLeaseDurationSeconds(seconds)
        .endSpec()
        .build();
  }

  private static Task task(String framework, TaskState state, String changed) {
    Task t = new Task();
    t.setMetadata(new ObjectMetaBuilder().withName("t-" + framework).withNamespace("ns").build());
    t.setSpec(
        new TaskSpec(
            framework, null, Resources.of(1, 64), null, null, null, null, "a1", null, false));
    if (state != null) {
      t.setStatus(
          new TaskStatus(
              null,
              state,
              null,
              null,
              null,
              "ns/t-" + framework,
              null,
              null,
              null,
              null,
              changed == null ? null : List.of(new TaskStatusEntry(state, null, null, changed)),
              null));
    }
    return t;
  }

  private static Condition reachable(AgentStatus status) {
    return status.conditions().stream()
        .filter(c -> c.type().equals(AgentLife.REACHABLE))
        .findFirst()
        .orElseThrow();
  }
}
