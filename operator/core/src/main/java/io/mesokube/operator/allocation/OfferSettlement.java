package io.mesokube.operator.allocation;

import io.mesokube.allocator.HierarchicalAllocator;
import io.mesokube.allocator.resources.Resources;
import io.mesokube.api.v1alpha1.framework.Framework;
import io.mesokube.api.v1alpha1.offer.Offer;
import io.mesokube.api.v1alpha1.offer.OfferAnswer;
import io.mesokube.api.v1alpha1.offer.OfferOperation;
import io.mesokube.api.v1alpha1.task.Reasons;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.api.v1alpha1.task.TaskState;
import io.mesokube.operator.cluster.ClusterWriter;
import io.mesokube.operator.cluster.ClusterWriter.OfferDeletion;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles offers: applies answers (accept, decline), rescinds expired offers and offers of an older
 * leader, and returns what they held to the allocator.
 */
final class OfferSettlement {
  private static final Logger LOG = LoggerFactory.getLogger(OfferSettlement.class);

  private final HierarchicalAllocator allocator;
  private final OfferBook book;
  private final TaskLedger ledger;
  private final ClusterWriter writer;
  private final AllocationState.Counters counters;

  /**
   * Time a cycle may spend on offers of an earlier leader. After a failover, settling the accepts
   * that leader left (a TASK_DROPPED task per launch) costs two writes per task; done all at once
   * it would hold back this leader's first offers for seconds. What the budget leaves waits for the
   * next cycle: such offers hold nothing in this leader's allocator.
   */
  private static final Duration STALE_BUDGET = Duration.ofMillis(100);

  /** Offers the informer has shown, of those in the book. */
  private final Set<String> seen = new HashSet<>();

  /**
   * Offers this leader settled and deleted that the informer may still show for a moment; not to be
   * taken for an earlier leader's offers (and their accepts dropped) meanwhile.
   */
  private final Set<String> settled = new HashSet<>();

  OfferSettlement(
      HierarchicalAllocator allocator,
      OfferBook book,
      TaskLedger ledger,
      ClusterWriter writer,
      AllocationState.Counters counters) {
    this.allocator = allocator;
    this.book = book;
    this.ledger = ledger;
    this.writer = writer;
    this.counters = counters;
  }

  void settle(
      List<Offer> offers, Map<String, Framework> frameworks, List<Task> tasks, Instant now) {
    Set<String> present = new HashSet<>();
    long staleDeadline = System.nanoTime() + STALE_BUDGET.toNanos();
    for (Offer offer : offers) {
      String key = Keys.of(offer);
      present.add(key);
      boolean stale = book.get(key) == null;
      if (stale && (settled.contains(key) || System.nanoTime() > staleDeadline)) {
        continue;
      }
      seen.add(key);
      try {
        settle(offer, frameworks, tasks, now);
      } catch (RuntimeException e) {
        // One offer's failure (an API error, a framework gone meanwhile) must not stop the
        // others; it is settled again next cycle.
        LOG.warn("Could not settle offer {}: {}", key, e.toString());
      }
    }
    settled.retainAll(present);
    for (OfferBook.Entry entry : List.copyOf(book.all())) {
      if (!seen.contains(entry.key())) {
        if (now.isAfter(entry.expiry())) {
          // Expired before the informer showed it: as created, unless answered since.
          expire(entry, entry.version());
        }
      } else if (!present.contains(entry.key())) {
        // Deleted by someone else (its framework's garbage collection, a person).
        book.remove(entry.key());
        allocator.recoverResources(entry.frameworkId(), entry.agent(), entry.offered(), null);
      }
    }
    seen.removeIf(key -> book.get(key) == null);
  }

  private void settle(
      Offer offer, Map<String, Framework> frameworks, List<Task> tasks, Instant now) {
    OfferBook.Entry entry = book.get(Keys.of(offer));
    OfferAnswer answer = offer.getSpec().answer();
    Framework framework =
        frameworks.get(
            Keys.framework(offer.getMetadata().getNamespace(), offer.getSpec().framework()));
    if (entry == null) {
      stale(offer, answer, framework, tasks, now);
    } else if (answer != null && answer.type() == OfferAnswer.Type.Decline) {
      finish(offer, entry, refuse(answer));
      counters.declined().increment();
    } else if (answer != null) {
      accept(offer, entry, answer, framework, tasks, now);
    } else if (now.isAfter(entry.expiry())) {
      expire(entry, offer.getMetadata().getResourceVersion());
    }
  }

  /**
   * Rescinds an expired offer read unanswered at {@code resourceVersion}. If it was answered since,
   * the answer came before the rescind: the offer stays in the book, and its answer is settled as
   * soon as the informer shows it.
   */
  private void expire(OfferBook.Entry entry, String resourceVersion) {
    try {
      if (writer.deleteOfferAt(entry.namespace(), entry.name(), resourceVersion)
          == OfferDeletion.CHANGED) {
        LOG.debug("Offer {} was answered as it expired", entry.key());
        return;
      }
    } catch (RuntimeException e) {
      LOG.warn("Could not rescind expired offer {}: {}", entry.key(), e.toString());
      return;
    }
    LOG.debug("Offer {} expired", entry.key());
    forget(entry, entry.offered(), Duration.ZERO);
    counters.rescinded().increment();
  }

