package io.mesokube.scheduler.fake;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.mesokube.api.Mesokube;
import io.mesokube.api.v1alpha1.framework.Framework;
import io.mesokube.api.v1alpha1.offer.Offer;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.api.v1alpha1.task.TaskState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tiny informer-based fake of the Mesokube operator and its agents, for tests against a bare API
 * server, which runs no Mesokube controller. It is not the real operator: it registers Offers
 * frameworks, offers the whole free part of each fixed {@link FakeAgent} every 100 ms, creates the
 * Tasks of an accept (bound to the offer's agent, owned by the Framework) and deletes answered
 * Offers, and plays the agents' part through {@link FakeTaskRunner}. All its work runs on one
 * thread.
 */
public final class FakeOperator implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FakeOperator.class);
  private static final long CYCLE_MILLIS = 100;

  private final KubernetesClient client;
  private final String namespace;
  private final ScheduledExecutorService worker =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().name("fake-operator").daemon().unstarted(r));
  private final FakeOffers offers;
  private final FakeTaskRunner runner;
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();

  /**
   * A fake with {@code agents} whose running tasks end in the state {@code outcome} picks, or keep
   * running while it returns null.
   */
  public FakeOperator(
      KubernetesClient client,
      String namespace,
      List<FakeAgent> agents,
      Function<Task, TaskState> outcome) {
    this.client = client;
    this.namespace = namespace;
    this.offers = new FakeOffers(client, namespace, agents);
    this.runner = new FakeTaskRunner(client, namespace, outcome);
  }

  /** A fake whose tasks all finish successfully. */
  public static FakeOperator finishingAll(
      KubernetesClient client, String namespace, List<FakeAgent> agents) {
    return new FakeOperator(client, namespace, agents, task -> TaskState.TASK_FINISHED);
  }

  /** Starts the informers and the offer cycle. */
  public FakeOperator start() {
    informers.add(inform(Framework.class, offers::frameworkObserved));
    informers.add(inform(Offer.class, offers::offerObserved));
    informers.add(
        inform(
            Task.class,
            task -> {
              offers.taskObserved(task);
              runner.observed(task);
            }));
    worker.scheduleWithFixedDelay(
        () -> run(offers::allocate), CYCLE_MILLIS, CYCLE_MILLIS, TimeUnit.MILLISECONDS);
    return this;
  }

  /** Stops or resumes making offers (answers are still handled). */
  public void pauseOffers(boolean paused) {
    offers.paused(paused);
  }

  /**
   * Whether this fake's informer has seen every role of framework {@code name} suppressed: a test
   * that suppresses and then expects no offers must wait for it (read on the fake's own thread).
   */
  public boolean seesSuppressed(String name) {
    return java.util.concurrent.CompletableFuture.supplyAsync(
            () -> offers.suppressedEntirely(name), worker)
        .join();
  }

  /** Rescinds an offer: marks it Rescinded, then deletes it, as the operator does. */
  public void rescind(String offerName) {
    worker.execute(() -> run(() -> offers.rescind(offerName)));
  }

  /** How many Offers this fake created so far. */
  public int offersMade() {
    return offers.made();
  }

  /** Names of the Tasks this fake created from accepts, in order. */
  public List<String> launchedTasks() {
    return offers.launchedNames();
  }

  /** A non-controller owner reference to {@code framework}, as the operator sets on its objects. */
  static OwnerReference ownerReference(Framework framework) {
    return new OwnerReferenceBuilder()
        .withApiVersion(Mesokube.API_VERSION)
        .withKind("Framework")
        .withName(framework.getMetadata().getName())
        .withUid(framework.getMetadata().getUid())
        .build();
  }

  private <T extends HasMetadata> SharedIndexInformer<T> inform(
      Class<T> type, Consumer<T> observed) {
    ResourceEventHandler<T> handler =
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(T obj) {
            worker.execute(() -> run(() -> observed.accept(obj)));
          }

          @Override
          public void onUpdate(T oldObj, T newObj) {
            worker.execute(() -> run(() -> observed.accept(newObj)));
          }

          @Override
          public void onDelete(T obj, boolean deletedFinalStateUnknown) {}
        };
    return client.resources(type).inNamespace(namespace).inform(handler, 0);
  }

  private static void run(Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      // A fake operator step failing (e.g. on a conflict) is retried by the next event or cycle.
      LOG.warn("fake operator step failed: {}", e.toString());
    }
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
    worker.shutdownNow();
  }
}
