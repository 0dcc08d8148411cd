package io.mesokube.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesokube.api.v1alpha1.common.Resources;
import io.mesokube.api.v1alpha1.task.TaskSpec;
import org.junit.jupiter.api.Test;

class TaskSpecChargedTest {
  @Test
  void aTaskWithoutMemOrCpusIsChargedTheDefaultsAndKeepsTheRest() {
    TaskSpec spec = spec(new Resources(null, null, 10.0, 1, null));
    assertThat(spec.charged())
        .isEqualTo(new Resources(TaskSpec.DEFAULT_CPUS, TaskSpec.DEFAULT_MEM, 10.0, 1, null));
    assertThat(spec(Resources.of(2, 512)).charged()).isEqualTo(Resources.of(2, 512));
    assertThat(spec(null).charged()).isEqualTo(Resources.of(0.1, 32));
  }

  private static TaskSpec spec(Resources resources) {
    return new TaskSpec("fw", null, resources, null, null, null, null, null, null, null);
  }
}
