package io.mesokube.api.v1alpha1.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.mesokube.api.v1alpha1.common.Patterns;
import io.mesokube.api.v1alpha1.common.Resources;

/** Resources of an agent reserved for one role (a static or dynamic Mesos reservation). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Reservation(
    @JsonPropertyDescription("Role the resources are reserved for; not the default role '*'.")
        @Required
        @Pattern(Patterns.ROLE)
        @Size(max = 128)
        String role,
    @JsonPropertyDescription("The reserved resources; part of the agent's total.") @Required
        Resources resources) {}
