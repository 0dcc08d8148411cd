package io.mesokube.scheduler;

import static io.mesokube.scheduler.DriverStatus.DRIVER_ABORTED;
import static io.mesokube.scheduler.DriverStatus.DRIVER_NOT_STARTED;
import static io.mesokube.scheduler.DriverStatus.DRIVER_RUNNING;
import static io.mesokube.scheduler.DriverStatus.DRIVER_STOPPED;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.mesokube.api.v1alpha1.offer.OfferAnswer;
import io.mesokube.api.v1alpha1.offer.OfferOperation;
import io.mesokube.api.v1alpha1.offer.OfferOperation.TaskTemplate;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.api.v1alpha1.task.TaskState;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
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
  private final EventDispatcher events;

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
    this.events =
        new EventDispatcher(
            this, scheduler, config, callbacks, offers, this::fail, this::offerDeleted);
  }

  @Override
  public synchronized DriverStatus start() {
    if (!status.compareAndSet(DRIVER_NOT_STARTED, DRIVER_RUNNING)) {
      return status.get();
    }
    try {
      var framework = registrar.subscribe();
      lease.start(FrameworkRegistrar.ownerReference(framework));
      events.start();
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
    // join() returns only once the teardown is written.
    finished.countDown();
    return DRIVER_STOPPED;
  }

  @Override
  public synchronized DriverStatus abort() {
    if (status.compareAndSet(DRIVER_RUNNING, DRIVER_ABORTED)) {
      shutdown();
      finished.countDown();
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
      if (ops != null) {
        offers.launching(offerName, taskNames(ops));
      }
      var answer = new OfferAnswer(OfferAnswer.Type.Accept, ops, refuseSeconds);
      first = false;
      boolean written;
      try {
        written = answers.answer(offerName, answer);
      } catch (KubernetesClientException e) {
        if (ops == null || !OfferAnswers.retryable(e)) {
          throw e;
        }
        answerInDoubt(offerName, answer);
        continue;
      }
      if (!written) {
        launchEnded(offerName, "offer " + offerName + " no longer exists");
      }
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

  /**
   * A launch whose answer could not be written while the API server was away: its tasks are in
   * doubt (the answer may have landed, or not), so nothing is reported for them until the answer is
   * written (their Tasks then report) or the offer is known to be gone (those not created are
   * dropped). Mesos' scheduler learns the same through reconciliation; here the driver resolves it.
   */
  private void answerInDoubt(String offerName, OfferAnswer answer) {
    LOG.warn(
        "framework {}: the API server did not take the answer to offer {}; its launch is in doubt"
            + " and the answer is written in the background",
        config.frameworkName(),
        offerName);
    answers
        .answerLater(offerName, answer)
        .whenComplete(
            (written, error) -> {
              if (status.get() != DRIVER_RUNNING) {
                return;
              }
              String why = "offer " + offerName + " no longer exists";
              if (error != null) {
                LOG.error(
                    "framework {}: the answer to offer {} cannot be written: {}",
                    config.frameworkName(),
                    offerName,
                    error.getMessage());
                why =
                    "the answer to offer "
                        + offerName
                        + " cannot be written: "
                        + error.getMessage();
              } else if (written) {
                LOG.info(
                    "framework {}: the answer to offer {} is written",
                    config.frameworkName(),
                    offerName);
                return;
              }
              launchEnded(offerName, why);
            });
  }

  /**
   * An offer was deleted. If this driver launched tasks from it that were never seen, it may have
   * been deleted before the operator settled the answer (by a person, or an operator older than the
   * one that deletes unanswered offers only as it read them): an answer written is no proof of a
   * launch, so those tasks are checked like those of an answer to an offer already gone.
   */
  private void offerDeleted(String offerName) {
    launchEnded(offerName, "offer " + offerName + " was deleted before its tasks were created");
  }

  /**
   * Every task of an accept whose offer is gone that does not exist ends TASK_DROPPED with {@code
   * why}, as Mesos' master does; once per launch. A retried answer may have landed before the offer
   * went: those Tasks report for themselves.
   */
  private void launchEnded(String offerName, String why) {
    var unseen = offers.launchEnded(offerName);
    if (unseen.isEmpty()) {
      return;
    }
    answers
        .missingLater(unseen)
        .whenComplete(
            (missing, error) -> {
              if (error != null) {
                LOG.error(
                    "framework {}: cannot tell which tasks of offer {} exist: {}",
                    config.frameworkName(),
                    offerName,
                    error.getMessage());
                return;
              }
              deliver(
                  missing.stream()
                      .map(
                          name ->
                              driverUpdate(
                                  name,
                                  TaskState.TASK_DROPPED,
                                  TaskStatusUpdate.REASON_INVALID_OFFERS,
                                  why))
                      .toList());
            });
  }

  private static List<String> taskNames(List<OfferOperation> operations) {
    return operations.stream()
        .filter(operation -> operation.launch() != null)
        .flatMap(operation -> operation.launch().tasks().stream())
        .map(TaskTemplate::name)
        .toList();
  }

  private void deliver(List<TaskStatusUpdate> updates) {
    callbacks.submit(
        "driver status updates",
        () -> updates.forEach(update -> scheduler.statusUpdate(this, update)));
  }

  static TaskStatusUpdate driverUpdate(
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
      finished.countDown();
    }
  }

  private void shutdown() {
    answers.close();
    events.close();
    lease.close();
    callbacks.close();
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
