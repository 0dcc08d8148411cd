package io.mesokube.operator.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.mesokube.allocator.AgentInfo;
import io.mesokube.allocator.AllocatorOptions;
import io.mesokube.allocator.FrameworkInfo;
import io.mesokube.allocator.HierarchicalAllocator;
import io.mesokube.allocator.role.Quota;
import io.mesokube.api.v1alpha1.agent.Agent;
import io.mesokube.api.v1alpha1.agent.AgentSpec;
import io.mesokube.api.v1alpha1.common.Resources;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.api.v1alpha1.task.TaskSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The "why pending" reason of a Managed framework's task, against a real allocator. */
class PendingExplainerTest {
  private final HierarchicalAllocator allocator =
      new HierarchicalAllocator(AllocatorOptions.defaults().withSeed(1L));

  @Test
  void aTaskKeptFromEmptyAgentsByAnotherRolesGuaranteeSaysWhoHoldsThem() {
    List<Agent> agents = List.of(agent("a1"), agent("a2"));
    agents.forEach(
        a ->
            allocator.addAgent(
                AgentInfo.of(a.getMetadata().getName(), ResourceMapping.agentTotal(a.getSpec()))));
    allocator.updateQuota("eng/frontend", guarantee(Resources.of(2, 2048)));
    allocator.addFramework(FrameworkInfo.of("ns/fw", "batch"));

    PendingExplainer.Explanation why =
        PendingExplainer.explain(
            task(),
            "batch",
            "ns/fw",
            agents,
            name -> true,
            allocator,
            allocator.allocate().summary(),
            new QuotaHeadroom(Map.of(), Map.of()));

    assertThat(why.reason()).isEqualTo("QuotaHeadroomHeld");
    assertThat(why.message())
        .isEqualTo(
            "0/2 agents can hold cpus 0.5, mem 64.0 MiB now: 2 held back as headroom for the"
                + " unmet quota guarantees of eng/frontend (cpus 2.0, mem 2048.0 MiB unmet)");
  }

  private static Quota guarantee(Resources guarantee) {
    return ResourceMapping.quota(new io.mesokube.api.v1alpha1.role.Quota(guarantee, null));
  }

  private static Agent agent(String name) {
    Agent agent = new Agent();
    agent.setMetadata(new ObjectMetaBuilder().withName(name).build());
    agent.setSpec(new AgentSpec(null, name + ".local", Resources.of(1, 1024), null, null, null));
    return agent;
  }

  private static Task task() {
    Task task = new Task();
    task.setMetadata(new ObjectMetaBuilder().withName("t").withNamespace("ns").build());
    task.setSpec(
        new TaskSpec(
            "fw", "batch", Resources.of(0.5, 64), null, null, null, null, null, null, null));
    return task;
  }
}
