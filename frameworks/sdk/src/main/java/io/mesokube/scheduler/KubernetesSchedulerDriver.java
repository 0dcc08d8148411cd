package io.mesokube.scheduler;

import static io.mesokube.scheduler.DriverStatus.DRIVER_ABORTED;
import static io.mesokube.scheduler.DriverStatus.DRIVER_NOT_STARTED;
import static io.mesokube.scheduler.DriverStatus.DRIVER_RUNNING;
import static io.mesokube.scheduler.DriverStatus.DRIVER_STOPPED;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.mesokube.api.Mesokube;
import io.mesokube.api.v1alpha1.framework.Framework;
import io.mesokube.api.v1alpha1.offer.Offer;
import io.mesokube.api.v1alpha1.offer.OfferAnswer;
import io.mesokube.api.v1alpha1.offer.OfferOperation;
import io.mesokube.api.v1alpha1.offer.OfferOperation.TaskTemplate;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.api.v1alpha1.task.TaskState;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link SchedulerDriver} over Kubernetes objects, as {@code docs/design/protocol.md} defines
 * it: a Framework with {@code scheduler: Offers}, its Lease renewed on a thread of its own, and
 * informers scoped by label {@code mesokube.io/framework=<name>} on Offers and Tasks in one
 * namespace. Events and callbacks go through one {@link CallbackQueue}.
 */
public final class KubernetesSchedulerDriver implements SchedulerDriver {

  private static final Logger LOG = LoggerFactory.getLogger(KubernetesSchedulerDriver.class);
  private static final long SYNC_TIMEOUT_SECONDS = 60;

  private final Scheduler scheduler;
  private final SchedulerConfig config;
  private final AtomicReference<DriverStatus> status = new AtomicReference<>(DRIVER_NOT_STARTED);
  private final CountDownLatch finished = new CountDownLatch(1);
  private final CallbackQueue callbacks;
  private final FrameworkRegistrar registrar;
  private final OfferAnswers answers;
  private final TaskReconciler reconciler;
  private final LeaseKeeper lease;
  private final OfferTracker offers = new OfferTracker();
  private final TaskTransitions transitions = new TaskTransitions();
  private final List<SharedIndexInformer<?>> informers = new CopyOnWriteArrayList<>();

  // Touched on the callback thread only.
  private boolean registered;
  private boolean flushQueued;

  /** A driver that will register {@code config}'s framework and call {@code scheduler}. */
  public KubernetesSchedulerDriver(Scheduler scheduler, SchedulerConfig config) {
    this.scheduler = scheduler;
    this.config = config;
    this.callbacks =
        new CallbackQueue(
            "mesokube-scheduler-" + config.frameworkName(), () -> status.get() == DRIVER_RUNNING);
    this.registrar = new FrameworkRegistrar(config);
    this.answers = new OfferAnswers(config);
    this.reconciler = new TaskReconciler(config);
    this.lease = new LeaseKeeper(config, new LeaseEvents(), Clock.systemUTC());
  }

  @Override
  public synchronized DriverStatus start() {
    if (!status.compareAndSet(DRIVER_NOT_STARTED, DRIVER_RUNNING)) {
      return status.get();
    }
    try {
      var framework = registrar.subscribe();
      lease.start(FrameworkRegistrar.ownerReference(framework));
      watchFramework();
      watchOffers();
      watchTasks();
    } catch (RuntimeException e) {
      LOG.error("framework {}: could not start", config.frameworkName(), e);
      fail("could not start: " + e.getMessage());
    }
    return status.get();
  }

  @Override
  public synchronized DriverStatus stop(boolean failover) {
    if (!status.compareAndSet(DRIVER_RUNNING, DRIVER_STOPPED)) {
      return status.get();
    }
    shutdown();
    if (!failover) {
      try {
        registrar.teardown();
      } catch (KubernetesClientException e) {
        LOG.warn("framework {}: teardown failed: {}", config.frameworkName(), e.getMessage());
      }
    }
    LOG.info("framework {}: driver stopped (failover {})", config.frameworkName(), failover);
    return DRIVER_STOPPED;
  }

  @Override
  public synchronized DriverStatus abort() {
    if (status.compareAndSet(DRIVER_RUNNING, DRIVER_ABORTED)) {
      shutdown();
      LOG.info("framework {}: driver aborted", config.frameworkName());
    }
    return status.get();
  }

