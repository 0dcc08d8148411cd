package io.mesokube.operator.allocation;

import io.mesokube.allocator.AllocationResult;
import io.mesokube.allocator.HierarchicalAllocator;
import io.mesokube.allocator.resources.Resources;
import io.mesokube.api.v1alpha1.framework.Framework;
import io.mesokube.api.v1alpha1.framework.SchedulerType;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.operator.cluster.ClusterView;
import io.mesokube.operator.cluster.ClusterWriter;
import io.mesokube.operator.cluster.TaskRoles;
import io.mesokube.operator.config.MesokubeConfig;
import io.micrometer.core.instrument.Counter;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One leader's allocation state and the steps of a cycle. Confined to the allocation thread. */
final class AllocationState {
  /** Offer and task counters, Mesos' master metrics by another name. */
  record Counters(
      Counter made,
      Counter accepted,
      Counter declined,
      Counter rescinded,
      Counter invalid,
      Counter launched) {}

  /** Cycles between two full allocation passes; the others only visit what changed. */
  private static final int FULL_PASS_EVERY = 5;

  /**
   * Cycles between two explanations of pending tasks (every 5 s at the default interval): the "why
   * pending" statuses stay fresh without a write per task and cycle.
   */
  private static final int EXPLAIN_EVERY = 25;

  private final HierarchicalAllocator allocator;
  private final MesokubeConfig config;
  private final Clock clock;
  private final RoleSync roles;
  private final FrameworkSync frameworks;
  private final AgentSync agents;
  private final TaskLedger ledger = new TaskLedger();
  private final OfferBook book = new OfferBook();
  private final OfferSettlement settlement;
  private final OfferPublisher publisher;
  private final PendingReports pendingReports;
  private final OfferDiagnoser diagnoser = new OfferDiagnoser();
  private final OfferDiagnostics diagnostics;
  private int cycles;

  AllocationState(
      HierarchicalAllocator allocator,
      long epoch,
      ClusterWriter writer,
      MesokubeConfig config,
      Clock clock,
      Counters counters,
      OfferDiagnostics diagnostics) {
    this.allocator = allocator;
    this.diagnostics = diagnostics;
    this.config = config;
    this.clock = clock;
    this.roles = new RoleSync(allocator);
    this.frameworks = new FrameworkSync(allocator);
    this.agents = new AgentSync(allocator);
    this.settlement = new OfferSettlement(allocator, book, ledger, writer, counters);
    this.publisher = new OfferPublisher(allocator, book, ledger, writer, counters, epoch, config);
    this.pendingReports = new PendingReports(allocator, writer);
  }

  /** One cycle; {@code changed} says whether any watched object changed since the last one. */
  void cycle(ClusterView view, boolean changed) {
    Instant now = clock.instant();
    Map<String, Framework> byId = new HashMap<>();
    for (Framework f : view.frameworks()) {
      byId.put(Keys.of(f), f);
    }
    List<Task> tasks = view.tasks();
    Map<String, List<Task>> pending = pendingManaged(tasks, byId);
    if (changed) {
      roles.sync(view.rolePolicies());
    }
    frameworks.sync(
        view.frameworks(),
        view::frameworkLease,
        ledger::holdsTasks,
        pending::containsKey,
        settlement::frameworkRemoved,
        now);
    // Every cycle: whether an agent still renews is a matter of time, not only of changes.
    agents.sync(
        view.agents(),
        agent -> view.sightings().renewing(agent, now),
        this::agentRemoved,
        this::rescindOffersOn);
    if (changed) {
      ledger.sync(
          tasks, allocator, t -> TaskRoles.of(t, byId), agents::knows, frameworks::knows, now);
    }
    settlement.settle(view.offers(), byId, tasks, now);
    // Explanations need a full pass: an incremental one may visit no agent at all.
    boolean explain = cycles % EXPLAIN_EVERY == 0;
    boolean fullPass = explain || cycles % FULL_PASS_EVERY == 0;
    cycles++;
    AllocationResult result = fullPass ? allocator.allocate() : allocator.allocatePending();
    publisher.publish(result, byId, view.agents(), pending, now);
    diagnoser.observe(book.all(), now);
    if (explain) {
      int agentsKnown =
          (int) view.agents().stream().filter(a -> agents.knows(a.getMetadata().getName())).count();
      diagnostics.replace(
          diagnoser.diagnose(
              byId,
              frameworks,
              result.summary(),
              agentsKnown,
              config.allocation().interval().multipliedBy(2L * EXPLAIN_EVERY),
              now));
      Map<String, Resources> consumed = new HashMap<>(ledger.heldByRole());
      book.offeredByRole().forEach((role, r) -> consumed.merge(role, r, Resources::plus));
      pendingReports.report(
          pending,
          byId,
          view.agents(),
          agents::knows,
          result.summary(),
          new QuotaHeadroom(roles.limits(), consumed),
          now);
    }
  }

  private void agentRemoved(String agent) {
    ledger.agentRemoved(agent);
    book.agentRemoved(agent);
  }

  /**
   * Rescinds the outstanding offers on an agent that turned unreachable or went Down, as Mesos'
   * master does when it marks an agent unreachable or its machine goes down: their resources go
   * back to the allocator (which offers nothing on the agent meanwhile), and the Offer objects, no
   * longer in the book, are deleted as stale by the next settlement; an accept that raced with it
   * ends its tasks TASK_DROPPED.
   */
  private void rescindOffersOn(String agent) {
    for (OfferBook.Entry entry : book.removeOn(agent)) {
      allocator.recoverResources(entry.frameworkId(), agent, entry.offered(), null);
    }
  }

  /** Unbound, non-terminal tasks of Managed frameworks, oldest first, by framework id. */
  private static Map<String, List<Task>> pendingManaged(
      List<Task> tasks, Map<String, Framework> frameworks) {
    Map<String, List<Task>> out = new HashMap<>();
    for (Task task : tasks) {
      Framework framework = frameworks.get(Keys.framework(task));
      boolean pending =
          framework != null
              && framework.getSpec().scheduler() == SchedulerType.Managed
              && task.getSpec().agent() == null
              && (task.getStatus() == null || task.getStatus().state() == null)
              && !Boolean.TRUE.equals(task.getSpec().kill())
              && task.getMetadata().getDeletionTimestamp() == null;
      if (pending) {
        out.computeIfAbsent(Keys.framework(task), k -> new ArrayList<>()).add(task);
      }
    }
    Comparator<Task> oldestFirst =
        Comparator.comparing((Task t) -> t.getMetadata().getCreationTimestamp())
            .thenComparing(t -> t.getMetadata().getName());
    out.values().forEach(list -> list.sort(oldestFirst));
    return out;
  }
}
