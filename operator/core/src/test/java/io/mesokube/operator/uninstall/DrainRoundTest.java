package io.mesokube.operator.uninstall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.mesokube.api.v1alpha1.agent.Agent;
import io.mesokube.api.v1alpha1.agent.AgentConditions;
import io.mesokube.api.v1alpha1.agent.AgentPhase;
import io.mesokube.api.v1alpha1.agent.AgentSpec;
import io.mesokube.api.v1alpha1.agent.AgentStatus;
import io.mesokube.api.v1alpha1.agent.Maintenance;
import io.mesokube.api.v1alpha1.common.Condition;
import io.mesokube.api.v1alpha1.common.Resources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DrainRoundTest {
  private final Map<String, Long> downAt = new HashMap<>();

  @Test
  void anActiveAgentIsAwaitedUntilItsDrainedConditionIsTrueForTheDownGeneration() {
    downAt.put("uid-a", 3L);

    assertThat(state(agent("a", AgentPhase.Active, 3L, null)))
        .isEqualTo(
            new DrainRound.Entry(
                "a", DrainRound.State.WAITING, "the agent has not acted on Down yet"));
    assertThat(
            state(
                agent(
                    "a",
                    AgentPhase.Active,
                    3L,
                    drained(false, 3L, "killing its tasks: 3 tasks left"))))
        .isEqualTo(
            new DrainRound.Entry(
                "a", DrainRound.State.WAITING, "Draining: killing its tasks: 3 tasks left"));
    assertThat(state(agent("a", AgentPhase.Active, 3L, drained(true, 2L, "no task left"))))
        .as("drained for an older Down, taken off and set again since")
        .isEqualTo(
            new DrainRound.Entry(
                "a", DrainRound.State.WAITING, "the agent has not acted on generation 3 yet"));
    assertThat(state(agent("a", AgentPhase.Active, 4L, drained(true, 4L, "no task left"))))
        .isEqualTo(new DrainRound.Entry("a", DrainRound.State.DRAINED, "Drained: no task left"));
  }

  @Test
  void anAgentThatIsNotActiveIsSkippedUnlessItDrainedAlready() {
    downAt.put("uid-u", 2L);
    downAt.put("uid-n", 1L);
    downAt.put("uid-d", 2L);

    DrainRound round =
        DrainRound.of(
            List.of(
                agent("u", AgentPhase.Unreachable, 2L, drained(false, 2L, "1 task left")),
                agent("n", null, 1L, null),
                agent("d", AgentPhase.Unreachable, 2L, drained(true, 2L, "no task left"))),
            downAt);

    assertThat(round.in(DrainRound.State.SKIPPED))
        .extracting(DrainRound.Entry::name, DrainRound.Entry::detail)
        .containsExactly(
            tuple(
                "n",
                "has not registered: it cannot drain; tasks still running on its node stay there"),
            tuple(
                "u",
                "is Unreachable: it cannot drain; tasks still running on its node stay there"));
    assertThat(round.in(DrainRound.State.DRAINED))
        .extracting(DrainRound.Entry::name)
        .containsExactly("d");
    assertThat(round.done()).isTrue();
    assertThat(round.progress()).isEqualTo("1/1 agents drained, 2 skipped");
  }

  @Test
  void anAgentNotYetSetDownIsAwaited() {
    Agent agent = agent("a", AgentPhase.Active, 1L, null);
    agent.setSpec(spec(null));

    assertThat(DrainRound.needsDown(agent)).isTrue();
    assertThat(DrainRound.needsDown(agent("b", AgentPhase.Active, 1L, null))).isFalse();
    assertThat(state(agent).state()).isEqualTo(DrainRound.State.WAITING);
    agent.setSpec(spec(Maintenance.Mode.Draining));
    assertThat(DrainRound.needsDown(agent)).as("Draining is not Down").isTrue();
  }

  @Test
  void theProgressLineNamesTheAgentsAwaitedWithTheirConditionAndCountsTheRest() {
    List<Agent> agents = new ArrayList<>();
    agents.add(agent("done", AgentPhase.Active, 1L, drained(true, 1L, "no task left")));
    agents.add(agent("gone", AgentPhase.Gone, 1L, null));
    for (int i = 7; i >= 1; i--) {
      agents.add(agent("node-" + i, AgentPhase.Active, 1L, drained(false, 1L, i + " tasks left")));
    }
    agents.forEach(a -> downAt.put(a.getMetadata().getUid(), 1L));

    DrainRound round = DrainRound.of(agents, downAt);

    assertThat(round.done()).isFalse();
    assertThat(round.progress())
        .isEqualTo(
            "1/8 agents drained, 1 skipped; waiting for node-1 (Draining: 1 tasks left),"
                + " node-2 (Draining: 2 tasks left), node-3 (Draining: 3 tasks left),"
                + " node-4 (Draining: 4 tasks left), node-5 (Draining: 5 tasks left) and 2 more");
  }

  @Test
  void aTimeoutNamesEachAgentNotDrainedAndWhatToDo() {
    downAt.put("uid-a", 2L);
    downAt.put("uid-b", 2L);
    DrainRound round =
        DrainRound.of(
            List.of(
                agent(
                    "b",
                    AgentPhase.Active,
                    2L,
                    drained(false, 2L, "killing its tasks: 1 task left")),
                agent("a", AgentPhase.Active, 2L, drained(true, 2L, "no task left"))),
            downAt);

    String message = round.timedOut(Duration.ofMinutes(4));

    assertThat(message)
        .startsWith(
            "Timed out after 4m: 1 agent has not drained:\n"
                + "  b: Draining: killing its tasks: 1 task left\n")
        .doesNotContain("  a:")
        .contains("helm uninstall --no-hooks")
        .contains("fix\nthe agent");
  }

  @Test
  void theSummaryCountsDrainedSkippedAndDeleted() {
    downAt.put("uid-a", 2L);
    downAt.put("uid-u", 2L);
    DrainRound round =
        DrainRound.of(
            List.of(
                agent("a", AgentPhase.Active, 2L, drained(true, 2L, "no task left")),
                agent("u", AgentPhase.Unreachable, 2L, null)),
            downAt);

    assertThat(round.summary(2, Duration.ofSeconds(75)))
        .isEqualTo("Drained in 1m15s: 1 agents drained, 1 skipped (u); 2 Agent objects deleted.");
    assertThat(DrainRound.human(Duration.ofMinutes(4))).isEqualTo("4m");
    assertThat(DrainRound.human(Duration.ofMillis(900))).isEqualTo("0s");
  }

  private DrainRound.Entry state(Agent agent) {
    return DrainRound.of(List.of(agent), downAt).agents().getFirst();
  }

  private static Agent agent(String name, AgentPhase phase, long generation, Condition drained) {
    Agent agent = new Agent();
    agent.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withUid("uid-" + name)
            .withGeneration(generation)
            .build());
    agent.setSpec(spec(Maintenance.Mode.Down));
    agent.setStatus(
        new AgentStatus(
            null,
            phase,
            "id",
            null,
            null,
            null,
            null,
            null,
            null,
            drained == null ? null : List.of(drained)));
    return agent;
  }

  private static AgentSpec spec(Maintenance.Mode mode) {
    return new AgentSpec(
        null,
        null,
        Resources.of(1, 1024),
        null,
        null,
        mode == null ? null : new Maintenance(mode, "helm uninstall"));
  }

  private static Condition drained(boolean status, Long generation, String message) {
    return new Condition(
        AgentConditions.DRAINED,
        status ? Condition.Status.True : Condition.Status.False,
        generation,
        "2026-01-01T00:00:00Z",
        status ? "Drained" : "Draining",
        message);
  }
}
