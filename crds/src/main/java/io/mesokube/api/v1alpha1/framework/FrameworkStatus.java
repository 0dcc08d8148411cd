package io.mesokube.api.v1alpha1.framework;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.mesokube.api.v1alpha1.common.Condition;
import io.mesokube.api.v1alpha1.common.Resources;
import io.mesokube.api.v1alpha1.task.TaskState;
import java.util.List;
import java.util.Map;

/** What the operator last observed of a framework. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FrameworkStatus(
    @JsonPropertyDescription("The spec generation this status describes.") Long observedGeneration,
    @JsonPropertyDescription("Where the framework is in its life.") FrameworkPhase phase,
    @JsonPropertyDescription("The Mesos framework id given at registration.") String frameworkId,
    @JsonPropertyDescription("Whether the scheduler currently renews its Lease.") Boolean connected,
    @JsonPropertyDescription("When the framework was registered (RFC 3339).") String registeredTime,
    @JsonPropertyDescription("When the scheduler was last seen disconnecting (RFC 3339).")
        String disconnectedTime,
    @JsonPropertyDescription("Resources of the framework's non-terminal tasks.")
        Resources allocated,
    @JsonPropertyDescription("Resources in the framework's outstanding offers.") Resources offered,
    @JsonPropertyDescription("The framework's dominant share of the cluster, 0 to 1.")
        Double dominantShare,
    @JsonPropertyDescription("Number of the framework's tasks in each state.")
        Map<TaskState, Integer> tasks,
    @JsonPropertyDescription("Registered, Connected and Schedulable conditions.")
        List<Condition> conditions) {}
