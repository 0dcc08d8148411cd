package io.mesokube.operator.reconciler;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.mesokube.api.Mesokube;
import io.mesokube.api.v1alpha1.common.Condition;
import io.mesokube.api.v1alpha1.common.Resources;
import io.mesokube.api.v1alpha1.framework.Framework;
import io.mesokube.api.v1alpha1.framework.FrameworkStatus;
import io.mesokube.api.v1alpha1.framework.SchedulerType;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.operator.allocation.OfferDiagnostics;
import io.mesokube.operator.cluster.ClusterView;
import io.mesokube.operator.cluster.Events;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Registers frameworks and follows their lives: framework id, scheduler connection through its
 * Lease, task counts, and teardown once the scheduler stayed away past its failover timeout.
 */
@ControllerConfiguration(name = "framework")
public class FrameworkReconciler implements Reconciler<Framework> {
  static final Duration USAGE_REFRESH = Duration.ofSeconds(5);

  private final ClusterView view;
  private final Events events;
  private final TaskKiller killer;
  private final OfferDiagnostics diagnostics;
  private final Clock clock = Clock.systemUTC();
  private final Map<String, Instant> lastUsageWrite = new ConcurrentHashMap<>();

  FrameworkReconciler(
      ClusterView view, Events events, TaskKiller killer, OfferDiagnostics diagnostics) {
    this.diagnostics = diagnostics;
    this.view = view;
    this.events = events;
    this.killer = killer;
  }

  @Override
  public List<EventSource<?, Framework>> prepareEventSources(
      EventSourceContext<Framework> context) {
    var tasks =
        InformerEventSourceConfiguration.from(Task.class, Framework.class)
            .withSecondaryToPrimaryMapper(
                t ->
                    Set.of(new ResourceID(t.getSpec().framework(), t.getMetadata().getNamespace())))
            .build();
    var leases =
        InformerEventSourceConfiguration.from(Lease.class, Framework.class)
            .withLabelSelector(Mesokube.LABEL_FRAMEWORK)
            .withSecondaryToPrimaryMapper(
                l ->
                    Set.of(
                        new ResourceID(
                            l.getMetadata().getLabels().get(Mesokube.LABEL_FRAMEWORK),
                            l.getMetadata().getNamespace())))
            .build();
    return List.of(
        new InformerEventSource<>(tasks, context), new InformerEventSource<>(leases, context));
  }

  @Override
  public UpdateControl<Framework> reconcile(Framework framework, Context<Framework> context) {
    String namespace = framework.getMetadata().getNamespace();
    String name = framework.getMetadata().getName();
    List<Task> tasks =
        view.tasks().stream()
            .filter(t -> namespace.equals(t.getMetadata().getNamespace()))
            .filter(t -> name.equals(t.getSpec().framework()))
            .toList();
    Resources offered =
        ResourceSums.sum(
            view.offers().stream()
                .filter(o -> namespace.equals(o.getMetadata().getNamespace()))
                .filter(o -> name.equals(o.getSpec().framework()))
                .map(o -> o.getSpec().resources())
                .toList());
    FrameworkLife life =
        FrameworkLife.of(
            framework,
            view.frameworkLease(namespace, name),
            tasks,
            offered,
            ResourceSums.clusterTotal(view.agents()),
            diagnostics.of(namespace + "/" + name).orElse(null),
            clock.instant());
    if (life.tearDown()) {
      int killed = killer.kill(life.tasksToKill());
      if (killed > 0) {
        events.record(
            framework,
            true,
            "FailoverTimeout",
            "scheduler gone for more than "
                + framework.getSpec().failoverTimeoutSeconds()
                + " s: killing "
                + killed
                + " tasks");
      }
    }
    FrameworkStatus status = life.status();
    String key = namespace + "/" + name;
    Instant now = clock.instant();
    UpdateControl<Framework> control;
    Duration wait = life.nextCheck();
    if (framework.getSpec().scheduler() == SchedulerType.Offers) {
      // The Offered condition follows the leader's diagnosis, refreshed every few seconds.
      wait = wait == null || USAGE_REFRESH.compareTo(wait) < 0 ? USAGE_REFRESH : wait;
    }
    if (status.equals(framework.getStatus())) {
      control = UpdateControl.noUpdate();
    } else if (FrameworkLife.onlyUsageChanged(framework.getStatus(), status)
        && now.isBefore(lastUsageWrite.getOrDefault(key, Instant.MIN).plus(USAGE_REFRESH))) {
      // Task counts and usage change with every task; written at most every USAGE_REFRESH
      // so that a busy framework costs the API server a bounded number of status writes.
      control = UpdateControl.noUpdate();
      Duration rest = Duration.between(now, lastUsageWrite.get(key).plus(USAGE_REFRESH));
      wait = wait == null || rest.compareTo(wait) < 0 ? rest : wait;
    } else {
      if (framework.getStatus() == null || framework.getStatus().phase() != status.phase()) {
        events.record(framework, false, "Phase" + status.phase(), "framework is " + status.phase());
      }
      recordOfferedChange(framework, status);
      lastUsageWrite.put(key, now);
      if (lastUsageWrite.size() > view.frameworks().size()) {
        // Forget frameworks that were deleted (this reconciler keeps no finalizer to learn it).
        Set<String> live = new HashSet<>();
        view.frameworks()
            .forEach(
                f -> live.add(f.getMetadata().getNamespace() + "/" + f.getMetadata().getName()));
        lastUsageWrite.keySet().retainAll(live);
      }
      framework.setStatus(status);
      control = UpdateControl.patchStatus(framework);
    }
    return wait == null ? control : control.rescheduleAfter(wait);
  }

  /** An event when a framework starts or stops receiving offers, or the reason changes. */
  private void recordOfferedChange(Framework framework, FrameworkStatus next) {
    Condition after = condition(next.conditions());
    if (after == null) {
      return;
    }
    Condition before =
        framework.getStatus() == null ? null : condition(framework.getStatus().conditions());
    if (before != null
        && before.status() == after.status()
        && before.reason().equals(after.reason())) {
      return;
    }
    boolean refused = after.status() == Condition.Status.False;
    boolean warning = refused && "RefusedByAllocator".equals(after.reason());
    events.record(framework, warning, refused ? after.reason() : "OffersResumed", after.message());
  }

  private static Condition condition(List<Condition> conditions) {
    if (conditions == null) {
      return null;
    }
    return conditions.stream()
        .filter(c -> c.type().equals(OfferDiagnostics.CONDITION))
        .findFirst()
        .orElse(null);
  }
}
