package io.mesokube.api.v1alpha1.offer;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The outcome of an offer, visible until the operator deletes it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OfferStatus(
    @JsonPropertyDescription("The spec generation this status describes.") Long observedGeneration,
    @JsonPropertyDescription("Outstanding, Accepted, Declined, Rescinded or Invalid.")
        OfferPhase phase,
    @JsonPropertyDescription(
            "Mesos reason code for Rescinded or Invalid, e.g." + " REASON_INVALID_OFFERS.")
        String reason,
    @JsonPropertyDescription("Human-readable detail.") String message) {}
