package io.mesokube.api.v1alpha1.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One step of a task's history: a state it entered, when and why. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskStatusEntry(
    @JsonPropertyDescription("The state entered.") TaskState state,
    @JsonPropertyDescription("Mesos reason code, if any.") String reason,
    @JsonPropertyDescription("Human-readable detail.") String message,
    @JsonPropertyDescription("When the state was entered (RFC 3339).") String time) {}
