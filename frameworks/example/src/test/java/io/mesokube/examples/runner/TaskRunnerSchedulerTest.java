package io.mesokube.examples.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesokube.api.v1alpha1.common.Resources;
import org.junit.jupiter.api.Test;

class TaskRunnerSchedulerTest {

  @Test
  void packsEveryTaskThatFitsWhateverTheOfferedFraction() {
    for (int fifths = 0; fifths <= 10; fifths++) {
      assertThat(TaskRunnerScheduler.fit(Resources.of(fifths / 5.0, 1024), 0.2, 32))
          .as("tasks of 0.2 cpus in %s cpus", fifths / 5.0)
          .isEqualTo(fifths);
    }
    for (int tenths = 0; tenths <= 10; tenths++) {
      assertThat(TaskRunnerScheduler.fit(Resources.of(tenths / 10.0, 1024), 0.1, 32))
          .as("tasks of 0.1 cpus in %s cpus", tenths / 10.0)
          .isEqualTo(tenths);
    }
  }

  @Test
  void theScarcerResourceBoundsTheCount() {
    assertThat(TaskRunnerScheduler.fit(Resources.of(1, 100), 0.2, 32)).isEqualTo(3);
    assertThat(TaskRunnerScheduler.fit(Resources.of(0.9, 1024), 0.2, 32)).isEqualTo(4);
    assertThat(TaskRunnerScheduler.fit(new Resources(null, 1024.0, null, null, null), 0.2, 32))
        .isZero();
  }
}
