package io.mesokube.agent.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.mesokube.api.v1alpha1.agent.Agent;
import io.mesokube.api.v1alpha1.agent.AgentConditions;
import io.mesokube.api.v1alpha1.agent.AgentSpec;
import io.mesokube.api.v1alpha1.agent.Maintenance;
import io.mesokube.api.v1alpha1.common.Condition;
import io.mesokube.api.v1alpha1.common.Resources;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DrainConditionTest {
  private static final Instant T0 = Instant.parse("2026-12-08T10:00:00Z");
  private static final Instant T1 = T0.plusSeconds(5);
  private static final Condition REGISTERED =
      new Condition(
          AgentConditions.REGISTERED,
          Condition.Status.True,
          1L,
          T0.toString(),
          "AgentRegistered",
          "");

  @Test
  void onlyDownIsADrain() {
    assertThat(DrainCondition.downReason(agent(null))).isNull();
    assertThat(DrainCondition.downReason(agent(new Maintenance(Maintenance.Mode.Draining, "x"))))
        .isNull();
    assertThat(DrainCondition.downReason(agent(new Maintenance(Maintenance.Mode.Down, "kernel"))))
        .isEqualTo("kernel");
    assertThat(DrainCondition.downReason(agent(new Maintenance(Maintenance.Mode.Down, " "))))
        .isEqualTo("no reason given");
    assertThat(DrainCondition.desired(agent(null), 3, null, T0)).isNull();
  }

  @Test
  void falseWhileTasksAreHeldThenTrueOnceTheCgroupsWent() {
    Agent down = agent(new Maintenance(Maintenance.Mode.Down, "uninstall"));

    Condition draining = DrainCondition.desired(down, 2, null, T0);
    assertThat(draining.status()).isEqualTo(Condition.Status.False);
    assertThat(draining.reason()).isEqualTo("Draining");
    assertThat(draining.message()).contains("2 tasks left");
    assertThat(draining.observedGeneration()).isEqualTo(7L);
    assertThat(DrainCondition.desired(down, 0, null, T0).status())
        .as("no task, cgroups not removed yet")
        .isEqualTo(Condition.Status.False);

    Condition drained = DrainCondition.desired(down, 0, List.of(), T1);
    assertThat(drained.status()).isEqualTo(Condition.Status.True);
    assertThat(drained.reason()).isEqualTo("Drained");
    Condition stuck = DrainCondition.desired(down, 0, List.of(Path.of("/sys/x")), T1);
    assertThat(stuck.status()).isEqualTo(Condition.Status.True);
    assertThat(stuck.message()).contains("/sys/x");
  }

  @Test
  void applyKeepsOtherConditionsAndTheTransitionTimeAndSaysWhenNothingChanges() {
    Agent down = agent(new Maintenance(Maintenance.Mode.Down, "uninstall"));
    List<Condition> first =
        DrainCondition.apply(List.of(REGISTERED), DrainCondition.desired(down, 2, null, T0));
    assertThat(first).hasSize(2).first().isEqualTo(REGISTERED);

    List<Condition> fewer = DrainCondition.apply(first, DrainCondition.desired(down, 1, null, T1));
    assertThat(fewer.get(1).message()).contains("1 task left");
    assertThat(fewer.get(1).lastTransitionTime()).as("same status").isEqualTo(T0.toString());
    assertThat(DrainCondition.apply(fewer, DrainCondition.desired(down, 1, null, T1)))
        .as("nothing to write")
        .isNull();

    List<Condition> drained =
        DrainCondition.apply(fewer, DrainCondition.desired(down, 0, List.of(), T1));
    assertThat(drained.get(1).lastTransitionTime()).isEqualTo(T1.toString());

    assertThat(DrainCondition.apply(drained, null))
        .as("back in service")
        .containsExactly(REGISTERED);
    assertThat(DrainCondition.apply(List.of(REGISTERED), null)).isNull();
    assertThat(DrainCondition.apply(null, null)).isNull();
  }

  private static Agent agent(Maintenance maintenance) {
    Agent agent = new Agent();
    agent.setMetadata(new ObjectMetaBuilder().withName("node-a").withGeneration(7L).build());
    agent.setSpec(
        new AgentSpec(
            "node-a",
            "node-a",
            new Resources(1.0, 64.0, null, null, null),
            null,
            null,
            maintenance));
    return agent;
  }
}
