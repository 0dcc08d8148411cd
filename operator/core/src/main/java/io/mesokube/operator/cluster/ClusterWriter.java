package io.mesokube.operator.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.mesokube.api.Mesokube;
import io.mesokube.api.v1alpha1.framework.Framework;
import io.mesokube.api.v1alpha1.offer.Offer;
import io.mesokube.api.v1alpha1.offer.OfferSpec;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.api.v1alpha1.task.TaskSpec;
import io.mesokube.api.v1alpha1.task.TaskStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.HttpURLConnection;
import java.util.HashMap;
import java.util.Map;

/** Every write the allocation loop makes to the API server, and nothing else. */
@ApplicationScoped
public class ClusterWriter {
  private final KubernetesClient client;
  private final Events events;

  public ClusterWriter(KubernetesClient client, Events events) {
    this.client = client;
    this.events = events;
  }

  /** Creates an Offer owned by its Framework. */
  public Offer createOffer(Framework framework, String name, OfferSpec spec) {
    Offer offer = new Offer();
    offer.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(framework.getMetadata().getNamespace())
            .withLabels(
                Map.of(
                    Mesokube.LABEL_MANAGED_BY, Mesokube.MANAGED_BY,
                    Mesokube.LABEL_FRAMEWORK, framework.getMetadata().getName(),
                    Mesokube.LABEL_AGENT, spec.agent()))
            .withOwnerReferences(ownedBy(framework))
            .build());
    offer.setSpec(spec);
    return client.resource(offer).create();
  }

  /** Deletes an Offer whatever it holds now; true if it was there. */
  public boolean deleteOffer(String namespace, String name) {
    return !client.resources(Offer.class).inNamespace(namespace).withName(name).delete().isEmpty();
  }

  /** What a conditional delete of an Offer found. */
  public enum OfferDeletion {
    /** The offer was deleted as read. */
    DELETED,
    /** The offer was gone already. */
    GONE,
    /** The offer changed since it was read (a framework answered it), and is left as it is. */
    CHANGED
  }

  /**
   * Deletes an Offer only if it is still at {@code resourceVersion}. An offer read unanswered from
   * a cache may have been answered since; deleting it then would lose the launch that answer asks
   * for, with nothing to tell the framework. The answer can only be set once (CEL), so an answered
   * offer read is safe to delete with {@link #deleteOffer}.
   */
  public OfferDeletion deleteOfferAt(String namespace, String name, String resourceVersion) {
    try {
      return client
              .resources(Offer.class)
              .inNamespace(namespace)
              .withName(name)
              .lockResourceVersion(resourceVersion)
              .delete()
              .isEmpty()
          ? OfferDeletion.GONE
          : OfferDeletion.DELETED;
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return OfferDeletion.CHANGED;
      }
      throw e;
    }
  }

  /**
   * Creates a Task owned by its Framework; an existing Task with the same name created from the
   * same offer is returned as is, so that a retried accept does not fail on its own tasks.
   *
   * @return the task, or null if another task holds the name
   */
  public Task createTask(
      Framework framework, String name, Map<String, String> labels, TaskSpec spec) {
    Map<String, String> allLabels = new HashMap<>(labels == null ? Map.of() : labels);
    allLabels.put(Mesokube.LABEL_MANAGED_BY, Mesokube.MANAGED_BY);
    allLabels.put(Mesokube.LABEL_FRAMEWORK, framework.getMetadata().getName());
    if (spec.agent() != null) {
      allLabels.put(Mesokube.LABEL_AGENT, spec.agent());
    }
    Task task = new Task();
    task.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(framework.getMetadata().getNamespace())
            .withLabels(allLabels)
            .withOwnerReferences(ownedBy(framework))
            .build());
    task.setSpec(spec);
    try {
      return client.resource(task).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      Task existing = client.resource(task).get();
      boolean ours =
          existing != null
              && spec.offer() != null
              && spec.offer().equals(existing.getSpec().offer());
      return ours ? existing : null;
    }
  }

  /**
   * Writes a Task's status through the status subresource, as computed from {@code task}: only if
   * the Task is still at {@code task}'s resourceVersion. The operator writes a status only before
   * the agent takes over (TASK_STAGING, a refused launch, why a task waits); were the agent's
   * TASK_RUNNING already written, a merge patch without that guard would set the task back to
   * TASK_STAGING.
   *
   * @return the updated task, or null if the Task changed since {@code task} (its newer state
   *     stands; a later cycle decides again from it if there is anything left to write)
   */
  public Task writeStatus(Task task, TaskStatus status) {
    Task patch = new Task();
    patch.setMetadata(
        new ObjectMetaBuilder()
            .withName(task.getMetadata().getName())
            .withNamespace(task.getMetadata().getNamespace())
            .withResourceVersion(task.getMetadata().getResourceVersion())
            .build());
    patch.setStatus(status);
    try {
      return client
          .resource(patch)
          .subresource("status")
          .patch(PatchContext.of(PatchType.JSON_MERGE));
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return null;
      }
      throw e;
    }
  }

  /** Binds an unbound Task to an agent (spec.agent), as the scheduler binds a pod to a node. */
  public Task bind(Task task, String agent) {
    return client
        .resources(Task.class)
        .inNamespace(task.getMetadata().getNamespace())
        .withName(task.getMetadata().getName())
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"labels\":{\""
                + Mesokube.LABEL_AGENT
                + "\":\""
                + agent
                + "\"}},\"spec\":{\"agent\":\""
                + agent
                + "\"}}");
  }

  /** Records a Kubernetes Event on an object. */
  public void event(HasMetadata object, boolean warning, String reason, String message) {
    events.record(object, warning, reason, message);
  }

  private static OwnerReference ownedBy(Framework framework) {
    return new OwnerReferenceBuilder()
        .withApiVersion(Mesokube.API_VERSION)
        .withKind("Framework")
        .withName(framework.getMetadata().getName())
        .withUid(framework.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }
}
