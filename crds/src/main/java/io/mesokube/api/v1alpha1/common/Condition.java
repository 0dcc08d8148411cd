package io.mesokube.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * One aspect of an object's state, as Kubernetes' {@code metav1.Condition}: its transition time is
 * carried forward while its status does not change.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Condition(
    @JsonPropertyDescription("Condition type in CamelCase, e.g. Ready.")
        @Required
        @Pattern("^[A-Z][A-Za-z0-9]*$")
        @Size(max = 64)
        String type,
    @JsonPropertyDescription("True, False or Unknown.") @Required Status status,
    @JsonPropertyDescription("The metadata.generation this condition was computed from.")
        Long observedGeneration,
    @JsonPropertyDescription("When the status last changed (RFC 3339).") @Required
        String lastTransitionTime,
    @JsonPropertyDescription("Machine-readable reason for the status, in CamelCase.")
        @Required
        @Pattern("^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$")
        @Size(max = 1024)
        String reason,
    @JsonPropertyDescription("Human-readable detail.") @Size(max = 32768) String message) {

  /** A condition's status. */
  public enum Status {
    /** The condition holds. */
    True,
    /** The condition does not hold. */
    False,
    /** Not known. */
    Unknown
  }
}