  @Override
  public DriverStatus join() {
    try {
      finished.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return status.get();
  }

  @Override
  public DriverStatus status() {
    return status.get();
  }

  @Override
  public void acceptOffers(
      Collection<String> offerNames, List<OfferOperation> operations, double refuseSeconds) {
    requireRunning();
    if (offerNames.isEmpty()) {
      throw new IllegalArgumentException("acceptOffers needs at least one offer");
    }
    var completed = answers.complete(operations);
    boolean first = true;
    for (var offerName : offerNames) {
      var ops = first && !completed.isEmpty() ? completed : null;
      offers.answering(offerName);
      var answer = new OfferAnswer(OfferAnswer.Type.Accept, ops, refuseSeconds);
      if (!answers.answer(offerName, answer) && ops != null) {
        dropped(offerName, ops);
      }
      first = false;
    }
  }

  @Override
  public void launchTasks(
      Collection<String> offerNames, List<TaskTemplate> tasks, double refuseSeconds) {
    var launch =
        new OfferOperation(
            OfferOperation.Type.LAUNCH, new OfferOperation.Launch(List.copyOf(tasks)), null);
    acceptOffers(offerNames, List.of(launch), refuseSeconds);
  }

  @Override
  public void declineOffer(String offerName, double refuseSeconds) {
    requireRunning();
    offers.answering(offerName);
    answers.answer(offerName, new OfferAnswer(OfferAnswer.Type.Decline, null, refuseSeconds));
  }

  @Override
  public void killTask(String taskName) {
    requireRunning();
    try {
      config
          .client()
          .resources(Task.class)
          .inNamespace(config.namespace())
          .withName(taskName)
          .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"kill\":true}}");
      LOG.info("framework {}: kill requested for task {}", config.frameworkName(), taskName);
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
        throw e;
      }
      deliver(List.of(driverUpdate(taskName, TaskState.TASK_UNKNOWN, null, "no such task")));
    }
  }

  @Override
  public synchronized void suppressOffers(Collection<String> roles) {
    requireRunning();
    registrar.updateSuppressed(roles, true);
  }

  @Override
  public synchronized void reviveOffers(Collection<String> roles) {
    requireRunning();
    registrar.updateSuppressed(roles, false);
  }

  @Override
  public void reconcileTasks(Collection<String> taskNames) {
    requireRunning();
    var names = List.copyOf(taskNames);
    callbacks.submit(
        "reconciliation",
        () -> {
          var updates = names.isEmpty() ? reconciler.implicit() : reconciler.explicit(names);
          updates.forEach(update -> scheduler.statusUpdate(this, update));
        });
  }

  @Override
  public void acknowledgeStatusUpdate(TaskStatusUpdate update) {
    // Nothing to do: the Task's status subresource is the durable record (see the interface).
  }

  private void watchFramework() {
    var handler =
        new InformerEvents<Framework>(
            framework -> callbacks.submit("framework update", () -> frameworkChanged(framework)),
            framework -> fail("Framework " + config.frameworkName() + " was deleted"));
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
            offer ->
                callbacks.submit(
                    "offer deletion",
                    () ->
                        offers
                            .deleted(offer)
                            .ifPresent(name -> scheduler.offerRescinded(this, name))));
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
    } catch (Exception e) {
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
    scheduler.registered(this, frameworkStatus.frameworkId());
    flushOffers();
  }

  private void offerObserved(Offer offer) {
    offers.observed(offer).ifPresent(name -> scheduler.offerRescinded(this, name));
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
      scheduler.resourceOffers(this, batch);
    }
  }

  private void taskObserved(Task task) {
    transitions.observe(task).forEach(update -> scheduler.statusUpdate(this, update));
  }

  private void taskDeleted(Task task) {
    taskObserved(task);
    transitions.forget(task);
    var last = task.getStatus() == null ? null : task.getStatus().state();
    if (last == null || !last.isTerminal()) {
      var message = "the Task object was deleted before it reached a terminal state";
      scheduler.statusUpdate(
          this, driverUpdate(task.getMetadata().getName(), TaskState.TASK_UNKNOWN, null, message));
    }
  }

  /** Every task of an accept whose offer is gone ends TASK_DROPPED, as Mesos' master does. */
  private void dropped(String offerName, List<OfferOperation> operations) {
    var updates =
        operations.stream()
            .filter(operation -> operation.launch() != null)
            .flatMap(operation -> operation.launch().tasks().stream())
            .map(
                task ->
                    driverUpdate(
                        task.name(),
                        TaskState.TASK_DROPPED,
                        TaskStatusUpdate.REASON_INVALID_OFFERS,
                        "offer " + offerName + " no longer exists"))
            .toList();
    deliver(updates);
  }

  private void deliver(List<TaskStatusUpdate> updates) {
    callbacks.submit(
        "driver status updates",
        () -> updates.forEach(update -> scheduler.statusUpdate(this, update)));
  }

  private static TaskStatusUpdate driverUpdate(
      String taskName, TaskState state, String reason, String message) {
    return new TaskStatusUpdate(
        taskName, state, reason, message, null, null, null, null, TaskStatusUpdate.Source.DRIVER);
  }

  /** Aborts after an unrecoverable error, then tells the scheduler why. */
  private synchronized void fail(String message) {
    if (status.compareAndSet(DRIVER_RUNNING, DRIVER_ABORTED)) {
      LOG.error("framework {}: {}; driver aborted", config.frameworkName(), message);
      callbacks.submitAlways("error", () -> scheduler.error(this, message));
      shutdown();
    }
  }

  private void shutdown() {
    informers.forEach(SharedIndexInformer::close);
    lease.close();
    callbacks.close();
    finished.countDown();
  }

  private void requireRunning() {
    if (status.get() != DRIVER_RUNNING) {
      throw new IllegalStateException("driver is " + status.get());
    }
  }

  /** Lease events, turned into callbacks. */
  private final class LeaseEvents implements LeaseKeeper.Listener {
    @Override
    public void leaseLost(String holder) {
      fail("Framework failed over to scheduler instance " + holder);
    }

    @Override
    public void disconnected() {
      callbacks.submit(
          "disconnected", () -> scheduler.disconnected(KubernetesSchedulerDriver.this));
    }

    @Override
    public void reconnected() {
      callbacks.submit(
          "reregistered", () -> scheduler.reregistered(KubernetesSchedulerDriver.this));
    }
  }
}
