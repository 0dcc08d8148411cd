package io.mesokube.operator.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.api.model.events.v1.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Kubernetes Events (events.k8s.io/v1) on Mesokube objects. An event that cannot be written
 * is logged and dropped: events are best effort in Kubernetes too.
 */
@ApplicationScoped
public class Events {
  private static final Logger LOG = LoggerFactory.getLogger(Events.class);
  private static final String CONTROLLER = "mesokube.io/operator";

  private final KubernetesClient client;
  private final String instance = "mesokube-operator-" + ProcessHandle.current().pid();

  public Events(KubernetesClient client) {
    this.client = client;
  }

  /** Records one event; {@code reason} is CamelCase, {@code message} for people. */
  public void record(HasMetadata object, boolean warning, String reason, String message) {
    String namespace =
        object.getMetadata().getNamespace() == null
            ? "default"
            : object.getMetadata().getNamespace();
    Event event =
        new EventBuilder()
            .withNewMetadata()
            .withNamespace(namespace)
            .withName(object.getMetadata().getName() + "." + UUID.randomUUID())
            .endMetadata()
            .withEventTime(
                new MicroTime(
                    ZonedDateTime.now(ZoneOffset.UTC)
                        .format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX"))))
            .withReportingController(CONTROLLER)
            .withReportingInstance(instance)
            .withAction(reason)
            .withReason(reason)
            .withNote(message.length() > 1024 ? message.substring(0, 1024) : message)
            .withType(warning ? "Warning" : "Normal")
            .withRegarding(
                new ObjectReferenceBuilder()
                    .withApiVersion(object.getApiVersion())
                    .withKind(object.getKind())
                    .withName(object.getMetadata().getName())
                    .withNamespace(object.getMetadata().getNamespace())
                    .withUid(object.getMetadata().getUid())
                    .build())
            .build();
    try {
      client.resource(event).create();
    } catch (KubernetesClientException e) {
      LOG.warn(
          "Could not record event {} on {}: {}",
          reason,
          object.getMetadata().getName(),
          e.getMessage());
    }
  }
}
