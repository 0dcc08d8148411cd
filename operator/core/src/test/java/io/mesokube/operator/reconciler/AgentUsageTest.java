package io.mesokube.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.mesokube.api.v1alpha1.common.Resources;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.api.v1alpha1.task.TaskSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentUsageTest {
  @Test
  void aTaskThatNamesNoMemIsChargedTheMemTheAgentLimitsItTo() {
    Task without = task("no-mem", new Resources(0.5, null, null, null, null));
    Task with = task("with-mem", Resources.of(1, 64));

    Resources allocated = AgentUsage.allocated(List.of(without, with), List.of());

    assertThat(allocated.mem()).isEqualTo(TaskSpec.DEFAULT_MEM + 64);
    assertThat(allocated.cpus()).isEqualTo(1.5);
  }

  private static Task task(String name, Resources resources) {
    Task t = new Task();
    t.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").build());
    t.setSpec(new TaskSpec("fw", null, resources, null, null, null, null, "a1", null, false));
    return t;
  }
}
