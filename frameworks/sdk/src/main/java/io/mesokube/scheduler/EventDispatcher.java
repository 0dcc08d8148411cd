package io.mesokube.scheduler;

import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.mesokube.api.Mesokube;
import io.mesokube.api.v1alpha1.framework.Framework;
import io.mesokube.api.v1alpha1.offer.Offer;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.api.v1alpha1.task.TaskState;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a driver's Framework (by name), Offers and Tasks (by label {@code mesokube.io/framework})
 * and turns what it sees into scheduler callbacks on the {@link CallbackQueue}: registered, offers
 * in batches, rescinds and status updates.
 */
final class EventDispatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);
  private static final long SYNC_TIMEOUT_SECONDS = 60;

  private final SchedulerDriver driver;
  private final Scheduler scheduler;
  private final SchedulerConfig config;
  private final CallbackQueue callbacks;
  private final OfferTracker offers;
  private final Consumer<String> fail;
  private final Consumer<String> offerGone;
  private final TaskTransitions transitions = new TaskTransitions();
  private final List<SharedIndexInformer<?>> informers = new CopyOnWriteArrayList<>();

  // Touched on the callback thread only.
  private boolean registered;
  private boolean flushQueued;

  EventDispatcher(
      SchedulerDriver driver,
      Scheduler scheduler,
      SchedulerConfig config,
      CallbackQueue callbacks,
      OfferTracker offers,
      Consumer<String> fail,
      Consumer<String> offerGone) {
    this.driver = driver;
    this.scheduler = scheduler;
    this.config = config;
    this.callbacks = callbacks;
    this.offers = offers;
    this.fail = fail;
    this.offerGone = offerGone;
  }

  /** Starts the informers; returns once the Task informer has synced. */
  void start() {
    watchFramework();
    watchOffers();
    watchTasks();
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
  }

  private void watchFramework() {
    var handler =
        new InformerEvents<Framework>(
            framework -> callbacks.submit("framework update", () -> frameworkChanged(framework)),
            framework -> fail.accept("Framework " + config.frameworkName() + " was deleted"));
    informers.add(
        config
            .client()
            .resources(Framework.class)
            .inNamespace(config.namespace())
            .withName(config.frameworkName())
            .inform(handler, 0));
  }

  private void watchOffers() {
    var handler =
        new InformerEvents<Offer>(
            offer -> callbacks.submit("offer", () -> offerObserved(offer)),
            offer -> callbacks.submit("offer deletion", () -> offerDeleted(offer)));
    informers.add(
        config
            .client()
            .resources(Offer.class)
            .inNamespace(config.namespace())
            .withLabel(Mesokube.LABEL_FRAMEWORK, config.frameworkName())
            .inform(handler, 0));
  }

  /**
   * Tasks that exist when the driver starts are reported at their latest state only: the store is
   * baselined on the callback thread before the handler is added, and the informer replays the
   * store to a new handler as adds.
   */
  private void watchTasks() {
    var informer =
        config
            .client()
            .resources(Task.class)
            .inNamespace(config.namespace())
            .withLabel(Mesokube.LABEL_FRAMEWORK, config.frameworkName())
            .runnableInformer(0);
    informers.add(informer);
    try {
      informer.start().toCompletableFuture().get(SYNC_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the Task informer synced", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Task informer did not sync", e);
    }
    var existing = informer.getStore().list();
    callbacks.submit("task baseline", () -> existing.forEach(transitions::baseline));
    informer.addEventHandler(
        new InformerEvents<Task>(
            task -> callbacks.submit("task update", () -> taskObserved(task)),
            task -> callbacks.submit("task deletion", () -> taskDeleted(task))));
  }

  private void frameworkChanged(Framework framework) {
    var frameworkStatus = framework.getStatus();
    if (registered || frameworkStatus == null || frameworkStatus.frameworkId() == null) {
      return;
    }
    registered = true;
    LOG.info(
        "framework {}: registered with id {}",
        config.frameworkName(),
        frameworkStatus.frameworkId());
    scheduler.registered(driver, frameworkStatus.frameworkId());
    flushOffers();
  }

  private void offerObserved(Offer offer) {
    offers.observed(offer).ifPresent(name -> scheduler.offerRescinded(driver, name));
    if (!flushQueued) {
      // Offers observed until the flush runs are delivered in one resourceOffers call.
      flushQueued = true;
      callbacks.submit("offers", this::flushOffers);
    }
  }

  private void flushOffers() {
    flushQueued = false;
    if (!registered) {
      return;
    }
    var batch = offers.drain();
    if (!batch.isEmpty()) {
      LOG.debug("framework {}: {} offers", config.frameworkName(), batch.size());
      scheduler.resourceOffers(driver, batch);
    }
  }

  private void offerDeleted(Offer offer) {
    offers.deleted(offer).ifPresent(name -> scheduler.offerRescinded(driver, name));
    offerGone.accept(offer.getMetadata().getName());
  }

  private void taskObserved(Task task) {
    offers.taskSeen(task.getMetadata().getName());
    transitions.observe(task).forEach(update -> scheduler.statusUpdate(driver, update));
  }

  private void taskDeleted(Task task) {
    taskObserved(task);
    transitions.forget(task);
    var last = task.getStatus() == null ? null : task.getStatus().state();
    if (last == null || !last.isTerminal()) {
      var message = "the Task object was deleted before it reached a terminal state";
      scheduler.statusUpdate(
          driver,
          KubernetesSchedulerDriver.driverUpdate(
              task.getMetadata().getName(), TaskState.TASK_UNKNOWN, null, message));
    }
  }
}
