package io.mesokube.api.v1alpha1.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** How a task is killed: SIGTERM, then SIGKILL after the grace period (Mesos KillPolicy). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KillPolicy(
    @JsonPropertyDescription("Seconds between SIGTERM and SIGKILL.")
        @Default("3")
        @Min(0)
        @Max(3600)
        Integer gracePeriodSeconds) {}
