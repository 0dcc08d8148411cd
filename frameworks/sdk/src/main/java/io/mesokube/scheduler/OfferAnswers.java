package io.mesokube.scheduler;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.mesokube.api.Mesokube;
import io.mesokube.api.v1alpha1.offer.Offer;
import io.mesokube.api.v1alpha1.offer.OfferAnswer;
import io.mesokube.api.v1alpha1.offer.OfferOperation;
import io.mesokube.api.v1alpha1.offer.OfferOperation.TaskTemplate;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.api.v1alpha1.task.TaskSpec;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a framework's answer into an Offer: one JSON merge patch of {@code spec.answer}. Task
 * templates get the framework's name in their spec and its label, so the SDK's label-scoped Task
 * informer sees the Tasks the operator creates from them.
 */
final class OfferAnswers implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OfferAnswers.class);

  /** The longest pause between attempts of an answer in doubt. */
  private static final long MAX_DELAY_MILLIS = 4000;

  private final SchedulerConfig config;
  private final Duration retryFor;

  /** Where answers in doubt are retried; made at the first one. */
  private ScheduledExecutorService inDoubt;

  private boolean closed;

  OfferAnswers(SchedulerConfig config) {
    this(config, RETRY_FOR);
  }

  /** With {@code retryFor} instead of {@link #RETRY_FOR}; for tests. */
  OfferAnswers(SchedulerConfig config, Duration retryFor) {
    this.config = config;
    this.retryFor = retryFor;
  }

  private synchronized ScheduledExecutorService inDoubt() {
    if (closed) {
      throw new RejectedExecutionException("the driver stopped");
    }
    if (inDoubt == null) {
      inDoubt =
          Executors.newSingleThreadScheduledExecutor(
              Thread.ofPlatform()
                  .daemon()
                  .name("mesokube-answers-" + config.frameworkName())
                  .factory());
    }
    return inDoubt;
  }

  /** Launch operations with every task template completed for this framework. */
  List<OfferOperation> complete(List<OfferOperation> operations) {
    return operations.stream().map(this::complete).toList();
  }

  /** How long an answer is retried while the API server fails (an outage of it or of etcd). */
  static final Duration RETRY_FOR = Duration.ofSeconds(45);

  /**
   * Writes {@code answer} into the named offer. Returns false if the offer no longer exists
   * (rescinded or answered and deleted). The write is a merge patch of the same answer, so it is
   * retried while the API server fails: an answer must not be lost to an outage of a few seconds,
   * as a task the scheduler believes launched would then never report. Throws the last error if the
   * API server fails for longer than {@link #RETRY_FOR}; a 4xx other than 404 at once.
   */
  boolean answer(String offerName, OfferAnswer answer) {
    var patch = Map.of("spec", Map.of("answer", answer));
    long deadline = System.nanoTime() + retryFor.toNanos();
    long delayMillis = 250;
    while (true) {
      try {
        config
            .client()
            .resources(Offer.class)
            .inNamespace(config.namespace())
            .withName(offerName)
            .patch(
                PatchContext.of(PatchType.JSON_MERGE),
                config.client().getKubernetesSerialization().asJson(patch));
        LOG.debug("framework {}: {} offer {}", config.frameworkName(), answer.type(), offerName);
        return true;
      } catch (KubernetesClientException e) {
        if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
          LOG.info("framework {}: offer {} is gone", config.frameworkName(), offerName);
          return false;
        }
        if (!retryable(e) || System.nanoTime() > deadline) {
          throw e;
        }
        LOG.warn(
            "framework {}: answering offer {} failed ({}); retrying in {} ms",
            config.frameworkName(),
            offerName,
            e.getMessage(),
            delayMillis);
        sleep(delayMillis);
        delayMillis = Math.min(delayMillis * 2, MAX_DELAY_MILLIS);
      }
    }
  }

  /**
   * Whether {@code e} may pass: no HTTP status at all (code -1 or 0: a timeout, a refused or reset
   * connection, as while etcd or the API server is away), a server error, or too many requests.
   */
  static boolean retryable(KubernetesClientException e) {
    return e.getCode() <= 0 || e.getCode() >= 500 || e.getCode() == 429;
  }

  /**
   * Goes on writing an answer that {@link #answer} gave up on (the API server stayed away for
   * longer than its retries), in the background and for as long as it takes: the launch it carries
   * is in doubt until then, and must be neither lost nor reported before it is known. Completes
   * with true once written, false if the offer is gone (its tasks were then created, if an earlier
   * write landed, or were never), or exceptionally with an error that no retry can mend (a 4xx).
   */
  CompletableFuture<Boolean> answerLater(String offerName, OfferAnswer answer) {
    return inBackground(
        "the answer to offer " + offerName + " is still not written",
        () -> answer(offerName, answer));
  }

  /**
   * Runs {@code attempt} in the background until it succeeds: after each failure a retry could mend
   * (the API server away), once more at the longest pause, {@link #MAX_DELAY_MILLIS}, with no
   * back-off of its own (an {@link #answer} already backs off to it). Completes exceptionally with
   * an error no retry can mend, or once the driver stopped.
   */
  private <T> CompletableFuture<T> inBackground(String retrying, Supplier<T> attempt) {
    var result = new CompletableFuture<T>();
    try {
      inDoubt().execute(() -> attempt(retrying, attempt, result));
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(e);
    }
    return result;
  }

  private <T> void attempt(String retrying, Supplier<T> attempt, CompletableFuture<T> result) {
    try {
      result.complete(attempt.get());
    } catch (KubernetesClientException e) {
      if (!retryable(e)) {
        result.completeExceptionally(e);
        return;
      }
      LOG.warn(
          "framework {}: {} ({}); trying again", config.frameworkName(), retrying, e.getMessage());
      try {
        inDoubt()
            .schedule(
                () -> attempt(retrying, attempt, result), MAX_DELAY_MILLIS, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException stopped) {
        result.completeExceptionally(e);
      }
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
    }
  }

  /** Stops the answers in doubt (the driver stopped): they stay unwritten. */
  @Override
  public synchronized void close() {
    closed = true;
    if (inDoubt != null) {
      inDoubt.shutdownNow();
    }
  }

  /**
   * Which of {@code taskNames} do not exist as Tasks, read from the API server in the background
   * (retried while it fails, like an answer in doubt): the tasks of a launch whose offer is gone
   * that were never created. Those created before the offer went report for themselves.
   */
  CompletableFuture<List<String>> missingLater(List<String> taskNames) {
    return inBackground(
        "cannot yet tell which tasks of a gone offer exist", () -> missing(taskNames));
  }

  private List<String> missing(List<String> taskNames) {
    return taskNames.stream()
        .filter(
            name ->
                config
                        .client()
                        .resources(Task.class)
                        .inNamespace(config.namespace())
                        .withName(name)
                        .get()
                    == null)
        .toList();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KubernetesClientException("interrupted while answering an offer", e);
    }
  }

  private OfferOperation complete(OfferOperation operation) {
    if (operation.launch() == null) {
      return operation;
    }
    var tasks = operation.launch().tasks().stream().map(this::complete).toList();
    return new OfferOperation(
        operation.type(), new OfferOperation.Launch(tasks), operation.reservation());
  }

  private TaskTemplate complete(TaskTemplate template) {
    var labels = new HashMap<String, String>();
    if (template.labels() != null) {
      labels.putAll(template.labels());
    }
    labels.put(Mesokube.LABEL_FRAMEWORK, config.frameworkName());
    var s = template.spec();
    var spec =
        new TaskSpec(
            config.frameworkName(),
            s.role(),
            s.resources(),
            s.command(),
            s.container(),
            s.healthCheck(),
            s.killPolicy(),
            s.agent(),
            s.offer(),
            s.kill());
    return new TaskTemplate(template.name(), Map.copyOf(labels), spec);
  }
}
