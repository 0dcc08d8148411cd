package io.mesokube.api.v1alpha1.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Maintenance of an agent, as Mesos' maintenance primitives: drain it, or take it down. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Maintenance(
    @JsonPropertyDescription(
            "Draining: no new offers, running tasks continue. Down: no offers, tasks are killed.")
        @Required
        Mode mode,
    @JsonPropertyDescription("Why, for people reading it.") @Size(max = 1024) String reason) {

  /** The maintenance mode. */
  public enum Mode {
    /** No new offers; running tasks go on. */
    Draining,
    /** No offers; tasks are killed. */
    Down
  }
}