  /** Drops the offers of a framework the allocator removed (its allocations went with it). */
  void frameworkRemoved(String frameworkId) {
    book.all().removeIf(e -> e.frameworkId().equals(frameworkId));
  }

  private void accept(
      Offer offer,
      OfferBook.Entry entry,
      OfferAnswer answer,
      Framework framework,
      List<Task> tasks,
      Instant now) {
    AcceptPlan plan =
        AcceptPlan.of(entry, answer, namesIn(offer.getMetadata().getNamespace(), tasks));
    if (framework == null) {
      finish(offer, entry, Duration.ZERO);
      return;
    }
    if (!plan.valid()) {
      writer.event(offer, true, "InvalidAccept", plan.error());
      failTasks(
          framework, answer, TaskState.TASK_ERROR, Reasons.TASK_INVALID, plan.error(), tasks, now);
      finish(offer, entry, refuse(answer));
      counters.invalid().increment();
      return;
    }
    for (AcceptPlan.Launch launch : plan.launches()) {
      Task created =
          writer.createTask(
              framework, launch.template().name(), launch.template().labels(), launch.spec());
      if (created == null) {
        throw new IllegalStateException("task name " + launch.template().name() + " was taken");
      }
      // No TASK_STAGING write: a bound task without a state is staging until its agent reports
      // (Mesos' master does not send TASK_STAGING either); that saves one write per task.
      ledger.enter(
          created.getMetadata().getUid(),
          new TaskLedger.Entry(entry.frameworkId(), entry.agent(), entry.role(), launch.held()),
          now);
      counters.launched().increment();
    }
    writer.deleteOffer(entry.namespace(), entry.name());
    forget(entry, plan.unused(), refuse(answer));
    counters.accepted().increment();
  }

  /** An offer this leader does not hold: made by an earlier leader, or already settled. */
  private void stale(
      Offer offer, OfferAnswer answer, Framework framework, List<Task> tasks, Instant now) {
    if (answer != null && answer.type() == OfferAnswer.Type.Accept && framework != null) {
      String message =
          "offer "
              + offer.getMetadata().getName()
              + " was rescinded before its accept was processed";
      failTasks(
          framework, answer, TaskState.TASK_DROPPED, Reasons.INVALID_OFFERS, message, tasks, now);
      writer.event(offer, true, "OfferRescinded", message);
    }
    String namespace = offer.getMetadata().getNamespace();
    String name = offer.getMetadata().getName();
    boolean deleted =
        answer == null
            // Read unanswered: if answered since, the answer is settled (dropped) next cycle.
            ? writer.deleteOfferAt(namespace, name, offer.getMetadata().getResourceVersion())
                == OfferDeletion.DELETED
            : writer.deleteOffer(namespace, name);
    if (deleted) {
      counters.rescinded().increment();
    }
  }

  /** Creates the accept's tasks in a terminal state, so that the framework hears of them. */
  private void failTasks(
      Framework framework,
      OfferAnswer answer,
      TaskState state,
      String reason,
      String message,
      List<Task> tasks,
      Instant now) {
    Set<String> taken = namesIn(framework.getMetadata().getNamespace(), tasks);
    for (OfferOperation operation :
        answer.operations() == null ? List.<OfferOperation>of() : answer.operations()) {
      if (operation.launch() == null) {
        continue;
      }
      for (OfferOperation.TaskTemplate template : operation.launch().tasks()) {
        if (taken.contains(template.name())) {
          continue;
        }
        // Unbound: a refused task never reaches an agent, nor the allocator's ledger.
        var s = template.spec();
        var unbound =
            new io.mesokube.api.v1alpha1.task.TaskSpec(
                s.framework(),
                s.role(),
                s.resources(),
                s.command(),
                s.container(),
                s.healthCheck(),
                s.killPolicy(),
                null,
                null,
                s.kill());
        Task created = writer.createTask(framework, template.name(), template.labels(), unbound);
        if (created != null && created.getStatus() == null) {
          writer.writeStatus(
              created, TaskStatuses.refused(Keys.of(created), state, reason, message, now));
        }
      }
    }
  }

  /** Settles an answered offer: deletes it, and gives back all it held. */
  private void finish(Offer offer, OfferBook.Entry entry, Duration refuse) {
    writer.deleteOffer(entry.namespace(), entry.name());
    forget(entry, entry.offered(), refuse);
  }

  /** Takes a deleted offer out of the book and gives {@code unused} back to the allocator. */
  private void forget(OfferBook.Entry entry, Resources unused, Duration refuse) {
    book.remove(entry.key());
    settled.add(entry.key());
    allocator.recoverResources(entry.frameworkId(), entry.agent(), unused, refuse);
  }

  private static Duration refuse(OfferAnswer answer) {
    double seconds = answer.refuseSeconds() == null ? 5.0 : answer.refuseSeconds();
    return Duration.ofMillis(Math.round(seconds * 1000));
  }

  private static Set<String> namesIn(String namespace, List<Task> tasks) {
    Set<String> names = new HashSet<>();
    for (Task t : tasks) {
      if (namespace.equals(t.getMetadata().getNamespace())) {
        names.add(t.getMetadata().getName());
      }
    }
    return names;
  }
}
