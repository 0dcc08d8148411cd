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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a framework's answer into an Offer: one JSON merge patch of {@code spec.answer}. Task
 * templates get the framework's name in their spec and its label, so the SDK's label-scoped Task
 * informer sees the Tasks the operator creates from them.
 */
final class OfferAnswers {

  private static final Logger LOG = LoggerFactory.getLogger(OfferAnswers.class);

  private final SchedulerConfig config;

  OfferAnswers(SchedulerConfig config) {
    this.config = config;
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
    long deadline = System.nanoTime() + RETRY_FOR.toNanos();
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
        // No HTTP status at all (code -1 or 0: a timeout, a refused or reset connection, as while
        // etcd or the API server is away), a server error, or too many requests.
        boolean retryable = e.getCode() <= 0 || e.getCode() >= 500 || e.getCode() == 429;
        if (!retryable || System.nanoTime() > deadline) {
          throw e;
        }
        LOG.warn(
            "framework {}: answering offer {} failed ({}); retrying in {} ms",
            config.frameworkName(),
            offerName,
            e.getMessage(),
            delayMillis);
        sleep(delayMillis);
        delayMillis = Math.min(delayMillis * 2, 4000);
      }
    }
  }

  /**
   * The names of {@code taskNames} that exist as Tasks: an answer whose offer is gone may still
   * have been processed (an earlier, retried write landed), so only those that do not exist were
   * dropped.
   */
  List<String> existing(List<String> taskNames) {
    return taskNames.stream()
        .filter(
            name ->
                config
                        .client()
                        .resources(Task.class)
                        .inNamespace(config.namespace())
                        .withName(name)
                        .get()
                    != null)
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
