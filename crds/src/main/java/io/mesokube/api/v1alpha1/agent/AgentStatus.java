package io.mesokube.api.v1alpha1.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.mesokube.api.v1alpha1.common.Condition;
import io.mesokube.api.v1alpha1.common.Resources;
import java.util.List;

/** What is known of an agent: its id, endpoint, capabilities and use. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AgentStatus(
    @JsonPropertyDescription("The spec generation this status describes.") Long observedGeneration,
    @JsonPropertyDescription("Registering, Active, Unreachable or Gone.") AgentPhase phase,
    @JsonPropertyDescription("Mesos agent id, new at each fresh registration.") String agentId,
    @JsonPropertyDescription("Base URL of the agent's HTTP API (files, metrics).") String endpoint,
    @JsonPropertyDescription("What the agent found on its host.") AgentCapabilities capabilities,
    @JsonPropertyDescription("Resources used by non-terminal tasks.") Resources allocated,
    @JsonPropertyDescription("Number of non-terminal tasks on the agent.") Integer tasks,
    @JsonPropertyDescription("When the agent registered (RFC 3339).") String registeredTime,
    @JsonPropertyDescription("Since when the agent is unreachable (RFC 3339).")
        String unreachableTime,
    @JsonPropertyDescription(
            "Registered (agent), Reachable (operator) and Drained (agent, while Down).")
        List<Condition> conditions) {}
