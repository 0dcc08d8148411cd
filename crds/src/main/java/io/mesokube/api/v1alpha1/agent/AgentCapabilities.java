package io.mesokube.api.v1alpha1.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What an agent found on its host: how it isolates tasks and runs images. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AgentCapabilities(
    @JsonPropertyDescription("cgroup hierarchy used for tasks: v1 or v2.") String cgroupVersion,
    @JsonPropertyDescription("OCI runtime for image tasks (crun or runc); absent if none.")
        String ociRuntime,
    @JsonPropertyDescription("Mesokube version of the agent.") String version) {}
