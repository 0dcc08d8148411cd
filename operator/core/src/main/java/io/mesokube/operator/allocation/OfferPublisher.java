package io.mesokube.operator.allocation;

import io.mesokube.allocator.AllocationResult;
import io.mesokube.allocator.HierarchicalAllocator;
import io.mesokube.allocator.Offer;
import io.mesokube.allocator.resources.Resources;
import io.mesokube.api.v1alpha1.agent.Agent;
import io.mesokube.api.v1alpha1.framework.Framework;
import io.mesokube.api.v1alpha1.framework.SchedulerType;
import io.mesokube.api.v1alpha1.offer.OfferSpec;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.operator.cluster.ClusterWriter;
import io.mesokube.operator.config.MesokubeConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a cycle's allocator offers into Offer objects for Offers frameworks, and into bindings of
 * pending tasks for Managed frameworks (the operator is their scheduler).
 */
final class OfferPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(OfferPublisher.class);

  private static final Duration PUBLISH_FAILURE_FILTER = Duration.ofSeconds(5);

  private final HierarchicalAllocator allocator;
  private final OfferBook book;
  private final TaskLedger ledger;
  private final ClusterWriter writer;
  private final AllocationState.Counters counters;
  private final long epoch;
  private final MesokubeConfig config;
  private long sequence;

  OfferPublisher(
      HierarchicalAllocator allocator,
      OfferBook book,
      TaskLedger ledger,
      ClusterWriter writer,
      AllocationState.Counters counters,
      long epoch,
      MesokubeConfig config) {
    this.allocator = allocator;
    this.book = book;
    this.ledger = ledger;
    this.writer = writer;
    this.counters = counters;
    this.epoch = epoch;
    this.config = config;
  }

  void publish(
      AllocationResult result,
      Map<String, Framework> frameworks,
      List<Agent> agents,
      Map<String, List<Task>> pending,
      Instant now) {
    Map<String, Agent> agentsByName = new HashMap<>();
    agents.forEach(a -> agentsByName.put(a.getMetadata().getName(), a));
    for (Offer offer : result.offers()) {
      Framework framework = frameworks.get(offer.frameworkId());
      Agent agent = agentsByName.get(offer.agentId());
      Resources left = offer.resources();
      Duration refuse = null;
      try {
        if (framework == null || agent == null) {
          continue;
        }
        if (framework.getSpec().scheduler() == SchedulerType.Managed) {
          left = place(offer, pending.getOrDefault(offer.frameworkId(), List.of()), now);
        } else {
          makeOffer(framework, agent, offer, now);
          left = Resources.EMPTY;
        }
      } catch (RuntimeException e) {
        // Filtered briefly, so that a framework whose offers cannot be written (its namespace is
        // being deleted, say) is not retried every cycle.
        refuse = PUBLISH_FAILURE_FILTER;
        LOG.warn(
            "Could not hand out offer of {} to {}: {}",
            offer.agentId(),
            offer.frameworkId(),
            e.toString());
      } finally {
        if (!left.isEmpty()) {
          allocator.recoverResources(offer.frameworkId(), offer.agentId(), left, refuse);
        }
      }
    }
  }

  private void makeOffer(Framework framework, Agent agent, Offer offer, Instant now) {
    String name = framework.getMetadata().getName() + "-" + epoch + "-" + ++sequence;
    Instant expiry = now.plus(config.allocation().offerTimeout());
    OfferSpec spec =
        new OfferSpec(
            framework.getMetadata().getName(),
            agent.getMetadata().getName(),
            agent.getSpec().hostname(),
            offer.role(),
            ResourceMapping.fromAllocator(offer.resources()),
            agent.getSpec().attributes(),
            epoch,
            expiry.toString(),
            null);
    var created = writer.createOffer(framework, name, spec);
    book.add(
        new OfferBook.Entry(
            framework.getMetadata().getNamespace(),
            name,
            created.getMetadata().getResourceVersion(),
            offer.frameworkId(),
            offer.agentId(),
            offer.role(),
            offer.resources(),
            expiry));
    counters.made().increment();
  }

  /**
   * Binds pending tasks of a Managed framework that fit in the offer, oldest first; returns what is
   * left. A bound task leaves {@code pending} so no other offer of the cycle takes it.
   */
  private Resources place(Offer offer, List<Task> pending, Instant now) {
    Resources pool = offer.resources();
    for (Iterator<Task> it = pending.iterator(); it.hasNext(); ) {
      Task task = it.next();
      String role = task.getSpec().role() == null ? offer.role() : task.getSpec().role();
      if (!role.equals(offer.role())) {
        continue;
      }
      Optional<Resources> held =
          Claims.claim(pool, role, ResourceMapping.toAllocator(task.getSpec().charged()));
      if (held.isEmpty()) {
        continue;
      }
      Task bound;
      try {
        bound = writer.bind(task, offer.agentId());
      } catch (RuntimeException e) {
        LOG.warn("Could not bind task {}: {}", Keys.of(task), e.toString());
        continue;
      }
      it.remove();
      pool = pool.minus(held.get());
      ledger.enter(
          bound.getMetadata().getUid(),
          new TaskLedger.Entry(offer.frameworkId(), offer.agentId(), role, held.get()),
          now);
      counters.launched().increment();
      if (task.getStatus() != null) {
        // Only a task that was told why it waited needs a write now (Scheduled=True); others stay
        // without status, which means TASK_STAGING, until their agent reports.
        try {
          writer.writeStatus(bound, TaskStatuses.scheduled(bound, offer.agentId(), now));
        } catch (RuntimeException e) {
          LOG.warn("Could not mark {} scheduled: {}", Keys.of(bound), e.toString());
        }
      }
    }
    return pool;
  }
}
