package io.mesokube.operator.metrics;

import io.mesokube.api.v1alpha1.agent.AgentPhase;
import io.mesokube.api.v1alpha1.framework.FrameworkPhase;
import io.mesokube.api.v1alpha1.task.TaskState;
import io.mesokube.operator.cluster.ClusterView;
import io.mesokube.operator.leader.Leadership;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.util.function.ToDoubleFunction;

/**
 * Gauges of the cluster's state on {@code /q/metrics}: tasks by state, frameworks by phase and
 * connected, agents by phase, outstanding offers, resources in the Mesos allocator's terms, and
 * whether this replica leads.
 *
 * <p>They are read on scrape from the informer caches (no API call), every replica reporting what
 * its caches hold. Tags are enum values only, never a resource name; every value of each enum is
 * registered, so a series reads 0 rather than vanishing.
 */
@ApplicationScoped
public class ClusterMetrics {
  private final ClusterView view;
  private final Leadership leadership;
  private final MeterRegistry meters;
  private final CountsOnScrape counts;

  ClusterMetrics(ClusterView view, Leadership leadership, MeterRegistry meters) {
    this.view = view;
    this.leadership = leadership;
    this.meters = meters;
    this.counts = new CountsOnScrape(this::count);
  }

  // After ClusterView's start, which creates the informers these gauges read.
  void register(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) StartupEvent event) {
    Gauge.builder("mesokube_leader", () -> leadership.isLeader() ? 1 : 0)
        .description("1 if this replica holds the leader Lease, else 0")
        .register(meters);
    for (TaskState state : TaskState.values()) {
      tasks(state.name());
    }
    tasks(ClusterCounts.PENDING);
    for (FrameworkPhase phase : FrameworkPhase.values()) {
      gauge(
          "mesokube_frameworks",
          "Frameworks by phase",
          "phase",
          phase.name(),
          c -> c.frameworks(phase));
    }
    Gauge.builder("mesokube_frameworks_connected", () -> counts.get().frameworksConnected())
        .description("Frameworks whose scheduler is connected (renews its Lease, or Managed)")
        .register(meters);
    for (AgentPhase phase : AgentPhase.values()) {
      gauge("mesokube_agents", "Agents by phase", "phase", phase.name(), c -> c.agents(phase));
    }
    Gauge.builder("mesokube_offers_outstanding", () -> counts.get().offersOutstanding())
        .description("Offers made and not answered yet")
        .register(meters);
    for (ScalarResource resource : ScalarResource.values()) {
      gauge(
          "mesokube_resources_total",
          "Resources of the agents that are not gone (Mesos allocator resources/<r>/total)",
          "resource",
          resource.tag(),
          c -> c.total(resource));
      gauge(
          "mesokube_resources_offered_or_allocated",
          "Resources offered or held by non-terminal tasks (Mesos allocator"
              + " resources/<r>/offered_or_allocated)",
          "resource",
          resource.tag(),
          c -> c.offeredOrAllocated(resource));
    }
  }

  private void tasks(String state) {
    gauge(
        "mesokube_tasks",
        "Tasks by Mesos state; PENDING: not yet placed on an agent",
        "state",
        state,
        c -> c.tasks(state));
  }

  private void gauge(
      String name,
      String description,
      String tag,
      String value,
      ToDoubleFunction<ClusterCounts> f) {
    Gauge.builder(name, () -> f.applyAsDouble(counts.get()))
        .description(description)
        .tag(tag, value)
        .register(meters);
  }

  private ClusterCounts count() {
    return ClusterCounts.of(view.agents(), view.frameworks(), view.offers(), view.tasks());
  }
}
