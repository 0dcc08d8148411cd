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
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.mesokube.api.Mesokube;
import io.mesokube.api.v1alpha1.agent.Agent;
import io.mesokube.api.v1alpha1.agent.AgentPhase;
import io.mesokube.api.v1alpha1.agent.AgentStatus;
import io.mesokube.api.v1alpha1.framework.Framework;
import io.mesokube.api.v1alpha1.framework.FrameworkCapability;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.operator.cluster.ClusterView;
import io.mesokube.operator.cluster.ClusterWriter;
import io.mesokube.operator.cluster.Events;
import io.mesokube.operator.config.MesokubeConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows agents' liveness through their heartbeat Leases, as Mesos' master follows its agents'
 * pings: marks them Unreachable, Active again or Gone, moves their tasks to TASK_UNREACHABLE,
 * TASK_LOST or TASK_GONE, refuses a gone agent id, and reports each agent's task count and
 * allocated resources. The state logic is {@link AgentLife}'s.
 *
 * <p>Agent status changes are the agent's too (it registers by writing phase Active), so this
 * controller reconciles on every Agent change, not only on spec changes.
 */
@ControllerConfiguration(name = "agent", generationAwareEventProcessing = false)
public class AgentReconciler implements Reconciler<Agent> {
  private static final Logger LOG = LoggerFactory.getLogger(AgentReconciler.class);

  /** Task count and allocated resources are written at most this often per agent. */
  static final Duration USAGE_REFRESH = FrameworkReconciler.USAGE_REFRESH;

  /** How soon to look again after a task changed under a write (its event may be in already). */
  private static final Duration CONFLICT_RETRY = Duration.ofSeconds(1);

  private final ClusterView view;
  private final ClusterWriter writer;
  private final Events events;
  private final MesokubeConfig.Agents config;
  private final Clock clock = Clock.systemUTC();
  private final Map<String, Instant> lastUsageWrite = new ConcurrentHashMap<>();

  AgentReconciler(ClusterView view, ClusterWriter writer, Events events, MesokubeConfig config) {
    this.view = view;
    this.writer = writer;
    this.events = events;
    this.config = config.agents();
  }

  @Override
  public List<EventSource<?, Agent>> prepareEventSources(EventSourceContext<Agent> context) {
    // Only the agents' Leases: scoped to their namespace and label, which RBAC and the API server's
    // watch cache can both serve cheaply.
    var leases =
        InformerEventSourceConfiguration.from(Lease.class, Agent.class)
            .withNamespaces(Set.of(config.leaseNamespace()))
            .withLabelSelector(Mesokube.LABEL_AGENT)
            .withSecondaryToPrimaryMapper(AgentReconciler::agentOf)
            .withOnUpdateFilter(LeaseRenewals::mayChangePhase)
            .build();
    // Task changes come from the cluster view's task informer rather than a third watch and cache
    // of every task: they change an agent's counts and may need a retried state write.
    var tasks = new SimpleInboundEventSource<Agent>("agent-tasks");
    view.onTaskChange(
        task -> {
          if (task.getSpec() != null && task.getSpec().agent() != null) {
            tasks.propagateEvent(new ResourceID(task.getSpec().agent()));
          }
        });
    return List.of(new InformerEventSource<>(leases, context), tasks);
  }

  @Override
  public UpdateControl<Agent> reconcile(Agent agent, Context<Agent> context) {
    String name = agent.getMetadata().getName();
    Lease lease =
        context
            .getSecondaryResourcesAsStream(Lease.class)
            .filter(l -> l.getMetadata().getName().equals(Mesokube.agentLeaseName(name)))
            .findFirst()
            .orElse(null);
    Instant now = clock.instant();
    if (lease != null) {
      // This reconcile may be the first to see a renewal: the cluster view's informer, which also
      // notes it, may deliver it a moment later. Seeing the same renewal twice changes nothing.
      view.sightings().observe(lease);
    }
    var sight =
        new AgentLife.Sight(
            proof -> view.sightings().firstSeen(name, proof),
            allSilent(name, now),
            time -> view.sightings().renewedAfter(name, time));
    AgentLife life =
        AgentLife.of(
            agent,
            lease,
            view.tasksOn(name),
            this::partitionAware,
            new AgentLife.Timeouts(config.unreachableTimeout(), config.goneTimeout()),
            sight,
            now);
    boolean conflicts = false;
    for (LostTasks.Update update : life.taskUpdates()) {
      // Guarded by the cached resourceVersion: an agent's concurrent write wins, and the task's
      // change event brings a pass that decides again from it.
      conflicts |= writer.writeStatus(update.task(), update.status()) == null;
    }
    Duration wait = conflicts ? min(life.nextCheck(), CONFLICT_RETRY) : life.nextCheck();
    AgentStatus previous = agent.getStatus();
    AgentStatus status = life.status();
    Instant lastWrite = lastUsageWrite.getOrDefault(name, Instant.MIN);
    UpdateControl<Agent> control;
    if (status.equals(previous)) {
      control = UpdateControl.noUpdate();
    } else if (AgentLife.onlyUsageChanged(previous, status)
        && now.isBefore(lastWrite.plus(USAGE_REFRESH))) {
      // Counts change with every task; written at most every USAGE_REFRESH per agent, so that a
      // busy agent costs the API server a bounded number of status writes.
      control = UpdateControl.noUpdate();
      wait = min(wait, Duration.between(now, lastWrite.plus(USAGE_REFRESH)));
    } else {
      var before = previous == null ? null : previous.phase();
      if (before != status.phase()) {
        LOG.info("Agent {} is {} (was {})", name, status.phase(), before);
      }
      if (life.notice() != null) {
        events.record(
            agent, life.notice().warning(), life.notice().reason(), life.notice().message());
      }
      lastUsageWrite.put(name, now);
      forgetDeletedAgents();
      agent.setStatus(status);
      control = UpdateControl.patchStatus(agent);
    }
    return wait == null ? control : control.rescheduleAfter(wait);
  }

  /**
   * Whether every agent is silent in this replica's view (see {@link
   * io.mesokube.operator.cluster.Sightings#quiet}) while another agent is Active: with a single
   * Active agent its silence is its own.
   */
  private boolean allSilent(String agent, Instant now) {
    return view.sightings().quiet(now)
        && view.agents().stream()
            .anyMatch(
                a ->
                    a.getStatus() != null
                        && a.getStatus().phase() == AgentPhase.Active
                        && !a.getMetadata().getName().equals(agent));
  }

  private boolean partitionAware(Task task) {
    Framework framework =
        view.framework(task.getMetadata().getNamespace(), task.getSpec().framework());
    return framework != null
        && framework.getSpec().capabilities() != null
        && framework.getSpec().capabilities().contains(FrameworkCapability.PARTITION_AWARE);
  }

  /** Forgets agents that were deleted (this reconciler keeps no finalizer to learn it). */
  private void forgetDeletedAgents() {
    int known = view.agents().size();
    if (lastUsageWrite.size() > known || view.sightings().size() > known) {
      Set<String> live =
          view.agents().stream().map(a -> a.getMetadata().getName()).collect(Collectors.toSet());
      lastUsageWrite.keySet().retainAll(live);
      view.sightings().retain(live);
    }
  }

  private static Set<ResourceID> agentOf(Lease lease) {
    String agent = lease.getMetadata().getLabels().get(Mesokube.LABEL_AGENT);
    return agent == null || agent.isBlank() ? Set.of() : Set.of(new ResourceID(agent));
  }

  private static Duration min(Duration a, Duration b) {
    return a == null || b.compareTo(a) < 0 ? b : a;
  }
}
