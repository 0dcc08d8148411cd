package io.mesokube.examples.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesokube.examples.runner.TaskSlots.Outcome;
import org.junit.jupiter.api.Test;

class TaskSlotsTest {

  @Test
  void namesAttemptsAndFinishesWhenEverySlotSucceeded() {
    var slots = new TaskSlots("run", 2, 1);

    assertThat(slots.launchNext()).isEqualTo("run-0-0");
    assertThat(slots.launchNext()).isEqualTo("run-1-0");
    assertThat(slots.hasPending()).isFalse();
    assertThat(slots.ended("run-0-0", true)).isEqualTo(Outcome.FINISHED);
    assertThat(slots.allFinished()).isFalse();
    assertThat(slots.ended("run-1-0", true)).isEqualTo(Outcome.FINISHED);
    assertThat(slots.allFinished()).isTrue();
  }

  @Test
  void relaunchesAFailedSlotUntilItsRetriesAreUsedUp() {
    var slots = new TaskSlots("run", 1, 2);

    assertThat(slots.ended(slots.launchNext(), false)).isEqualTo(Outcome.RELAUNCH);
    assertThat(slots.launchNext()).isEqualTo("run-0-1");
    assertThat(slots.ended("run-0-1", false)).isEqualTo(Outcome.RELAUNCH);
    assertThat(slots.launchNext()).isEqualTo("run-0-2");
    assertThat(slots.ended("run-0-2", false)).isEqualTo(Outcome.GAVE_UP);
  }

  @Test
  void ignoresUnknownAndRepeatedEnds() {
    var slots = new TaskSlots("run", 1, 0);
    var name = slots.launchNext();

    assertThat(slots.ended("other", true)).isEqualTo(Outcome.IGNORED);
    assertThat(slots.ended(name, true)).isEqualTo(Outcome.FINISHED);
    assertThat(slots.ended(name, true)).isEqualTo(Outcome.IGNORED);
    assertThat(slots.finished()).isEqualTo(1);
  }
}
